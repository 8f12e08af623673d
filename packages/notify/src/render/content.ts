// What a notification says, before any format: one model per event, so every channel tells the same story and only
// the markup differs (formats.ts). Strings here are plain text; each format escapes them.
import type { NotificationPayload } from '@polybot/schemas';
import { describeAlert } from './content-alerts.ts';
import { describeDailySummary, describeOpportunity } from './content-summary.ts';
import { describeTrades } from './content-trades.ts';

export type Tone = 'info' | 'good' | 'bad' | 'alert';

export interface MessageContent {
  /** Email subject and the headline of every format. */
  subject: string;
  tone: Tone;
  /** The first sentence: what happened, in words. */
  intro: string;
  /** A list under the intro (the trades of a burst). */
  items: string[];
  /** Label/value pairs (a summary's numbers). */
  facts: Array<{ label: string; value: string }>;
  /** Where in the web app to act on it (a path under the app URL). */
  action: { label: string; path: string };
  /** Small print (the machine code behind an alert, "and 12 more"). */
  footnote?: string;
}

export function describeNotification(payload: NotificationPayload): MessageContent {
  switch (payload.kind) {
    case 'trade_executed':
      return describeTrades(payload);
    case 'opportunity_found':
      return describeOpportunity(payload);
    case 'daily_summary':
      return describeDailySummary(payload);
    default:
      return describeAlert(payload);
  }
}
