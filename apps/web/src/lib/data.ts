// Reads and writes the web app needs beyond @polybot/db's typed user queries. Every function takes the user's
// transaction from withUser, so RLS scopes each row; none of them names a user id itself.
import 'server-only';
import type { UserTx } from '@polybot/db';
import { PlanSchema, type Plan } from '@polybot/schemas';
import { z } from 'zod';
import { TERMS_VERSION } from './terms.ts';

export const ONBOARDING_STEPS = ['terms', 'platforms', 'risk', 'plan', 'done'] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];

export async function acceptTerms(tx: UserTx): Promise<void> {
  await tx`update public.polybot_user_profiles
              set accepted_terms_at = now(), accepted_terms_version = ${TERMS_VERSION},
                  onboarding_step = case when onboarding_step = 'terms' then 'platforms' else onboarding_step end
            where id = auth.uid()`;
}

/** Moves the wizard forward to `step` (never backwards: a finished user stays finished). */
export async function advanceOnboarding(tx: UserTx, step: OnboardingStep): Promise<void> {
  const rank = ONBOARDING_STEPS.indexOf(step);
  await tx`update public.polybot_user_profiles
              set onboarding_step = ${step}, onboarding_completed = ${step === 'done'}
            where id = auth.uid()
              and array_position(${tx.array([...ONBOARDING_STEPS])}::text[], onboarding_step) < ${rank + 1}`;
}

export async function listPlans(tx: UserTx): Promise<Plan[]> {
  const rows = await tx`select * from public.polybot_plans where is_active order by sort_order`;
  return rows.map((r) => PlanSchema.parse(r));
}

/** A tier's name as the catalogue spells it, retired plans included (a user can still be on one). */
export async function planName(tx: UserTx, tier: string): Promise<string> {
  const rows = await tx<{ display_name: string }[]>`select display_name from public.polybot_plans where tier = ${tier}`;
  return z.string().catch(tier).parse(rows[0]?.display_name);
}

const PnlRow = z.object({ day: z.coerce.date(), pnl: z.coerce.number(), trades: z.coerce.number().int() });
export type PnlDay = z.infer<typeof PnlRow>;

/**
 * Realized P&L per UTC day of the current month (days without trades are filled in by the chart). `(select
 * auth.uid())` is evaluated once, not per row; the predicate matches polybot_trades_user_booked_at_idx.
 */
export async function pnlThisMonth(tx: UserTx): Promise<PnlDay[]> {
  const rows = await tx`
    select date_trunc('day', coalesce(executed_at, created_at), 'UTC') as day,
           coalesce(sum(realized_pnl_usd), 0)::float8 as pnl, count(*)::int as trades
      from public.polybot_trades
     where user_id = (select auth.uid()) and coalesce(executed_at, created_at) >= date_trunc('month', now(), 'UTC')
     group by 1 order by 1`;
  return rows.map((r) => PnlRow.parse(r));
}

export const TradeRowSchema = z.object({
  id: z.coerce.number().int(),
  platform: z.string(),
  market_id: z.string(),
  market_title: z.string().nullable().default(null),
  instrument_id: z.string(),
  outcome: z.string().nullable(),
  side: z.string(),
  strategy: z.string(),
  mode: z.string(),
  status: z.string(),
  price: z.number().nullable(),
  size: z.number(),
  filled_size: z.number(),
  fee: z.number(),
  notional_usd: z.number(),
  realized_pnl_usd: z.number().nullable(),
  created_at: z.coerce.date(),
});
export type TradeRow = z.infer<typeof TradeRowSchema>;

/** One trade by id — RLS makes another user's trade indistinguishable from one that does not exist. */
export async function getOwnTrade(tx: UserTx, id: number): Promise<TradeRow | null> {
  const rows = await tx`
    select id, platform, market_id, market_title, instrument_id, outcome, side, strategy, mode, status, price::float8 as price,
           size::float8 as size, filled_size::float8 as filled_size, fee::float8 as fee,
           notional_usd::float8 as notional_usd, realized_pnl_usd::float8 as realized_pnl_usd, created_at
      from public.polybot_trades where id = ${id}`;
  return rows[0] ? TradeRowSchema.parse(rows[0]) : null;
}

/** The newest of the user's trades (its id), or null: the dashboard refreshes its lists when this changes. */
export async function latestTradeId(tx: UserTx): Promise<number | null> {
  // Matches polybot_trades_user_id_desc_idx: one index probe.
  const rows = await tx<{ id: string | number }[]>`
    select id from public.polybot_trades where user_id = (select auth.uid()) order by id desc limit 1`;
  return rows[0] ? Number(rows[0].id) : null;
}
