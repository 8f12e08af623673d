// The plan catalogue as a signed-in user reads it (polybot_plans is readable by every signed-in user).
import { PlanSchema, type Plan } from '@polybot/schemas';
import { z } from 'zod';
import type { UserTx } from '../with-user.ts';

/** The plans on sale, in catalogue order. */
export async function listActivePlans(tx: UserTx): Promise<Plan[]> {
  const rows = await tx`select * from public.polybot_plans where is_active order by sort_order`;
  return rows.map((r) => PlanSchema.parse(r));
}

/** A tier's name as the catalogue spells it, retired plans included (a user can still be on one); else the tier. */
export async function planDisplayName(tx: UserTx, tier: string): Promise<string> {
  const rows = await tx<{ display_name: string }[]>`select display_name from public.polybot_plans where tier = ${tier}`;
  return z.string().catch(tier).parse(rows[0]?.display_name);
}
