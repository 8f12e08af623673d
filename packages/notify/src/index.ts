// @polybot/notify: delivery code with no database access. The worker (bot-manager) loads a delivery, renders the
// event with `render/`, sends it through one channel below and records the DeliveryResult.
export type { DeliveryResult } from './result.ts';
export { judgeAddress } from './webhook/address-policy.ts';
export type { SafeFetchErrorKind, SafeFetchOptions, Resolve } from './webhook/safe-fetch.ts';
export { checkSafeFetchUrl, safeFetch, SafeFetchError, MAX_REDIRECTS } from './webhook/safe-fetch.ts';
export { postJson } from './webhook/post.ts';
export type { RenderContext } from './render/index.ts';
export { renderNotification } from './render/index.ts';
// The escaping every rendered message uses, for other text sent in HTML (the web app's Telegram command replies).
export { escapeHtml } from './render/escape.ts';
export type { DiscordMessage, RenderedNotification, SlackMessage, StandardWebhookBody } from './render/types.ts';
export { generateWebhookSecret, sendStandardWebhook, signStandardWebhook } from './webhook/standard.ts';
export { sendDiscordMessage, sendSlackMessage } from './webhook/chat-hooks.ts';
export type { EmailSender, NotificationEmail } from './email.ts';
export { composeEmail, createEmailSender, messageIdFor } from './email.ts';
export type { UnsubscribeClaims } from './unsubscribe.ts';
export { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe.ts';
export type { TelegramConfig } from './telegram.ts';
export { classifyTelegramError, createTelegramApi, sendTelegramMessage } from './telegram.ts';
