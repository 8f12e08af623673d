// The runner's lease deadline on an injected clock: orders may leave strictly before it, it only moves forward, and it
// fires once, at the deadline, unless extended first.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { NO_LEASE_DEADLINE } from '../shared/ipc.ts';
import { LeaseGuard } from './lease-guard.ts';

let guard: LeaseGuard | null = null;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], now: 1_000_000 });
});

afterEach(() => {
  guard?.stop();
  guard = null;
  vi.useRealTimers();
});

function lease(until: number): { guard: LeaseGuard; expired: () => number } {
  let n = 0;
  guard = new LeaseGuard({ until, now: () => Date.now(), onExpired: () => n++ });
  return { guard, expired: () => n };
}

test('orders may leave strictly before the deadline; at it the guard fires once and refuses from then on', () => {
  const { guard, expired } = lease(Date.now() + 1000);
  expect(guard.canTrade()).toBe(true);
  vi.advanceTimersByTime(999);
  expect(guard.canTrade()).toBe(true);
  expect(expired()).toBe(0);
  vi.advanceTimersByTime(1);
  expect(guard.canTrade()).toBe(false);
  expect(expired()).toBe(1);
  vi.advanceTimersByTime(60_000);
  expect(expired()).toBe(1);
  expect(guard.refusal()).toMatch(/lease .* expired/);
});

test('a lease message moves the deadline forward; an older one changes nothing', () => {
  const { guard, expired } = lease(Date.now() + 1000);
  vi.advanceTimersByTime(800);
  guard.extend(Date.now() + 1000);
  // Overtaken by the newer deadline above: ignored.
  guard.extend(Date.now() + 500);
  vi.advanceTimersByTime(999);
  expect(guard.canTrade()).toBe(true);
  expect(expired()).toBe(0);
  vi.advanceTimersByTime(1);
  expect(expired()).toBe(1);
});

test('an extension after expiry does not revive the lease (the runner is on its way out)', () => {
  const { guard, expired } = lease(Date.now() + 10);
  vi.advanceTimersByTime(10);
  expect(expired()).toBe(1);
  guard.extend(Date.now() + 60_000);
  expect(guard.canTrade()).toBe(false);
});

test('a deadline already past at start refuses at once and fires asynchronously (never inside the constructor)', () => {
  const { guard, expired } = lease(Date.now() - 1);
  expect(guard.canTrade()).toBe(false);
  expect(expired()).toBe(0);
  vi.advanceTimersByTime(0);
  expect(expired()).toBe(1);
});

test('the clock passing the deadline refuses orders even before the timer has run (a busy event loop)', () => {
  let now = 0;
  guard = new LeaseGuard({ until: 100, now: () => now, onExpired: () => undefined });
  expect(guard.canTrade()).toBe(true);
  now = 100;
  expect(guard.canTrade()).toBe(false);
});

test('no lease (a single manager): never fires, however long the runner runs', () => {
  const { guard, expired } = lease(NO_LEASE_DEADLINE);
  // Far past setTimeout's longest delay (~24.8 days), which would otherwise fire at once.
  vi.advanceTimersByTime(100 * 24 * 3600 * 1000);
  expect(expired()).toBe(0);
  expect(guard.canTrade()).toBe(true);
});

test('stop() ends the timer: a runner stopping for another reason is not told its lease expired', () => {
  const { guard, expired } = lease(Date.now() + 1000);
  guard.stop();
  vi.advanceTimersByTime(5000);
  expect(expired()).toBe(0);
});
