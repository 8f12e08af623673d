// Pure helpers (no server-only imports) so they can be unit tested directly.
import type { BotErrorCode } from '@polybot/schemas';

const KEYS = 'A venue rejected your keys. Rotate them on the API keys page.';
const BALANCE = 'Not enough balance on the venue to place orders. Add funds or lower the trade size.';
const CRASHED = 'Your bot stopped unexpectedly several times. We are looking at it; pausing and resuming may help.';
const UNREACHABLE = 'A venue could not be reached. Your bot retries on its own.';
const GENERIC = 'Your bot hit a problem and stopped. Pause and resume it; if that does not help, contact support.';

/**
 * What the user is told for each error code the bot-manager writes (polybot_bot_status.error_code). Keyed by the
 * shared enum: a new code does not compile until it has words here.
 */
const EXPLANATIONS: Record<BotErrorCode, string> = {
  keys_rejected: KEYS,
  insufficient_balance: BALANCE,
  crash_loop: CRASHED,
  runner_exited: CRASHED,
  venue_unreachable: UNREACHABLE,
  invalid_config: GENERIC,
  runner_killed: GENERIC,
  runner_silent: GENERIC,
  runner_memory: GENERIC,
  runner_error: GENERIC,
};

/**
 * Raw runner errors (last_error) are for operators; users get what happened and what to do, decided by the code the
 * manager wrote beside the text. Null when there is no error; an error without a code gets the generic words.
 */
export function explainError(error: { text: string | null; code: BotErrorCode | null }): string | null {
  if (!error.text) return null;
  return error.code ? EXPLANATIONS[error.code] : GENERIC;
}
