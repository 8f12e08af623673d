// Which shard each user is in: public.user_shard (the one home of the user → shard rule, issue 15) selected for a
// batch of users. A user's shard never changes (an immutable function of the id; the shard count is a constant), so
// the manager caches the answer.
import type { Sql, TransactionSql } from 'postgres';
import { z } from 'zod';

type Conn = Sql | TransactionSql;

const UserShardRowSchema = z.object({ user_id: z.uuid(), shard: z.coerce.number().int().min(0) });

export async function listUserShards(db: Conn, userIds: readonly string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db`
    select u.id as user_id, public.user_shard(u.id) as shard
    from unnest(${[...userIds]}::uuid[]) as u(id)`;
  return new Map(rows.map((r) => UserShardRowSchema.parse(r)).map((r) => [r.user_id, r.shard]));
}
