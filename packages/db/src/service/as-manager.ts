// The bot-manager's transactions run as its own least-privilege group role, polybot_manager (migration
// 20261207000200_manager_role.sql, docs/SECURITY.md §1.2), never as service_role: the manager's login is a member of
// polybot_manager only, so switching to service_role would fail, and it must not have that role's reach anyway.
//
// With many managers (issue 15) each transaction also carries the manager's lease token as the fence
// (polybot.fence, migration 20261208000110_fenced_writes.sql): the database refuses a user's writes unless that token
// owns the user's shard with a live lease. The fence is bound once per Sql instance (bindManagerFence) and read at the
// start of every transaction, so a rejoin (new token) or a lost lease (null) takes effect on the next one.
import type { Sql, TransactionSql } from 'postgres';

/** The role, also named in `request.jwt.claims`, so audit rows written by definer functions name it as the actor. */
export const MANAGER_ROLE = 'polybot_manager';

/** Returns the current lease token (a decimal string), or null while the manager holds no lease. */
export type ManagerFence = () => string | null;

// Keyed by the Sql instance: a pool belongs to one manager; a WeakMap keeps no pool alive.
const fences = new WeakMap<Sql, ManagerFence>();

/**
 * Makes every asManager transaction on `sql` carry `fence()` as polybot.fence. While it returns null, the setting is
 * cleared (''), so writes for users are refused (PBF02 for a manager login): a manager without a lease must not write.
 */
export function bindManagerFence(sql: Sql, fence: ManagerFence): void {
  fences.set(sql, fence);
}

/**
 * Runs fn in one transaction as polybot_manager. The manager's login inherits that role's grants anyway; naming it
 * here also holds when a connection may be more (a test's admin URL): the transaction can do no more than the manager.
 * The claims and, when bound, the fence are set in one statement: no extra round trip per transaction.
 */
export async function asManager<T>(sql: Sql, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const fence = fences.get(sql);
  let used: string | undefined;
  try {
    const result = await sql.begin(async (tx) => {
      await tx.unsafe(`set local role ${MANAGER_ROLE}`);
      const claims = JSON.stringify({ role: MANAGER_ROLE });
      // Read when the transaction has its connection: a token lost while waiting for one is not used.
      if (fence) {
        used = fence() ?? '';
        await tx`select set_config('request.jwt.claims', ${claims}, true), set_config('polybot.fence', ${used}, true)`;
      } else await tx`select set_config('request.jwt.claims', ${claims}, true)`;
      return fn(tx);
    });
    return result as T;
  } catch (e) {
    // Which token the refused write carried: the manager fences itself only when it is its current one.
    if (used !== undefined && isStaleOwnerError(e)) (e as StaleOwnerError).fenceToken = used;
    throw e;
  }
}

/** SQLSTATEs of migration 20261208000110_fenced_writes.sql: PBF01 stale owner, PBF02 manager write without a token. */
export const STALE_OWNER_CODES = ['PBF01', 'PBF02'] as const;

/** A write the database refused as a stale owner's; `fenceToken`: the token it carried ('' none), when asManager knew. */
export interface StaleOwnerError extends Error {
  code: (typeof STALE_OWNER_CODES)[number];
  fenceToken?: string;
}

/** Whether the database refused a write because this manager does not (or no longer) own the user. */
export function isStaleOwnerError(e: unknown): e is StaleOwnerError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'string' && (STALE_OWNER_CODES as readonly string[]).includes(code);
}

/**
 * For a transaction on `sql` that does not switch roles (sql.begin in a query that must also run on an admin
 * connection): puts the bound fence into it, as asManager does. Nothing when no fence is bound (no round trip).
 */
export async function applyManagerFence(sql: Sql, tx: TransactionSql): Promise<void> {
  const fence = fences.get(sql);
  if (fence) await tx`select set_config('polybot.fence', ${fence() ?? ''}, true)`;
}
