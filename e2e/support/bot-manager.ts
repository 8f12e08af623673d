// The real bot-manager as the platform runs it — its own process (`tsx apps/bot-manager/src/main.ts`), configured only
// through its environment, spawned and never imported (the web app, billing and the manager meet only in the database).
// Also: bot users set up the way onboarding leaves them, and status reads. Tests only.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { stopChild } from '@polybot/local-stack/process';
import type { Sql } from 'postgres';
import { findFreePort, localLoginUrl } from '@polybot/local-stack/postgres';
import type { VenueSim } from '@polybot/local-stack/venue-sim';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ManagerProcess {
  log(): string;
  stop(): Promise<void>;
}

/**
 * `databaseUrl`: the admin URL the journey sets data up with; the manager itself connects as its own least-privilege
 * login (polybot_manager, docs/SECURITY.md §1.2), as in production.
 * `sim`: the venue the bots trade on (a fresh one, so the scenario's timeline starts when the bots do).
 * `dataApiUrl`: the Polymarket data-API the manager polls for copy trading (e.g. a counting proxy), polled every
 * 300 ms; without it the manager's own default applies. E2E_MANAGER_LOG sets the manager's log level (default warn).
 * `env`: added last (overrides the above).
 */
export async function startManagerProcess(o: {
  databaseUrl: string;
  sim: VenueSim;
  dataApiUrl?: string;
  /** More of the manager's environment, e.g. the notification variables of `stack.notifications.env`. */
  env?: Readonly<Record<string, string>>;
}): Promise<ManagerProcess> {
  const u = o.sim.urls;
  let out = '';
  const child = spawn(`${ROOT}node_modules/.bin/tsx`, ['apps/bot-manager/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: await localLoginUrl({ adminUrl: o.databaseUrl, groupRole: 'polybot_manager' }),
      POLYMARKET_CLOB_URL: u.polymarketClob ?? o.sim.origin,
      POLYMARKET_GAMMA_URL: u.polymarketGamma ?? `${o.sim.origin}/gamma`,
      POLYMARKET_WS_URL: u.polymarketWs ?? '',
      ...(o.dataApiUrl ? { POLYMARKET_DATA_API_URL: o.dataApiUrl, WALLET_POLL_INTERVAL_MS: '300' } : {}),
      BOT_MANAGER_HTTP_PORT: String(await findFreePort()),
      HEARTBEAT_MS: '200',
      STATUS_WRITE_MS: '200',
      RECONCILE_INTERVAL_MS: '2000',
      // Market lifecycle (listings, resolutions) at test pace; the link matcher off (journeys approve links themselves).
      MARKET_REFRESH_MS: '1000',
      LINK_PROPOSAL_INTERVAL_MS: '0',
      LOG_LEVEL: process.env.E2E_MANAGER_LOG ?? 'warn',
      // The notification worker is on by default and needs the web app's origin for its links.
      APP_URL: process.env.APP_URL ?? 'http://127.0.0.1:3000',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return {
    log: () => out,
    stop: () => stopChild(child, 10_000),
  };
}

/**
 * An onboarded user with a paper Polymarket key, as the wizard leaves them (the key saved through the user's own
 * RPC, under RLS), and `config` over the defaults. `createUser` makes the auth user (and with it the profile).
 */
export async function createBotUser(
  sql: Sql,
  createUser: () => Promise<string>,
  config: Record<string, unknown>,
): Promise<string> {
  const id = await createUser();
  await sql`update public.polybot_user_profiles set onboarding_completed = true, onboarding_step = 'done' where id = ${id}`;
  const values: Record<string, unknown> = { dry_run: true, min_profit_pct: 0.1, ...config };
  await sql`update public.polybot_user_config set ${sql(values)} where user_id = ${id}`;
  await sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: id, role: 'authenticated' })}, true)`;
    const secret = JSON.stringify({
      secret: randomBytes(16).toString('hex'),
      passphrase: randomBytes(8).toString('hex'),
    });
    await tx`select public.save_user_secret('polymarket', true, ${randomUUID()}, ${secret}, ${randomBytes(32).toString('hex')}, '{}'::jsonb)`;
  });
  return id;
}

export interface BotStatus {
  state: string;
  pid: number | null;
  started_at: Date | null;
  heartbeat_at: Date | null;
  last_error: string | null;
  stats: { plan_tier?: string; plan_monthly_trade_limit?: number } | null;
}

export async function botStatus(sql: Sql, userId: string): Promise<BotStatus> {
  const [row] = await sql<BotStatus[]>`
    select state, pid, started_at, heartbeat_at, last_error, stats from public.polybot_bot_status where user_id = ${userId}`;
  if (!row) throw new Error(`no bot status for ${userId}`);
  return row;
}
