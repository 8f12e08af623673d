// Messages in flight to a runner that exits (a book, a settlement notice, its stop) are not an error: the runner is
// gone and its exit is reported on its own. `npm start`'s Ctrl-C check once failed on a "runner process error (write
// EPIPE)" warning from exactly this race: the manager wrote to a runner that had exited a moment before.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OrderBook } from '@polybot/schemas';
import pino from 'pino';
import { expect, test } from 'vitest';
import { RunnerProcess } from '../src/manager/runner-process.ts';

const ENTRY = fileURLToPath(new URL('./exiting-runner.mjs', import.meta.url));

/** True once the process has exited (a zombie until its parent reaps it). */
const dead = (pid: number): boolean => / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').split(')')[1] ?? '');

test('a write racing a runner exit is not logged as a runner error', async () => {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino(
    { level: 'debug' },
    { write: (l: string) => lines.push(JSON.parse(l) as { level: number; msg: string }) },
  );
  let exits = 0;
  const runner = new RunnerProcess({
    entry: ENTRY,
    userId: '11111111-1111-4111-8111-111111111111',
    memoryMb: 64,
    logLevel: 'info',
    log,
    onMessage: () => undefined,
    onExit: () => exits++,
  });
  const book: OrderBook = { venue: 'polymarket', instrumentId: 'tok', bids: [], asks: [], timestampMs: 0, seq: 0 };
  expect(runner.send({ type: 'book', book, hubAtMs: 0 })).toBe(true); // the runner exits on it
  // Without yielding to the event loop, the manager has not seen the channel close: to it the runner still looks
  // connected, as it does when a book arrives in the same tick as the runner's exit.
  for (let spins = 0; !dead(runner.pid); spins++) if (spins > 1e9) throw new Error('runner never exited');
  expect(runner.child.connected).toBe(true);
  runner.send({ type: 'book', book, hubAtMs: 0 });
  expect(await runner.waitExit(5000)).toBe(true);
  await new Promise((r) => setImmediate(r));
  expect(exits).toBe(1);
  expect(lines.filter((l) => l.level >= 40)).toEqual([]);
});
