// Standard Webhooks (standardwebhooks.com) signing through the reference library: `webhook-id` is the delivery's
// idempotency key, so a receiver that dedupes on it sees a retry as the same message; `webhook-timestamp` is the
// signing time in seconds; `webhook-signature` is `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one entry per
// secret, space-separated: while a secret is being rotated both the old and the new one sign, and a receiver holding
// either verifies.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { DeliveryResult } from '../result.ts';
import { postJson } from './post.ts';
import type { SafeFetchOptions } from './safe-fetch.ts';

export interface StandardWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  [name: string]: string;
}

/** A new endpoint secret in the scheme's format: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function signStandardWebhook(input: {
  id: string;
  timestamp: Date;
  body: string;
  /** One secret, or the current and the previous one during a rotation. */
  secrets: readonly string[];
}): StandardWebhookHeaders {
  if (input.secrets.length === 0) throw new Error('signStandardWebhook needs at least one secret');
  const signature = input.secrets.map((s) => new Webhook(s).sign(input.id, input.timestamp, input.body)).join(' ');
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

export async function sendStandardWebhook(
  input: { url: string; idempotencyKey: string; body: string; secrets: readonly string[]; now?: Date },
  options: SafeFetchOptions,
): Promise<DeliveryResult> {
  const headers = signStandardWebhook({
    id: input.idempotencyKey,
    timestamp: input.now ?? new Date(),
    body: input.body,
    secrets: input.secrets,
  });
  return postJson(input.url, input.body, headers, options);
}
