// The bot-manager's transactions run as its own least-privilege group role, polybot_manager (migration
// 20261207000200_manager_role.sql, docs/SECURITY.md §1.2), never as service_role: the manager's login is a member of
// polybot_manager only, so switching to service_role would fail, and it must not have that role's reach anyway.
import type { Sql, TransactionSql } from 'postgres';

/** The role, also named in `request.jwt.claims`, so audit rows written by definer functions name it as the actor. */
export const MANAGER_ROLE = 'polybot_manager';

/**
 * Runs fn in one transaction as polybot_manager. The manager's login inherits that role's grants anyway; naming it
 * here also holds when a connection may be more (a test's admin URL): the transaction can do no more than the manager.
 */
export async function asManager<T>(sql: Sql, fn: (tx: TransactionSql) => Promise<T>): Promise<T> {
  const result = await sql.begin(async (tx) => {
    await tx.unsafe(`set local role ${MANAGER_ROLE}`);
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ role: MANAGER_ROLE })}, true)`;
    return fn(tx);
  });
  return result as T;
}
