// The one billing fact the shared profile schema does not carry: whether the subscription was cancelled to end at
// the period end. Read as the user (RLS: their own row only).
import { z } from 'zod';
import type { UserTx } from '../with-user.ts';

const CancelAtPeriodEndSchema = z.object({ subscription_cancel_at_period_end: z.boolean() });

export async function subscriptionCancelsAtPeriodEnd(tx: UserTx): Promise<boolean> {
  const rows =
    await tx`select subscription_cancel_at_period_end from public.polybot_user_profiles where id = auth.uid()`;
  return rows[0] ? CancelAtPeriodEndSchema.parse(rows[0]).subscription_cancel_at_period_end : false;
}
