import type { NotificationChannelRow } from '@polybot/schemas';
import { CHANNEL_LABELS } from '~/lib/notifications/words.ts';

/** How a channel is named on the page: its label, else what it points at. */
export function channelName(c: Pick<NotificationChannelRow, 'kind' | 'label' | 'target'>): string {
  if (c.label) return c.label;
  return c.kind === 'telegram' ? `Telegram chat ${c.target}` : c.target;
}

/** "Email: me@example.com" */
export function channelTitle(c: Pick<NotificationChannelRow, 'kind' | 'label' | 'target'>): string {
  return `${CHANNEL_LABELS[c.kind]}: ${channelName(c)}`;
}
