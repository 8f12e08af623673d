// Shards → managers by rendezvous (highest-random-weight) hashing: every manager scores every shard with a hash of
// (its id, the shard) and a shard belongs to the live member with the highest score. Each manager computes the same
// answer from the same member list, with no coordination beyond that list, and a join or leave moves only the shards
// whose winner changed: a newcomer takes ~1/N of the shards (only those it now wins), a leaver's shards spread over
// the rest, and no other shard moves. Pure: no clock, no database. (Which shard a USER is in is the database's rule,
// public.user_shard; TS never re-implements it.)
import { createHash } from 'node:crypto';

/** The score of `managerId` for `shard`: the first 8 bytes of sha256(id NUL shard), as an unsigned integer. */
export function shardWeight(managerId: string, shard: number): bigint {
  return createHash('sha256').update(`${managerId}\0${shard}`).digest().readBigUInt64BE(0);
}

/** The member that wins `shard` (ties, astronomically unlikely, go to the smaller id); null without members. */
export function winnerOf(shard: number, members: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1n;
  for (const m of members) {
    const w = shardWeight(m, shard);
    if (w > bestWeight || (w === bestWeight && best !== null && m < best)) {
      best = m;
      bestWeight = w;
    }
  }
  return best;
}

/** Every shard 0..shardCount-1 → its winner among `members` (duplicates in `members` count once). */
export function assignShards(shardCount: number, members: readonly string[]): Map<number, string> {
  const unique = [...new Set(members)];
  const out = new Map<number, string>();
  if (unique.length === 0) return out;
  for (let shard = 0; shard < shardCount; shard++) {
    const w = winnerOf(shard, unique);
    if (w !== null) out.set(shard, w);
  }
  return out;
}

/** The shards `self` should own among `members` (self included whether or not listed). */
export function desiredShards(self: string, members: readonly string[], shardCount: number): Set<number> {
  const out = new Set<number>();
  for (const [shard, owner] of assignShards(shardCount, [...members, self])) if (owner === self) out.add(shard);
  return out;
}
