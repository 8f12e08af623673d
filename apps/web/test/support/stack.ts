// The local stack for the browser tests: throwaway Postgres (bootstrap + migrations), auth (the local-stack server
// when it exists, else the stand-in), the venue simulator, and the built app under `next start` on a free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, findFreePort, type TestDatabase } from '@polybot/local-stack/postgres';
import { startVenueSim, type VenueSim } from '../../../../packages/local-stack/src/venue-sim/server.ts';
import { startStandInAuth, type AuthHandle } from './stand-in-auth.ts';

export const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));
const NEXT_BIN = path.join(WEB_DIR, 'node_modules/.bin/next');
const ROOT_NEXT_BIN = fileURLToPath(new URL('../../../../node_modules/.bin/next', import.meta.url));
const LOCAL_AUTH = fileURLToPath(new URL('../../../../packages/local-stack/src/auth/index.ts', import.meta.url));

export interface Stack {
  db: TestDatabase;
  auth: AuthHandle & { kind: 'local-stack' | 'stand-in' };
  sim: VenueSim;
  baseUrl: string;
  stop(): Promise<void>;
}

type StartLocalAuth = (o: { databaseUrl: string }) => Promise<AuthHandle>;

async function startAuth(db: TestDatabase): Promise<Stack['auth']> {
  if (existsSync(LOCAL_AUTH)) {
    // Imported by path so this file compiles before the auth server lands.
    const mod = (await import(/* @vite-ignore */ LOCAL_AUTH)) as { startLocalAuth?: StartLocalAuth };
    if (mod.startLocalAuth) return { ...(await mod.startLocalAuth({ databaseUrl: db.superuserUrl })), kind: 'local-stack' };
  }
  return { ...(await startStandInAuth(db.superuserUrl)), kind: 'stand-in' };
}

function nextBin(): string {
  return existsSync(NEXT_BIN) ? NEXT_BIN : ROOT_NEXT_BIN;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: WEB_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out.slice(-4000)}`))));
  });
}

/** `next build` once per test run; WEB_TEST_SKIP_BUILD=1 reuses an existing .next (local iteration only). */
export async function buildApp(): Promise<void> {
  if (process.env.WEB_TEST_SKIP_BUILD === '1' && existsSync(path.join(WEB_DIR, '.next/BUILD_ID'))) return;
  await run(nextBin(), ['build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1' });
}

async function waitForHttp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited ${child.exitCode}\n${log()}`);
    try {
      const res = await fetch(url, { redirect: 'manual' });
      if (res.status > 0) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`next start did not answer at ${url}\n${log()}`);
}

export async function startStack(): Promise<Stack> {
  const db = await createTestDatabase();
  const cleanups: (() => Promise<void>)[] = [() => db.stop()];
  try {
    const auth = await startAuth(db);
    cleanups.unshift(() => auth.close());
    const sim = await startVenueSim({ scenario: 'quiet', port: 0, host: '127.0.0.1' });
    cleanups.unshift(() => sim.close());
    const port = await findFreePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: db.url,
      NEXT_PUBLIC_SUPABASE_URL: auth.url,
      NEXT_PUBLIC_SUPABASE_ANON_KEY: auth.anonKey,
      KALSHI_API_BASE: sim.urls.kalshi ?? `${sim.origin}/trade-api/v2`,
      POLYMARKET_CLOB_URL: sim.urls.polymarketClob ?? sim.origin,
      POLYMARKET_CHAIN_ID: '137',
    };
    let log = '';
    const child = spawn(nextBin(), ['start', '-p', String(port), '-H', '127.0.0.1'], { cwd: WEB_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    cleanups.unshift(async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${baseUrl}/sign-in`, child, () => log);
    return {
      db,
      auth,
      sim,
      baseUrl,
      stop: async () => {
        for (const c of cleanups) await c().catch((e: unknown) => console.error('cleanup failed', e));
        if (process.env.WEB_TEST_SHOW_LOG === '1') console.log(log);
      },
    };
  } catch (e) {
    for (const c of cleanups) await c().catch(() => undefined);
    throw e;
  }
}
