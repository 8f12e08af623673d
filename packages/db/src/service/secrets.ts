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
 * Locks the key row until the transaction ends if it is still in `status` at this stamp ('pending' for a first check,
 * 'valid' for a re-check); false when the keys were rotated, deleted or judged meanwhile (the outcome must then be
 * dropped).
 */
export async function lockSecretAtStamp(
  tx: TransactionSql,
  userId: string,
  s: PendingSecretStamp,
  status: 'pending' | 'valid',
): Promise<boolean> {
  const still = await tx`
    select 1 from public.polybot_user_secrets
     where user_id = ${userId} and platform = ${s.platform} and is_paper = ${s.is_paper} and validation_status = ${status}
       and coalesce(rotated_at, created_at)::text = ${s.stamp}
     for update`;
  return still.length > 0;
}

const DueSecretSchema = PendingSecretStampSchema.extend({ user_id: z.string() });
export type DueSecret = z.infer<typeof DueSecretSchema>;

/**
 * Keys that validated once and are due to be checked again (re-validation, key-revalidation.ts): active, 'valid',
 * last checked more than `olderThanMs` ago, among these users (the ones a manager runs), oldest check first, at most
 * `limit`. `platform` narrows it to one venue (an authentication failure seen while trading: olderThanMs 0).
 */
export async function listValidSecretsDue(
  tx: TransactionSql,
  userIds: readonly string[],
  olderThanMs: number,
  limit: number,
  platform?: 'polymarket' | 'kalshi',
): Promise<DueSecret[]> {
  if (userIds.length === 0) return [];
  const rows = await tx`
    select user_id::text, platform, is_paper, coalesce(rotated_at, created_at)::text as stamp
      from public.polybot_user_secrets
     where user_id = any(${[...userIds]}::uuid[]) and is_active and validation_status = 'valid'
       and (${platform ?? null}::text is null or platform = ${platform ?? null}::text)
       and (last_validated_at is null or last_validated_at <= now() - make_interval(secs => ${olderThanMs / 1000}))
     order by last_validated_at nulls first
     limit ${limit}`;
  return rows.map((r) => DueSecretSchema.parse(r));
}

const SecretVerdictSchema = z.object({
  platform: z.enum(['polymarket', 'kalshi']),
  is_paper: z.boolean(),
  validation_error: z.string().nullable(),
  last_validated_at: z.string().nullable(),
});
export type SecretVerdict = z.infer<typeof SecretVerdictSchema>;

/** Why each of the user's active keys is what it is: the venue's words (when invalid) and when it was last checked. */
export async function listSecretVerdicts(tx: TransactionSql, userId: string): Promise<SecretVerdict[]> {
  const rows = await tx`
    select platform, is_paper, validation_error,
           to_char(last_validated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_validated_at
      from public.polybot_user_secrets where user_id = ${userId} and is_active`;
  return rows.map((r) => SecretVerdictSchema.parse(r));
}
