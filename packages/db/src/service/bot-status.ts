// The runner's heartbeat into polybot_bot_status (other status writes go through updateBotStatus in queries.ts).
import type { BotErrorCode, BotHaltCode, BotStats, TradingMode } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import type { BotStatusUpdate } from './queries.ts';

type Conn = Sql | TransactionSql;

export interface BotHeartbeat {
  state: NonNullable<BotStatusUpdate['state']>;
  mode: TradingMode;
  pid: number;
  managerId: string;
  configVersion: number;
  lastError: string | null;
  /** The code beside lastError; stored only with an error. */
  errorCode: BotErrorCode | null;
  /** ISO timestamp, as the runner reports it. */
  haltedUntil: string | null;
  haltReason: string | null;
  /** The code beside haltReason; stored only with a reason. */
  haltCode: BotHaltCode | null;
  /** The stats (BotStatsSchema); trades_this_month is added here from the profile (the one counter). */
  stats: BotStats;
}

/**
 * Writes a heartbeat onto the user's existing status row. last_error_at keeps the time the current error first
 * appeared (cleared with the error); stats gets this month's trade count read from the profile in the same statement.
 */
export async function writeBotHeartbeat(db: Conn, userId: string, hb: BotHeartbeat): Promise<void> {
  await db`
    update public.polybot_bot_status set
      state = ${hb.state}, mode = ${hb.mode}, pid = ${hb.pid}, manager_id = ${hb.managerId}, heartbeat_at = now(),
      config_version = ${hb.configVersion},
      last_error = ${hb.lastError}, last_error_at = case when ${hb.lastError}::text is null then null else coalesce(last_error_at, now()) end,
      error_code = ${hb.lastError === null ? null : hb.errorCode},
      trading_halted_until = ${hb.haltedUntil}, halt_reason = ${hb.haltReason},
      halt_code = ${hb.haltReason === null ? null : hb.haltCode},
      stats = ${db.json(hb.stats as never)} || jsonb_build_object('trades_this_month',
        (select trades_this_month from public.polybot_user_profiles where id = ${userId}))
    where user_id = ${userId}`;
}
