import { isStaleOwnerError } from '@polybot/db/service';
import { describe, expect, it } from 'vitest';
import { coordinatorOwnership } from './ownership.ts';
import { UserShards } from './user-shards.ts';

// Users a and b live in shard 1 (ours), c in shard 2 (not ours).
const SHARDS = new Map([
  ['a', 1],
  ['b', 1],
  ['c', 2],
]);

async function setUp(token: string | null = '7') {
  const fences: string[] = [];
  const coordinator = {
    token,
    ownsShard: (shard: number) => token !== null && shard === 1,
    staleOwner: (detail: string) => void fences.push(detail),
  };
  const shards = new UserShards(async (ids) => new Map(ids.map((u) => [u, SHARDS.get(u) ?? 0])));
  await shards.of(SHARDS.keys());
  return { ownership: coordinatorOwnership(coordinator, shards, isStaleOwnerError), fences };
}

function refused(code: 'PBF01' | 'PBF02', fenceToken?: string) {
  return Object.assign(new Error(`${code}: stale owner`), {
    code,
    ...(fenceToken !== undefined ? { fenceToken } : {}),
  });
}

describe('Ownership.checkStale: fence only when the refusal contradicts what the manager believes now', () => {
  it('fences on a refused write that carried our current token for a user we think we own', async () => {
    const { ownership, fences } = await setUp();
    expect(ownership.checkStale(refused('PBF01', '7'), 'a')).toBe(true);
    expect(fences).toHaveLength(1);
  });

  it('does not fence for a user already let go (their shard is not ours): the fence working, not news', async () => {
    const { ownership, fences } = await setUp();
    expect(ownership.checkStale(refused('PBF01', '7'), 'c')).toBe(true);
    expect(fences).toEqual([]);
  });

  it('does not fence for a write that carried an older token or none (begun before a fence or a rejoin)', async () => {
    const { ownership, fences } = await setUp();
    expect(ownership.checkStale(refused('PBF01', '6'), 'a')).toBe(true);
    expect(ownership.checkStale(refused('PBF02', ''), 'b')).toBe(true);
    expect(fences).toEqual([]);
  });

  it('does not fence again while not joined (every user is let go then)', async () => {
    const { ownership, fences } = await setUp(null);
    expect(ownership.checkStale(refused('PBF02', ''), 'a')).toBe(true);
    expect(fences).toEqual([]);
  });

  it('fences when it cannot tell (no user, no token known) and ignores other errors', async () => {
    const { ownership, fences } = await setUp();
    expect(ownership.checkStale(refused('PBF01'))).toBe(true);
    expect(fences).toHaveLength(1);
    expect(ownership.checkStale(Object.assign(new Error('x'), { code: '23505' }), 'a')).toBe(false);
    expect(fences).toHaveLength(1);
  });
});
