// The always-on alerts: a headline per kind, the producer's reason in words, where to fix it, and the code (for
// support) as small print. Keyed by kind, so a new alert kind does not compile until it has words here.
import type { AlwaysOnEventKind, NotificationPayloadOf } from '@polybot/schemas';
import type { MessageContent, Tone } from './content.ts';
import { VENUE_NAMES } from './words.ts';

type AlertPayload = NotificationPayloadOf<AlwaysOnEventKind>;

const ALERTS: Record<AlwaysOnEventKind, { subject: string; tone: Tone; action: MessageContent['action'] }> = {
  bot_stopped: {
    subject: 'Your bot stopped',
    tone: 'alert',
    action: { label: 'Open your dashboard', path: '/dashboard' },
  },
  bot_error: {
    subject: 'Your bot hit an error',
    tone: 'alert',
    action: { label: 'Open your dashboard', path: '/dashboard' },
  },
  key_invalid: {
    subject: 'Your API key was rejected',
    tone: 'alert',
    action: { label: 'Check your keys', path: '/settings/keys' },
  },
  loss_limit_reached: {
    subject: 'Daily loss limit reached: your bot paused',
    tone: 'alert',
    action: { label: 'Review your limits', path: '/settings/config' },
  },
  monthly_limit_reached: {
    subject: 'Monthly trade limit reached',
    tone: 'alert',
    action: { label: 'See your plan', path: '/settings/billing' },
  },
  payment_failed: {
    subject: 'Your payment failed',
    tone: 'alert',
    action: { label: 'Update your payment', path: '/settings/billing' },
  },
  plan_ended: {
    subject: 'Your plan ended',
    tone: 'alert',
    action: { label: 'See your plan', path: '/settings/billing' },
  },
  suspended: {
    subject: 'Your account was suspended',
    tone: 'alert',
    action: { label: 'Open your dashboard', path: '/dashboard' },
  },
  resumed: {
    subject: 'Your bot can trade again',
    tone: 'good',
    action: { label: 'Open your dashboard', path: '/dashboard' },
  },
};

export function describeAlert(payload: AlertPayload): MessageContent {
  const alert = ALERTS[payload.kind];
  const subject =
    payload.kind === 'key_invalid'
      ? `Your ${VENUE_NAMES[payload.venue]} ${payload.mode === 'live' ? 'live' : 'paper'} key was rejected`
      : alert.subject;
  return {
    subject,
    tone: alert.tone,
    intro: payload.reason,
    items: [],
    facts: [],
    action: alert.action,
    footnote: `Code: ${payload.code}`,
  };
}
