// What the dashboard's live status card shows, computed the same way for the first render and every poll.
import 'server-only';
import type { UserTx } from '@polybot/db';
import { getOwnBotStatus, getOwnConfig, getOwnProfile } from '@polybot/db/user';

export interface StatusView {
  state: string;
  stateLabel: string;
  mode: 'paper' | 'live';
  botEnabled: boolean;
  heartbeatAt: string | null;
  configVersion: number | null;
  appliedVersion: number | null;
  appliedAt: string | null;
  problem: string | null;
  tradesThisMonth: number;
  monthlyTradeLimit: number;
}

const STATE_LABELS: Record<string, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  reloading: 'Applying new settings',
  stopping: 'Stopping',
  paused: 'Paused',
  suspended: 'Suspended',
  limit_reached: 'Monthly trade limit reached',
  error: 'Stopped by an error',
};

/** Raw runner errors are for operators; users get what happened and what to do. */
export function explainError(raw: string | null): string | null {
  if (!raw) return null;
  if (/401|403|auth|signature|api key/i.test(raw)) return 'A venue rejected your keys. Rotate them on the API keys page.';
  if (/balance|insufficient|funds/i.test(raw)) return 'Not enough balance on the venue to place orders. Add funds or lower the trade size.';
  if (/crash|exit|backoff|restart/i.test(raw)) return 'Your bot stopped unexpectedly several times. We are looking at it; pausing and resuming may help.';
  if (/timeout|ECONN|network|unreachable/i.test(raw)) return 'A venue could not be reached. Your bot retries on its own.';
  return 'Your bot hit a problem and stopped. Pause and resume it; if that does not help, contact support.';
}

export async function loadStatus(tx: UserTx): Promise<StatusView> {
  const [status, config, profile] = [await getOwnBotStatus(tx), await getOwnConfig(tx), await getOwnProfile(tx)];
  const state = profile?.is_suspended ? 'suspended' : (status?.state ?? 'stopped');
  const mode = status?.mode ?? (config?.dry_run === false ? 'live' : 'paper');
  return {
    state,
    stateLabel: STATE_LABELS[state] ?? state,
    mode,
    botEnabled: config?.bot_enabled ?? false,
    heartbeatAt: status?.heartbeat_at?.toISOString() ?? null,
    configVersion: config?.config_version ?? null,
    appliedVersion: status?.config_version ?? null,
    appliedAt: status?.config_applied_at?.toISOString() ?? null,
    problem: profile?.is_suspended ? `Suspended by PolyBot support: ${profile.suspended_reason ?? 'no reason given'}.` : explainError(status?.last_error ?? null),
    tradesThisMonth: profile?.trades_this_month ?? 0,
    monthlyTradeLimit: profile?.monthly_trade_limit ?? 0,
  };
}
