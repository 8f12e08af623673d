// Reload latency, commit of the UPDATE → runner acknowledgement. Run from the repo root:
//   npx tsx bench/reload.bench.ts [configChanges=200] [restarts=200] [seedRestarts=200]
// 1. config-only change: applied in place; ack = the runner's configAck with the new version.
// 2. key rotation: the runner restarts; ack = the new runner's first heartbeat.
// 3. the seed's strategy for the same config change: stop, sleep 1 s, start; ack = the new runner's first heartbeat.
import { createLogger, startBotManager, type ManagerEvents } from '@polybot/bot-manager';
import {
  createTestDatabase,
  createUser,
  managerLoginUrl,
  makeKeys,
  saveKeys,
  startSim,
  venueUrlsOf,
} from '@polybot/bot-manager/testing';
import { runMain } from './run-main.ts';
import { pct } from './stats.ts';

const [configN = 200, restartN = 200, seedN = 200] = process.argv.slice(2).map(Number);
const fmt = (xs: number[]): string =>
  `p50 ${pct(xs, 0.5).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms (n=${xs.length})`;

async function main(): Promise<void> {
  const [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  const user = await createUser(db);
  const running = await startBotManager({
    databaseUrl: await managerLoginUrl(db),
    venueUrls: venueUrlsOf(sim),
    logger: createLogger('bench', 'warn'),
    logLevel: 'warn',
    heartbeatMs: 1000,
    notifyDebounceMs: 0,
  });
  const m = running.manager;

  function waitEvent<K extends keyof ManagerEvents>(
    name: K,
    pred: (e: ManagerEvents[K][0]) => boolean,
  ): Promise<ManagerEvents[K][0]> {
    // EventEmitter's typed map cannot check a listener for a generic event name; the payload is still typed above.
    const emitter: NodeJS.EventEmitter = m;
    return new Promise((resolve) => {
      const on = (e: ManagerEvents[K][0]): void => {
        if (e.userId === user.id && pred(e)) {
          emitter.off(name, on);
          resolve(e);
        }
      };
      emitter.on(name, on);
    });
  }

  await waitEvent('runnerReady', () => true).catch(() => undefined);
  const configLat: number[] = [];
  for (let i = 0; i < configN; i++) {
    const acked = (v: number) => waitEvent('configApplied', (e) => e.configVersion >= v);
    const t0 = performance.now();
    const [row] =
      await db.sql`update public.polybot_user_config set min_profit_pct = ${i % 2 === 0 ? 0.15 : 0.25} where user_id = ${user.id} returning config_version`;
    await acked(Number(row?.config_version));
    configLat.push(performance.now() - t0);
  }

  const restartLat: number[] = [];
  for (let i = 0; i < restartN; i++) {
    const before = m.runners().find((r) => r.userId === user.id)?.pid;
    const ready = waitEvent('runnerReady', (e) => e.pid !== before);
    const t0 = performance.now();
    await saveKeys(db.sql, user.id, makeKeys());
    await ready;
    restartLat.push(performance.now() - t0);
  }

  const seedLat: number[] = [];
  for (let i = 0; i < seedN; i++) {
    const before = m.runners().find((r) => r.userId === user.id)?.pid;
    const stopped = waitEvent('runnerStopped', () => true);
    const t0 = performance.now();
    await db.sql`update public.polybot_user_config set bot_enabled = false, min_profit_pct = ${i % 2 === 0 ? 0.35 : 0.45} where user_id = ${user.id}`;
    await stopped;
    await new Promise((r) => setTimeout(r, 1000));
    const ready = waitEvent('runnerReady', (e) => e.pid !== before);
    await db.sql`update public.polybot_user_config set bot_enabled = true where user_id = ${user.id}`;
    await ready;
    seedLat.push(performance.now() - t0);
  }

  console.log(`config-only (in place):       ${fmt(configLat)}`);
  console.log(`key rotation (restart):       ${fmt(restartLat)}`);
  console.log(`seed stop/sleep 1 s/start:    ${fmt(seedLat)}`);
  console.log(
    `ratio seed / config-only p50: ${(pct(seedLat, 0.5) / pct(configLat, 0.5)).toFixed(0)}x, p99: ${(pct(seedLat, 0.99) / pct(configLat, 0.99)).toFixed(0)}x`,
  );
  console.log(`ratio seed / key rotation p50: ${(pct(seedLat, 0.5) / pct(restartLat, 0.5)).toFixed(2)}x`);
  await running.stop();
  await Promise.allSettled([sim.close(), db.stop()]);
}

runMain(main);
