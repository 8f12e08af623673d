// The runner's venue pauses: a VenuePausedError pauses that venue (its opportunities are skipped, the status names it
// and its next check), the probe lifts it, and a failed probe keeps it paused with a later check.
import { VenuePausedError } from '@polybot/venues';
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { VenuePauses } from './venue-pause.ts';

const leg = (venue: 'polymarket' | 'kalshi') => ({ venue, instrumentId: `${venue}-1` });

function pausesWith(probe: () => Promise<{ trading: boolean; resumeAtMs: number | null }>) {
  let changes = 0;
  let changed: () => void = () => undefined;
  const pauses = new VenuePauses({
    probe,
    log: pino({ level: 'silent' }),
    onChange: () => {
      changes++;
      changed();
    },
    baseMs: 10,
    maxMs: 40,
  });
  const nextChange = (): Promise<void> => new Promise((r) => (changed = r));
  return { pauses, nextChange, changes: () => changes };
}

test('paused until the probe says trading: skipped with the venue named, then open again', async () => {
  const answers = [false, true];
  const { pauses, nextChange, changes } = pausesWith(() =>
    Promise.resolve({ trading: answers.shift() ?? true, resumeAtMs: null }),
  );
  pauses.report(new VenuePausedError('kalshi', 'trading paused (trading_is_paused: maintenance)'));
  expect(changes()).toBe(1);
  expect(pauses.blocked({ legs: [leg('polymarket'), leg('kalshi')] })).toEqual({
    code: 'venue_paused',
    reason: 'Kalshi is paused (trading paused (trading_is_paused: maintenance)): nothing sent there',
  });
  expect(pauses.blocked({ legs: [leg('polymarket')] })).toBeNull();
  expect(pauses.haltReason()).toMatch(
    /^Kalshi is paused \(trading paused .*\): no orders there until it trades again; next check at \d\d:\d\d:\d\d UTC$/,
  );
  await nextChange(); // the first probe: still paused, checked again later
  expect(pauses.isPaused('kalshi')).toBe(true);
  await nextChange(); // the second: trading
  expect(pauses.isPaused('kalshi')).toBe(false);
  expect(pauses.haltReason()).toBeNull();
  pauses.stop();
});

test('a second report while paused only updates the words; stop clears everything', () => {
  const { pauses, changes } = pausesWith(() => Promise.resolve({ trading: true, resumeAtMs: null }));
  pauses.report(new VenuePausedError('polymarket', 'matching engine restarting (HTTP 425)'));
  pauses.report(new VenuePausedError('polymarket', 'post-only mode after a matching engine restart'));
  expect(changes()).toBe(1);
  expect(pauses.haltReason()).toMatch(/^Polymarket is paused \(post-only mode/);
  pauses.stop();
  expect(pauses.isPaused('polymarket')).toBe(false);
});
