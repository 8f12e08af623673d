// Slack and Discord incoming webhooks: the URL is the credential and user input, so both go through the same
// SSRF-safe POST as signed webhooks. Slack answers 200 "ok"; Discord answers 204 (or 200 with the message when
// asked to wait). Their error statuses (400 invalid payload, 403/404 revoked hook, 429 rate limited) are classified
// by postJson like any other endpoint.
import type { DeliveryResult } from '../result.ts';
import type { DiscordMessage, SlackMessage } from '../render/types.ts';
import { postJson } from './post.ts';
import type { SafeFetchOptions } from './safe-fetch.ts';

export function sendSlackMessage(
  url: string,
  message: SlackMessage,
  options: SafeFetchOptions,
): Promise<DeliveryResult> {
  return postJson(url, JSON.stringify(message), {}, options);
}

export function sendDiscordMessage(
  url: string,
  message: DiscordMessage,
  options: SafeFetchOptions,
): Promise<DeliveryResult> {
  // Mentions are never parsed: an event's text (a market title) must not ping @everyone in the user's server.
  return postJson(url, JSON.stringify({ ...message, allowed_mentions: { parse: [] } }), {}, options);
}
