// Stripe, simulated for local runs and tests: point the real `stripe` SDK at it with
//   new Stripe(emulator.secretKey, { host: emulator.host, port: emulator.port, protocol: 'http' })
export { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './server.ts';
export { serveEdgeFunction, type EdgeFunctionServer } from './edge.ts';
export { signPayload, type DeliveryAttempt } from './webhooks.ts';
export { TEST_CARDS } from './store.ts';
export { parseForm } from './form.ts';
export { denoCommand, denoTlsEnv } from './deno.ts';
export { startLocalBilling, type LocalBilling } from './local-billing.ts';
