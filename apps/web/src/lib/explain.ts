// Pure helpers (no server-only imports) so they can be unit tested directly.
import type { BotErrorCode, BotHaltCode } from '@polybot/schemas';

const KEYS = 'A venue rejected your keys. Rotate them on the API keys page.';
const BALANCE =
  'Not enough balance on the venue to place orders (on Polymarket: pUSD in your wallet, approved for trading). Add funds or lower Max trade size.';
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

/** What the user can do about a halt: whole sentences, and the page where they do it (shown as a link after them). */
export interface HaltAdvice {
  text: string;
  href: string;
  link: string;
}

const SETTINGS = { href: '/settings/config', link: 'Settings → Config' };
const PAPER = 'or switch back to paper (turn Dry run on) in Settings.';

/**
 * What to do for each halt code (polybot_bot_status.halt_code), shown under the halt's own words (halt_reason, which
 * carries the figures, e.g. "2 of 2"). Keyed by the shared enum: a new code does not compile until it is decided
 * here. Null where the status card already says what to do (paused by the user, suspended, …).
 */
const HALT_ADVICE: Record<BotHaltCode, HaltAdvice | null> = {
  account_missing: null,
  suspended: null,
  onboarding_incomplete: { text: 'Finish setting up your account.', href: '/onboarding', link: 'Onboarding' },
  no_config: { text: 'Save your bot settings to start it.', ...SETTINGS },
  paused_by_user: null,
  subscription_inactive: {
    text: 'Update your payment method to start trading again.',
    href: '/settings/billing',
    link: 'Billing',
  },
  stopped_by_service: null,
  service_restarting: null,
  daily_loss_limit: {
    text: 'Your bot opens no new positions until midnight UTC. To allow more loss per day, raise Max daily loss in Settings.',
    ...SETTINGS,
  },
  monthly_limit_reached: {
    text: 'Upgrade for more trades a month, or wait until next month. Plans are in Billing.',
    href: '/settings/billing',
    link: 'Billing',
  },
  no_venue_enabled: { text: 'Turn on Polymarket or Kalshi in Settings.', ...SETTINGS },
  no_strategy_enabled: { text: 'Turn on at least one strategy in Settings.', ...SETTINGS },
  no_markets: {
    text: 'No open markets on the venues you enabled. Wait for new markets, or turn on the other venue in Settings.',
    ...SETTINGS,
  },
  trade_size_below_minimum: {
    text: 'No order would be big enough for the venue. Raise Max trade size in Settings.',
    ...SETTINGS,
  },
  max_positions_reached: {
    text: 'Wait until a position closes, or raise Max open positions in Settings.',
    ...SETTINGS,
  },
  stale_data: {
    text: 'Prices from the venues are late; your bot trades again as soon as fresh ones arrive. If this lasts, raise Max book age in Settings.',
    ...SETTINGS,
  },
  live_keys_missing: {
    text: `Live trading is on but no live key is validated, so your bot trades paper. Add a live key in API keys, ${PAPER}`,
    href: '/settings/keys',
    link: 'API keys',
  },
  live_not_in_plan: {
    text: `Live trading is on but your plan does not include it, so your bot trades paper. Upgrade in Billing, ${PAPER}`,
    href: '/settings/billing',
    link: 'Billing',
  },
  venue_paused: null,
  live_key_invalid: {
    text: `A venue rejected your live key (revoked or expired), so your bot trades paper there. Save a new key in API keys, ${PAPER}`,
    href: '/settings/keys',
    link: 'API keys',
  },
  cpu_budget: {
    text: 'Your bot needed more computing time than it is allowed, so it was stopped. Turn off some news rules, followed wallets or strategies in Settings; saving starts it again.',
    ...SETTINGS,
  },
};

/** What to do about the halt the row reports, by its code; null without a code or when nothing is to be done. */
export function adviseHalt(code: BotHaltCode | null): HaltAdvice | null {
  return code ? HALT_ADVICE[code] : null;
}
