// Which manager's fork made a runner process (managers.ts forkThatStarted): by the process's start time, so that a
// reused pid is never attributed to the older runner that had it (the failover bench stalled on that after its pids
// wrapped: a new runner counted for another user, its own user counted as having none).
import { describe, expect, it } from 'vitest';
import { forkThatStarted, type Fork } from './managers.ts';

const fork = (pid: number, userId: string, atMs: number): Fork => ({ pid, userId, managerId: 'm1', atMs });

describe('forkThatStarted', () => {
  const old = fork(4242, 'old-user', 1_000);
  const fresh = fork(4242, 'new-user', 600_000);

  it("a process that started long after an older process of its pid: not that one's fork, until its own is read", () => {
    expect(forkThatStarted([old], 4242, 599_990)).toBeUndefined();
    expect(forkThatStarted([old, fresh], 4242, 599_990)).toBe(fresh);
  });

  it('the line may be stamped a little before or after the start time /proc gives (ticks of 10 ms, clocks apart)', () => {
    expect(forkThatStarted([fresh], 4242, 601_500)).toBe(fresh);
    expect(forkThatStarted([fresh], 4242, 598_000)).toBe(fresh);
    expect(forkThatStarted([fresh], 4242, 603_000)).toBeUndefined();
  });

  it('the first matching fork at or after the start, and only of that pid', () => {
    const later = fork(4242, 'later-user', 900_000);
    expect(forkThatStarted([later, fresh, fork(4243, 'x', 600_000)], 4242, 600_000)).toBe(fresh);
    expect(forkThatStarted([fresh], 4243, 600_000)).toBeUndefined();
  });
});
