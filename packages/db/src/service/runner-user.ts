// The profile and config rows the BotManager builds a user's runner from. The config row is returned unparsed: a row
// that fails UserConfigRowSchema must stop the bot with the problem in words, which is the manager's call to make.
import { PlanFeaturesSchema, TierSchema } from '@polybot/schemas';
import type { TransactionSql } from 'postgres';
import { z } from 'zod';

/** The profile columns that make up a runner's plan (its limits and features). */
export const RunnerProfileSchema = z.object({
  subscription_tier: TierSchema,
  features_enabled: PlanFeaturesSchema,
  live_trading_allowed: z.boolean(),
  max_trade_size_usd: z.coerce.number(),
  max_daily_loss_usd: z.coerce.number(),
  max_positions: z.coerce.number().int(),
  monthly_trade_limit: z.coerce.number().int(),
});
export type RunnerProfile = z.infer<typeof RunnerProfileSchema>;

/** null: no profile or no config row (the user is gone). Run inside asManager, with the secrets read alongside. */
export async function readRunnerUser(
  tx: TransactionSql,
  userId: string,
): Promise<{ profile: RunnerProfile; configRow: Record<string, unknown> } | null> {
  // Only the plan's columns: the manager's role may read no other column of the profile (email, Stripe ids, …).
  const [profileRow] = await tx`
    select ${tx(Object.keys(RunnerProfileSchema.shape))} from public.polybot_user_profiles where id = ${userId}`;
  const [configRow] = await tx`select * from public.polybot_user_config where user_id = ${userId}`;
  if (!profileRow || !configRow) return null;
  return { profile: RunnerProfileSchema.parse(profileRow), configRow };
}
