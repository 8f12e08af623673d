// The shapes each channel's renderer produces. Slack: Block Kit (`text` is the notification fallback); Discord: the
// execute-webhook body (content plus embeds); Telegram: HTML parse mode text.

export interface SlackMessage {
  text: string;
  blocks?: Array<
    | { type: 'header'; text: { type: 'plain_text'; text: string } }
    | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
    | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> }
  >;
}

export interface DiscordEmbed {
  title: string;
  url?: string;
  description?: string;
  color?: number;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  timestamp?: string;
}

export interface DiscordMessage {
  content: string;
  embeds?: DiscordEmbed[];
}

export interface StandardWebhookBody {
  type: string;
  timestamp: string;
  data: unknown;
}

export interface RenderedNotification {
  subject: string;
  text: string;
  html: string;
  slack: SlackMessage;
  discord: DiscordMessage;
  telegram: string;
  webhook: StandardWebhookBody;
}
