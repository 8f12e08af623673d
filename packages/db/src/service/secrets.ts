// Key validation bookkeeping for the BotManager: which keys await a check, and a lock that makes sure the outcome is
// recorded only for the keys that were checked (a rotation meanwhile changes the stamp).
import type { TransactionSql } from 'postgres';
import { z } from 'zod';

const PendingSecretStampSchema = z.object({
  platform: z.enum(['polymarket', 'kalshi']),
  is_paper: z.boolean(),
  /** coalesce(rotated_at, created_at) as text: which version of the keys this is. */
  stamp: z.string(),
});
export type PendingSecretStamp = z.infer<typeof PendingSecretStampSchema>;

/** The user's active keys still pending validation, each with its version stamp. */
export async function listPendingSecretStamps(tx: TransactionSql, userId: string): Promise<PendingSecretStamp[]> {
  const rows = await tx`
    select platform, is_paper, coalesce(rotated_at, created_at)::text as stamp
      from public.polybot_user_secrets where user_id = ${userId} and is_active and validation_status = 'pending'`;
  return rows.map((r) => PendingSecretStampSchema.parse(r));
}

/**
 * Locks the key row until the transaction ends if it is still pending at this stamp; false when the keys were
 * rotated or validated meanwhile (the outcome must then be dropped).
 */
export async function lockPendingSecretAtStamp(
  tx: TransactionSql,
  userId: string,
  s: PendingSecretStamp,
): Promise<boolean> {
  const still = await tx`
    select 1 from public.polybot_user_secrets
     where user_id = ${userId} and platform = ${s.platform} and is_paper = ${s.is_paper} and validation_status = 'pending'
       and coalesce(rotated_at, created_at)::text = ${s.stamp}
     for update`;
  return still.length > 0;
}
