// One-time email tokens (recovery, signup confirmation) in auth.users' recovery_token / confirmation_token columns,
// as GoTrue keeps them. The link carries a random token hash; the column holds its sha256, so a database read does
// not yield a usable link. A token is consumed by the verify that uses it, and expires `maxAgeSeconds` after sending.
import { createHash, randomBytes } from 'node:crypto';
import { UserRowSchema, type AuthTx, type UserRow } from './store.ts';

export type EmailTokenKind = 'recovery' | 'confirmation';

/** 56 hex characters, the shape of GoTrue's token_hash (a sha224 hex digest). */
export function newTokenHash(): string {
  return randomBytes(28).toString('hex');
}

export function digestTokenHash(tokenHash: string): string {
  return createHash('sha256').update(tokenHash).digest('hex');
}

export async function storeEmailToken(tx: AuthTx, userId: string, kind: EmailTokenKind, tokenHash: string) {
  const digest = digestTokenHash(tokenHash);
  if (kind === 'recovery') {
    await tx`update auth.users set recovery_token = ${digest}, recovery_sent_at = now() where id = ${userId}`;
  } else {
    await tx`update auth.users set confirmation_token = ${digest}, confirmation_sent_at = now() where id = ${userId}`;
  }
}

/**
 * The user a live token of one of `kinds` belongs to, with the token cleared and the email confirmed (following a
 * recovery link proves the address too, as in GoTrue). null: no such token, or it expired.
 */
export async function consumeEmailToken(
  tx: AuthTx,
  tokenHash: string,
  kinds: readonly EmailTokenKind[],
  maxAgeSeconds: number,
): Promise<UserRow | null> {
  const digest = digestTokenHash(tokenHash);
  const recovery = kinds.includes('recovery');
  const confirmation = kinds.includes('confirmation');
  const [found] = await tx`
    select id, recovery_token = ${digest} as by_recovery
      from auth.users
     where (${recovery}::boolean and recovery_token = ${digest}
            and recovery_sent_at > now() - make_interval(secs => ${maxAgeSeconds}))
        or (${confirmation}::boolean and confirmation_token = ${digest}
            and confirmation_sent_at > now() - make_interval(secs => ${maxAgeSeconds}))
     limit 1
       for update`;
  if (found === undefined) return null;
  const byRecovery = found.by_recovery === true;
  const rows = await tx`
    update auth.users
       set recovery_token = case when ${byRecovery} then '' else recovery_token end,
           confirmation_token = case when ${byRecovery} then confirmation_token else '' end,
           email_confirmed_at = coalesce(email_confirmed_at, now()),
           raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb,
           updated_at = now()
     where id = ${found.id as string}
       and (recovery_token = ${digest} or confirmation_token = ${digest})
    returning *`;
  return rows[0] === undefined ? null : UserRowSchema.parse(rows[0]);
}
