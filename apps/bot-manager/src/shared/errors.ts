// The one definition lives in @polybot/schemas (shared with venues); re-exported so the app's imports stay short.
export { coerceError } from '@polybot/schemas';
