// Many bot-managers (issue 15): the lease and shard functions of migration 20261208000100_manager_leases.sql, each in
// one asManager transaction, results validated here. Times are the database's; tokens are decimal strings (bigint).
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';
import { asManager } from './as-manager.ts';

const TokenSchema = z.string().regex(/^[0-9]{1,19}$/, 'a fencing token');
const ShardSchema = z.number().int().min(0);

/** manager_join: this incarnation's new token and lease expiry. */
export const LeaseJoinSchema = z.strictObject({
  token: TokenSchema,
  expiresAt: z.coerce.date(),
  shardCount: z.number().int().positive(),
});
export type LeaseJoin = z.infer<typeof LeaseJoinSchema>;

/** manager_renew: ok=false when the lease expired or is gone (rejoin); live members and valid shard owners. */
export const LeaseRenewSchema = z.strictObject({
  ok: z.boolean(),
  expiresAt: z.coerce.date().nullable(),
  members: z.array(z.strictObject({ managerId: z.string(), token: TokenSchema, draining: z.boolean() })),
  owners: z.array(z.strictObject({ shard: ShardSchema, token: TokenSchema, managerId: z.string() })),
});
export type LeaseRenew = z.infer<typeof LeaseRenewSchema>;

/** One shard newly taken by manager_acquire_shards; previous* are null when it was free (or its lease row is gone). */
export const ShardAcquiredSchema = z.strictObject({
  shard: ShardSchema,
  previousToken: TokenSchema.nullable(),
  previousExpiredAt: z.coerce.date().nullable(),
});
export type ShardAcquired = z.infer<typeof ShardAcquiredSchema>;

const ResultRowSchema = z.object({ r: z.unknown() });

/** One select of one function in its own asManager transaction; its single value `r`. */
async function call(sql: Sql, run: (tx: TransactionSql) => PromiseLike<readonly unknown[]>): Promise<unknown> {
  const rows = await asManager(sql, async (tx) => run(tx));
  return ResultRowSchema.parse(rows[0]).r;
}

/** A new lease (new fencing token) for this manager incarnation. */
export async function joinManager(sql: Sql, managerId: string, ttlMs: number): Promise<LeaseJoin> {
  return LeaseJoinSchema.parse(
    await call(sql, (tx) => tx`select public.manager_join(${managerId}, ${Math.round(ttlMs)}::int) as r`),
  );
}

/** Extends a live lease; ok=false means it expired or is gone and the manager must fence itself and rejoin. */
export async function renewLease(sql: Sql, token: string, ttlMs: number, draining: boolean): Promise<LeaseRenew> {
  return LeaseRenewSchema.parse(
    await call(
      sql,
      (tx) => tx`select public.manager_renew(${token}::bigint, ${Math.round(ttlMs)}::int, ${draining}) as r`,
    ),
  );
}

/** Takes the listed shards that are free or whose owner's lease expired; returns those newly taken. */
export async function acquireShards(sql: Sql, token: string, shards: number[]): Promise<ShardAcquired[]> {
  return z
    .array(ShardAcquiredSchema)
    .parse(await call(sql, (tx) => tx`select public.manager_acquire_shards(${token}::bigint, ${shards}::int[]) as r`));
}

/** Releases those of the listed shards this lease owns; returns how many. */
export async function releaseShards(sql: Sql, token: string, shards: number[]): Promise<number> {
  return z
    .number()
    .int()
    .parse(await call(sql, (tx) => tx`select public.manager_release_shards(${token}::bigint, ${shards}::int[]) as r`));
}

/** Releases all shards of this lease and expires it now (drain, then leave). */
export async function leaveManager(sql: Sql, token: string): Promise<void> {
  await asManager(sql, (tx) => tx`select public.manager_leave(${token}::bigint)`);
}
