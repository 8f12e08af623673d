// The throttle's own rules on a clock the test moves: deferred pricings are counted, a new throttle replaces the one
// running (one end, at the later time), its timer ends it even when the clock reads a hair short, a stop ends nothing.
// The runner under it: runner-throttle.test.ts.
import { expect, test } from 'vitest';
import { DecisionThrottle, type ThrottleClock } from './decision-throttle.ts';

function testClock() {
  let now = 1_000;
  const timers = new Map<number, { fn: () => void; at: number }>();
  let nextId = 1;
  const clock: ThrottleClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { fn, at: now + ms });
      return id;
    },
    clearTimeout: (id) => timers.delete(id as number),
  };
  return {
    clock,
    timers,
    /** Moves the clock to `to` and fires what is due by then (or by `fireAt`, for a timer firing early). */
    advanceTo(to: number, fireAt = to) {
      now = to;
      for (const [id, t] of [...timers]) {
        if (t.at > fireAt) continue;
        timers.delete(id);
        t.fn();
      }
    },
  };
}

test('throttled until its timer fires; each pricing put off meanwhile is counted', () => {
  const t = testClock();
  let ended = 0;
  const throttle = new DecisionThrottle(() => ended++, t.clock);
  expect(throttle.defers()).toBe(false);
  throttle.hold(100);
  expect(throttle.active).toBe(true);
  expect(throttle.defers()).toBe(true);
  expect(throttle.defers()).toBe(true);
  t.advanceTo(1_099);
  expect(throttle.active).toBe(true);
  expect(ended).toBe(0);
  t.advanceTo(1_100);
  expect(throttle.active).toBe(false);
  expect(ended).toBe(1);
  expect(throttle.defers()).toBe(false);
  expect(throttle.skipped).toBe(2);
});

test('a new throttle replaces the running one: one end, at the later time', () => {
  const t = testClock();
  let ended = 0;
  const throttle = new DecisionThrottle(() => ended++, t.clock);
  throttle.hold(100);
  t.advanceTo(1_050);
  throttle.hold(100);
  expect(t.timers.size).toBe(1);
  t.advanceTo(1_100);
  expect(throttle.active).toBe(true);
  expect(ended).toBe(0);
  t.advanceTo(1_150);
  expect(ended).toBe(1);
});

test('a timer firing while the clock reads a millisecond short still ends the throttle', () => {
  const t = testClock();
  let activeAtEnd: boolean | null = null;
  const throttle = new DecisionThrottle(() => (activeAtEnd = throttle.active), t.clock);
  throttle.hold(100);
  t.advanceTo(1_099, 1_100);
  expect(activeAtEnd).toBe(false);
});

test('a stopped runner waits for no end', () => {
  const t = testClock();
  let ended = 0;
  const throttle = new DecisionThrottle(() => ended++, t.clock);
  throttle.hold(100);
  throttle.stop();
  expect(t.timers.size).toBe(0);
  t.advanceTo(2_000);
  expect(ended).toBe(0);
});
