// @polybot/web/testing: the web app's browser-test scaffolding (its whole local stack under `next start`, Chromium,
// the page flows), for the web app's own browser tests and the cross-app journeys in e2e/. Tests only.
// Relative, not `~/`: the alias is this app's own (tsconfig paths, vitest alias); e2e/ imports this file without it.
export { longDate } from '../../src/app/(app)/settings/billing/format.ts';
export { billingFlows, CARDS, DAY_MS, type BillingRow, type BotRow } from './billing.ts';
export { ARTIFACTS, launchChromium, newUserPage, PHONE, shoot, sidewaysOverflow } from './browser.ts';
export { fieldError, flows, forceFill, hydrated, PASSWORD, submit, submitTampered, type ConfigRow } from './flows.ts';
export { polymarketKey, registerKalshiKey, type KalshiKey } from './keys.ts';
export { finishOnboarding, onboard, type OnboardOptions } from './onboard.ts';
export { buildApp, startStack, TEST_UNSUBSCRIBE_SECRET, WEB_DIR, type Stack, type StackOptions } from './stack.ts';
export {
  receiverCertificate,
  startWebhookReceiver,
  type ReceiverCertificate,
  type WebhookReceiver,
} from './webhook-receiver.ts';
