import { describe, expect, it } from 'vitest';
import { assignShards, desiredShards, winnerOf } from './rendezvous.ts';

const SHARDS = 64;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `manager-${i}`);
const moved = (a: Map<number, string>, b: Map<number, string>) => [...a].filter(([s, o]) => b.get(s) !== o).length;

describe('rendezvous shard assignment', () => {
  it('gives every shard to exactly one member, the same answer in any member order', () => {
    const members = ids(3);
    const a = assignShards(SHARDS, members);
    const b = assignShards(SHARDS, [...members].reverse());
    expect(a.size).toBe(SHARDS);
    expect([...a]).toEqual([...b]);
    for (const m of members) expect([...a.values()].filter((o) => o === m).length).toBeGreaterThan(5);
  });

  it('one member owns all shards; none without members', () => {
    expect(desiredShards('solo', [], SHARDS).size).toBe(SHARDS);
    expect(desiredShards('solo', ['solo', 'solo'], SHARDS).size).toBe(SHARDS);
    expect(assignShards(SHARDS, []).size).toBe(0);
    expect(winnerOf(3, [])).toBeNull();
  });

  it('a join moves only the shards the newcomer wins (about 1/N), all of them to the newcomer', () => {
    for (const n of [1, 2, 3, 5]) {
      const before = assignShards(SHARDS, ids(n));
      const after = assignShards(SHARDS, ids(n + 1));
      const newcomer = `manager-${n}`;
      for (const [shard, owner] of after) if (before.get(shard) !== owner) expect(owner).toBe(newcomer);
      const count = moved(before, after);
      expect(count).toBe([...after.values()].filter((o) => o === newcomer).length);
      // ~SHARDS/(n+1): generous bounds, the hash is not perfectly even over 64 shards.
      expect(count).toBeGreaterThan(SHARDS / (n + 1) / 3);
      expect(count).toBeLessThan((SHARDS / (n + 1)) * 2);
    }
  });

  it("a leave moves only the leaver's shards", () => {
    const before = assignShards(SHARDS, ids(4));
    const after = assignShards(
      SHARDS,
      ids(4).filter((m) => m !== 'manager-2'),
    );
    for (const [shard, owner] of before) {
      if (owner === 'manager-2') expect(after.get(shard)).not.toBe('manager-2');
      else expect(after.get(shard)).toBe(owner);
    }
    expect(moved(before, after)).toBe([...before.values()].filter((o) => o === 'manager-2').length);
  });

  it("desiredShards is the member's part of assignShards", () => {
    const members = ids(3);
    const all = assignShards(SHARDS, members);
    for (const m of members)
      expect([...desiredShards(m, members, SHARDS)].sort((x, y) => x - y)).toEqual(
        [...all].filter(([, o]) => o === m).map(([s]) => s),
      );
  });
});
