// The bot-manager as the platform runs it: its own process (`tsx apps/bot-manager/src/main.ts`), configured only
// through its environment. Spawned, never imported: the web app and the manager meet only in the database.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@polybot/local-stack/postgres';
import type { VenueSim } from '@polybot/local-stack/venue-sim';
import type { Stack } from './stack.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ManagerProcess {
  log(): string;
  stop(): Promise<void>;
}

/** `sim`: the venue the bots trade on (a fresh one, so the scenario's timeline starts when the bots do). */
export async function startManagerProcess(stack: Stack, sim: VenueSim): Promise<ManagerProcess> {
  const u = sim.urls;
  let out = '';
  const child = spawn(`${ROOT}node_modules/.bin/tsx`, ['apps/bot-manager/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: stack.db.url,
      POLYMARKET_CLOB_URL: u.polymarketClob ?? sim.origin,
      POLYMARKET_GAMMA_URL: u.polymarketGamma ?? `${sim.origin}/gamma`,
      POLYMARKET_WS_URL: u.polymarketWs ?? '',
      BOT_MANAGER_HTTP_PORT: String(await findFreePort()),
      HEARTBEAT_MS: '200',
      STATUS_WRITE_MS: '200',
      RECONCILE_INTERVAL_MS: '2000',
      LOG_LEVEL: process.env.WEB_TEST_MANAGER_LOG ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return {
    log: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
