// The manager as a real process (the CLI, configured by environment as in production), every line of its output —
// and its runners', which inherit its stdout/stderr — kept.
import { spawn, type ChildProcess } from 'node:child_process';
import type { VenueUrls } from '../src/shared/ipc.ts';
import { TEST_LEASE_ENV } from './lease-timing.ts';

export interface ManagerProcess {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `node <args>` with only the environment the manager reads: the database, Polymarket's URLs, fast heartbeats, short leases. */
export function spawnManagerProcess(
  args: string[],
  o: { databaseUrl: string; venueUrls: VenueUrls; env: Record<string, string> },
): ManagerProcess {
  let out = '';
  const proc = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: o.databaseUrl,
      POLYMARKET_CLOB_URL: o.venueUrls.polymarketClob,
      POLYMARKET_GAMMA_URL: o.venueUrls.polymarketGamma,
      POLYMARKET_WS_URL: o.venueUrls.polymarketWs,
      BOT_MANAGER_HTTP_PORT: '0',
      HEARTBEAT_MS: '200',
      STATUS_WRITE_MS: '200',
      // Test leases (lease-timing.ts): a killed manager's successor waits ≤ 8 s for its lease (ARCHITECTURE §7.9).
      ...TEST_LEASE_ENV,
      // The notification worker is on by default and needs the web app's origin for its links.
      APP_URL: 'http://127.0.0.1:3000',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}
