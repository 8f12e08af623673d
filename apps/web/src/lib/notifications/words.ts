// How notification facts read to a person on the settings page: event kinds, channels, delivery states and the
// outcome of a test send. Keyed by the shared enums, so a kind added to @polybot/schemas does not compile without words.
import type { DeliveryResult } from '@polybot/notify';
import type { ChannelKind, DeliveryStatus, NotificationEventKind } from '@polybot/schemas';

export const EVENT_LABELS: Record<NotificationEventKind, string> = {
  trade_executed: 'Trades',
  opportunity_found: 'Opportunities found',
  daily_summary: 'Daily summary',
  bot_stopped: 'Bot stopped',
  bot_error: 'Bot error',
  key_invalid: 'API key invalid',
  loss_limit_reached: 'Daily loss limit reached',
  monthly_limit_reached: 'Monthly trade limit reached',
  payment_failed: 'Payment failed',
  plan_ended: 'Plan ended',
  suspended: 'Account suspended',
  resumed: 'Account resumed',
};

export const CHANNEL_LABELS: Record<ChannelKind, string> = {
  email: 'Email',
  webhook: 'Webhook',
  slack: 'Slack',
  discord: 'Discord',
  telegram: 'Telegram',
};

/** One delivery's state in words ("Sent", "Attempt 3 failed, trying again: HTTP 500"). */
export function deliveryWords(d: { status: DeliveryStatus; attempts: number; last_error: string | null }): string {
  const why = d.last_error ? `: ${d.last_error}` : '';
  switch (d.status) {
    case 'pending':
      return 'Waiting to be sent';
    case 'sent':
      return 'Sent';
    case 'retrying':
      return `Attempt ${d.attempts} failed, trying again${why}`;
    case 'dead':
      return `Gave up after ${d.attempts === 1 ? '1 attempt' : `${d.attempts} attempts`}${why}`;
    case 'skipped':
      return 'Not sent: the channel was turned off or removed';
  }
}

/** Why a notification was kept without being sent. */
export const SUPPRESSED_WORDS: Record<'rate_limited' | 'no_channel', string> = {
  rate_limited: `Not sent: over the hourly limit for trades and opportunities`,
  no_channel: 'Not sent: no verified channel was on for it',
};

/** The outcome of "Send test" in words: what happened and, when it failed, what to do about it. */
export function testResultWords(kind: ChannelKind, result: DeliveryResult): string {
  if (result.ok) {
    if (kind === 'email') return 'Sent: the mail server accepted the test message. Check the inbox.';
    if (kind === 'telegram') return 'Delivered: the test message is in your Telegram chat.';
    return 'Delivered: your endpoint accepted the test message.';
  }
  return failureWords(result.error, result.retryable);
}

/** A failed send's error (SafeFetchError kinds, HTTP statuses, SMTP and Telegram replies) in words. */
export function failureWords(error: string, retryable: boolean): string {
  const [, kind, detail = ''] = /^([a-z_]+): ([\s\S]*)$/.exec(error) ?? [];
  switch (kind) {
    case 'refused_address':
      return `Refused: the address is private or reserved (${detail}). Use a public https address.`;
    case 'bad_url':
      return `Refused: ${detail}.`;
    case 'too_many_redirects':
      return 'Refused: the address redirected too many times.';
    case 'response_too_large':
      return 'Refused: the answer was larger than 64 KiB.';
    case 'timeout':
      return 'No answer: the endpoint did not answer within 5 seconds. Try again.';
    case 'network':
      return `Could not connect: ${detail}. Try again once the endpoint is up.`;
  }
  const http = /^HTTP (\d{3})(?::\s*([\s\S]*))?$/.exec(error);
  if (http) {
    const body = http[2] ? ` (${http[2].slice(0, 120)})` : '';
    return `Not delivered: your endpoint answered HTTP ${http[1]}${body}.${retryable ? ' Try again later.' : ''}`;
  }
  return `Not delivered: ${error}${retryable ? ' Try again later.' : ''}`;
}
