// The slot's transitions: what each state carries over (the crash count, the runner's bookkeeping) and what it drops.
import { describe, expect, it } from 'vitest';
import type { RunnerProcess } from './runner-process.ts';
import { crashesOf, errored, idle, liveOf, running, sameFingerprint, starting, stopping } from './slot.ts';
import type { UserState } from './user-state.ts';

const proc = { pid: 42 } as RunnerProcess;
const user = (configVersion: number, keys = 'k1', plan = 'p1'): UserState =>
  ({ userId: 'u', configVersion, keysFingerprint: keys, planFingerprint: plan }) as UserState;
const init = {
  state: user(3),
  risk: { openInstrumentIds: [], pnlTodayUsd: 0 },
  copiedTxHashes: [],
  newsSeenKeys: [],
  reconcileKalshi: [],
  unresolvedIntents: [],
};

describe('slot transitions', () => {
  it('a started runner keeps its crash count through running and stopping, and hands it back when it exits', () => {
    const s = starting(proc, init, 2, Promise.resolve());
    if (s.kind !== 'starting') throw new Error(s.kind);
    expect(s.applied).toBe(init.state);
    s.lastStatusWrite = 123;
    const r = running(s);
    expect(r).toMatchObject({ kind: 'running', proc, crashes: 2, lastStatusWrite: 123 });
    expect(r).not.toHaveProperty('init');
    const live = liveOf(r);
    if (!live) throw new Error('no live state');
    const st = stopping(live);
    expect(st).toMatchObject({ kind: 'stopping', proc, crashes: 2, applied: init.state });
    expect(crashesOf(st)).toBe(2);
  });

  it('gives up on exactly what the runner ran with; a fresh start counts from zero', () => {
    const live = liveOf(starting(proc, init, 4, Promise.resolve()));
    if (!live) throw new Error('no live state');
    const e = errored(live);
    if (e.kind !== 'errored') throw new Error(e.kind);
    expect(sameFingerprint(e.fingerprint, user(3))).toBe(true);
    expect(sameFingerprint(e.fingerprint, user(4))).toBe(false);
    expect(sameFingerprint(e.fingerprint, user(3, 'k2'))).toBe(false);
    expect(sameFingerprint(e.fingerprint, user(3, 'k1', 'p2'))).toBe(false);
    expect(crashesOf(e)).toBe(0);
    expect(crashesOf(idle())).toBe(0);
    expect(crashesOf(idle(3))).toBe(3);
    expect(liveOf(idle())).toBeNull();
    expect(liveOf({ kind: 'refused', configVersion: 3 })).toBeNull();
  });
});
