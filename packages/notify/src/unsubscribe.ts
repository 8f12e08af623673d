// The token behind an email's unsubscribe link (and its List-Unsubscribe headers): it names the user, the channel and
// optionally the one event kind to stop, signed with HMAC-SHA256 so the link works without signing in and cannot be
// forged for someone else. `<base64url(JSON claims)>.<base64url(HMAC of that first part)>`; an expiry is optional
// because RFC 8058 one-click links sit in mailboxes for months.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { NotificationEventKindSchema } from '@polybot/schemas';
import type { NotificationEventKind } from '@polybot/schemas';
import { z } from 'zod';

export interface UnsubscribeClaims {
  userId: string;
  channelId: string;
  /** Only this kind; absent: the whole channel (private.unsubscribe_notification_channel turns it off). */
  kind?: NotificationEventKind;
}

const ClaimsSchema = z.strictObject({
  u: z.uuid(),
  c: z.uuid(),
  k: NotificationEventKindSchema.optional(),
  /** Expiry, seconds since the epoch. */
  e: z.number().int().positive().optional(),
});

function mac(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export function signUnsubscribeToken(
  claims: UnsubscribeClaims,
  secret: string,
  options: { expiresAt?: Date } = {},
): string {
  if (secret.length < 32) throw new Error('the unsubscribe secret must be at least 32 characters');
  const payload = ClaimsSchema.parse({
    u: claims.userId,
    c: claims.channelId,
    ...(claims.kind ? { k: claims.kind } : {}),
    ...(options.expiresAt ? { e: Math.floor(options.expiresAt.getTime() / 1000) } : {}),
  });
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(body, secret).toString('base64url')}`;
}

/** The claims of a genuine, unexpired token; null for anything else (tampered, foreign, expired, malformed). */
export function verifyUnsubscribeToken(
  token: string,
  secret: string,
  now: Date = new Date(),
): UnsubscribeClaims | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(body, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = ClaimsSchema.safeParse(json);
  if (!parsed.success) return null;
  const { u, c, k, e } = parsed.data;
  if (e !== undefined && e * 1000 <= now.getTime()) return null;
  return { userId: u, channelId: c, ...(k ? { kind: k } : {}) };
}
