// Whether a user's bot should run and, if not, why not: public.bot_run_decisions (migration 20261204000300) is the one
// home of that rule; the BotManager reads the reason from here instead of re-deriving it.
import { BotHaltCodeSchema } from '@polybot/schemas';
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

export const BotRunDecisionSchema = z.object({
  user_id: z.uuid(),
  should_run: z.boolean(),
  /**
   * Machine-readable reason, one of the bot status row's halt codes (documented on the SQL function): account_missing,
   * suspended, onboarding_incomplete, no_config, paused_by_user, subscription_inactive, or stopped_by_service when
   * should_run is true.
   */
  reason_code: BotHaltCodeSchema,
  /** The words the bot status row's halt_reason shows the user and admins. */
  reason: z.string(),
  /** The state the bot status row shows while the bot is not running. */
  idle_state: z.enum(['suspended', 'paused', 'stopped']),
  subscription_tier: z.string().nullable(),
  config_version: z.coerce.number().int().nullable(),
});
export type BotRunDecision = z.infer<typeof BotRunDecisionSchema>;

/** The decision for one user (a row even when the user no longer exists: reason_code account_missing). */
export async function getBotRunDecision(db: Conn, userId: string): Promise<BotRunDecision> {
  const rows = await db`select * from public.bot_run_decisions(${userId}::uuid)`;
  return BotRunDecisionSchema.parse(rows[0]);
}
