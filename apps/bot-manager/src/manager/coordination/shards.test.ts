// Shard moves against a fake database: acquire what rendezvous gives us, release only what moved (after stopping its
// users), wait for a live holder, take over an expired one.
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { assignShards } from './rendezvous.ts';
import { ShardKeeper } from './shards.ts';
import type { AcquiredShard, LeaseMember, ShardOwner } from './types.ts';

const SHARDS = 64;

function keeper(owners: Map<number, ShardOwner>) {
  const events: string[] = [];
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  const db = {
    join: vi.fn(),
    renew: vi.fn(),
    acquire: vi.fn(async (token: string, shards: number[]): Promise<AcquiredShard[]> => {
      events.push(`acquire ${shards.length}`);
      return shards.map((shard) => {
        const prev = owners.get(shard);
        owners.set(shard, { shard, token, managerId: 'me' });
        return {
          shard,
          previousToken: prev?.token ?? null,
          previousExpiredAt: prev ? new Date(Date.now() - 100) : null,
        };
      });
    }),
    release: vi.fn(async (token: string, shards: number[]) => {
      events.push(`release ${shards.length}`);
      for (const s of shards) if (owners.get(s)?.token === token) owners.delete(s);
      return shards.length;
    }),
    leave: vi.fn(),
  };
  const acquired: number[][] = [];
  let clock = 0;
  const k = new ShardKeeper({
    now: () => clock,
    managerId: 'me',
    db,
    log,
    ttlMs: 3000,
    hooks: {
      acquired: (shards) => void acquired.push(shards),
      releasing: async (shards) => {
        events.push(`stop users of ${shards.length}`);
      },
    },
  });
  const view = (members: LeaseMember[]) => ({ ok: true, members, owners: [...owners.values()] });
  /** A view from a renewal sent now (the clock ticks: it is after every earlier move). */
  const apply = (members: LeaseMember[], draining = false) => k.apply(view(members), '10', SHARDS, draining, ++clock);
  return { k, db, events, acquired, view, lines, apply };
}

const me: LeaseMember = { managerId: 'me', token: '10', draining: false };

describe('ShardKeeper', () => {
  it('alone: takes all 64 free shards at once', async () => {
    const { k, apply, acquired } = keeper(new Map());
    await apply([me]);
    expect(k.owned.size).toBe(SHARDS);
    expect(acquired[0]).toHaveLength(SHARDS);
  });

  it('a peer joins: releases exactly the shards the peer wins, stopping their users first', async () => {
    const owners = new Map<number, ShardOwner>();
    const { k, apply, events } = keeper(owners);
    await apply([me]);
    events.length = 0;
    const peer: LeaseMember = { managerId: 'peer', token: '11', draining: false };
    await apply([me, peer]);
    const peerWins = [...assignShards(SHARDS, ['me', 'peer'])].filter(([, o]) => o === 'peer').length;
    expect(events).toEqual([`stop users of ${peerWins}`, `release ${peerWins}`]);
    expect(k.owned.size).toBe(SHARDS - peerWins);
  });

  it("waits for a live holder's lease, then takes the shards over once it expired", async () => {
    const owners = new Map<number, ShardOwner>();
    for (let shard = 0; shard < SHARDS; shard++) owners.set(shard, { shard, token: '5', managerId: 'me' });
    // The previous incarnation of "me" (token 5, killed) still has a live lease: nothing can be taken yet.
    const { k, apply, db, acquired, lines } = keeper(owners);
    await apply([me, { managerId: 'me', token: '5', draining: false }]);
    expect(db.acquire).not.toHaveBeenCalled();
    expect(k.owned.size).toBe(0);
    expect(lines.join('\n')).toMatch(/waiting up to 3 s for the previous owner's lease/);
    // Its lease expired: it is no longer a member, and its shards are taken (failovers).
    await apply([me]);
    expect(acquired[0]).toHaveLength(SHARDS);
    expect(k.owned.size).toBe(SHARDS);
  });

  it('draining: acquires and releases nothing', async () => {
    const { apply, db } = keeper(new Map());
    await apply([me], true);
    expect(db.acquire).not.toHaveBeenCalled();
    expect(db.release).not.toHaveBeenCalled();
  });

  it('shards found taken by someone else (our lease lapsed) stop their users', async () => {
    const owners = new Map<number, ShardOwner>();
    const { k, apply, events } = keeper(owners);
    await apply([me]);
    owners.set(7, { shard: 7, token: '12', managerId: 'other' });
    events.length = 0;
    await apply([me, { managerId: 'other', token: '12', draining: false }]);
    expect(events[0]).toBe('stop users of 1');
    expect(k.owned.has(7)).toBe(false);
  });

  it('a view from a renewal sent before our own acquisition answered is skipped, not taken for a loss', async () => {
    const owners = new Map<number, ShardOwner>();
    const { k, view, events, apply } = keeper(owners);
    const staleView = view([me]); // "sent" at 0, before anything was acquired: every shard free
    await apply([me]);
    expect(k.owned.size).toBe(SHARDS);
    events.length = 0;
    await k.apply(staleView, '10', SHARDS, false, 0);
    expect(events).toEqual([]);
    expect(k.owned.size).toBe(SHARDS);
  });
});
