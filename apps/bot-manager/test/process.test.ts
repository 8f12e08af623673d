// The manager as a real process (the CLI, configured by environment), all its output — and its runners', which
// inherit its stdout/stderr — captured: secrets never in argv, environment or logs; kill -9 of the manager leaves no
// runner behind; SIGTERM exits 0 with no children and nothing half-booked.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { alive, childrenOf, createTestDatabase, createUser, startSim, statusOf, until, venueUrlsOf, type TestDatabase, type TestKeys, type VenueSim } from './harness.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let db: TestDatabase;
let sim: VenueSim;
const users: Array<{ id: string; keys: TestKeys }> = [];
const spawned: ChildProcess[] = [];

function startManagerProcess(): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const urls = venueUrlsOf(sim);
  let out = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp',
      DATABASE_URL: db.url, POLYMARKET_CLOB_URL: urls.polymarketClob, POLYMARKET_GAMMA_URL: urls.polymarketGamma,
      POLYMARKET_WS_URL: urls.polymarketWs, BOT_MANAGER_HTTP_PORT: '0', HEARTBEAT_MS: '200', STATUS_WRITE_MS: '200', LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(proc);
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

const runningAll = async (): Promise<void> => {
  await until(async () => {
    for (const u of users) if ((await statusOf(db.sql, u.id)).state !== 'running') return false;
    return true;
  }, 'all runners running', 90_000);
};

beforeAll(async () => {
  [db, sim] = await Promise.all([createTestDatabase(), startSim()]);
  for (let i = 0; i < 3; i++) users.push(await createUser(db));
});

afterAll(async () => {
  for (const p of spawned) if (p.exitCode === null && p.pid !== undefined) p.kill('SIGKILL');
  await Promise.allSettled([sim?.close(), db?.stop()]);
});

test('no secret in any runner /proc cmdline or environ, nor in any log line; SIGTERM → exit 0, no children, nothing half-booked', async () => {
  const m = startManagerProcess();
  const mpid = m.proc.pid ?? 0;
  await runningAll();
  // Let them trade a little so execution and booking paths log too.
  await until(async () => (await db.sql`select count(*)::int as n from public.polybot_trades`)[0]?.n > 0, 'some trades');
  const children = childrenOf(mpid);
  expect(children.length).toBe(3);
  const markers = users.flatMap((u) => u.keys.markers);
  for (const pid of children) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    // Precompiled and memory-capped: plain node on the bundle, no TypeScript loader, heap limits set.
    const argv = cmdline.split('\0');
    expect(argv.some((a) => /\/\.runner-bundle\/[0-9a-f]{64}\/main\.mjs$/.test(a))).toBe(true);
    expect(argv).not.toContain('tsx');
    expect(argv.some((a) => /^--max-old-space-size=\d+$/.test(a))).toBe(true);
    expect(argv.some((a) => /^--max-semi-space-size=\d+$/.test(a))).toBe(true);
    for (const marker of markers) {
      expect(cmdline).not.toContain(marker);
      expect(environ).not.toContain(marker);
    }
    // The database URL (a credential) is not handed to runners either.
    expect(environ).not.toContain(db.url);
  }
  m.proc.kill('SIGTERM');
  expect(await m.exited).toBe(0);
  for (const pid of children) expect(alive(pid)).toBe(false);
  const output = m.output();
  expect(output).toContain('runner started');
  for (const marker of markers) expect(output).not.toContain(marker);
  // Every line a runner wrote names its user.
  for (const line of output.split('\n').filter((l) => l.includes('"polybot-runner"'))) expect(line).toMatch(/"userId":"[0-9a-f-]{36}"/);
  // Nothing half-booked: each instrument's open position equals what its booked trades add up to.
  const mismatches = await db.sql`
    with t as (
      select user_id, instrument_id, sum(case when side = 'buy' then filled_size else -filled_size end) as net
        from public.polybot_trades group by user_id, instrument_id)
    select t.*, p.size from t full join public.polybot_positions p using (user_id, instrument_id)
     where coalesce(t.net, 0) <> coalesce(p.size, 0)`;
  expect(mismatches).toEqual([]);
  for (const u of users) expect((await statusOf(db.sql, u.id)).state).toBe('stopped');
});

test('kill -9 the manager → no runner process left after 3 s', async () => {
  const m = startManagerProcess();
  const mpid = m.proc.pid ?? 0;
  await until(() => childrenOf(mpid).length === 3, 'three runners forked', 90_000);
  await until(() => m.output().split('runner started').length - 1 >= 3, 'three runners started', 90_000);
  const children = childrenOf(mpid);
  m.proc.kill('SIGKILL');
  await m.exited;
  await until(() => children.every((pid) => !alive(pid)), 'runners gone after the manager died', 3000);
});
