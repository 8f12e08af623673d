// renderNotification: a validated payload in, every channel's message out.
import type { NotificationPayload } from '@polybot/schemas';
import { describeNotification } from './content.ts';
import { toDiscord, toHtml, toSlack, toTelegram, toText } from './formats.ts';
import type { RenderedNotification } from './types.ts';

export interface RenderContext {
  /** The web app's public origin, e.g. https://app.polybot.example (links point into it). */
  appUrl: string;
  /** When the event happened (the notification row's created_at). */
  occurredAt: Date;
}

export function renderNotification(payload: NotificationPayload, ctx: RenderContext): RenderedNotification {
  const content = describeNotification(payload);
  const format = { actionUrl: new URL(content.action.path, ctx.appUrl).href, occurredAt: ctx.occurredAt };
  return {
    subject: content.subject,
    text: toText(content, format),
    html: toHtml(content, format),
    slack: toSlack(content, format),
    discord: toDiscord(content, format),
    telegram: toTelegram(content, format),
    webhook: { type: `polybot.${payload.kind}`, timestamp: ctx.occurredAt.toISOString(), data: payload },
  };
}
