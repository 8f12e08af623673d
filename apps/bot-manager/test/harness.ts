// Test set-up: a throwaway database, the venue simulator (arb-rich), users created as the web app creates them, and
// helpers to wait for conditions (bounded by generous timeouts; never asserting on wall-clock time).
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthUser, createTestDatabase, localLoginUrl, type TestDatabase } from '@polybot/local-stack/postgres';
import { PolymarketTrading, polymarketKeyAddress } from '@polybot/venues';
import type { Sql } from 'postgres';
import { alive, registerKalshiKey, startCountingProxy, type CountingProxy } from '@polybot/local-stack/testing';
import { managerVenueUrls, polymarketFactory, startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { SCENARIOS_DIR } from '@polybot/local-stack/venue-sim/scenario';
import type { VenueUrls } from '../src/shared/ipc.ts';

export {
  alive,
  createTestDatabase,
  registerKalshiKey,
  startCountingProxy,
  startVenueSim,
  type CountingProxy,
  type TestDatabase,
  type VenueSim,
};

/**
 * The URL a manager under test connects with: its own least-privilege login (polybot_manager_local, a member of the
 * polybot_manager group role; docs/SECURITY.md §1.2), never the admin URL the tests set data up with.
 */
export function managerLoginUrl(db: TestDatabase): Promise<string> {
  return localLoginUrl({ adminUrl: db.url, groupRole: 'polybot_manager' });
}

export async function startSim(): Promise<VenueSim> {
  return startVenueSim({ scenario: 'arb-rich', port: 0, venues: [polymarketFactory] });
}

/** Both venues of a scenario, with scenario time standing still (it moves only on /_sim/advance): time-limited
 * opportunities (arb-rich's cross-platform and Kalshi baskets end at 60 s) stay put however slow the machine is. */
export async function startBothVenuesSim(): Promise<VenueSim> {
  return startVenueSim({ scenario: 'arb-rich', port: 0, autoAdvance: false });
}

/** Every link of a scenario's links.json, stored as admin-approved rows of polybot_market_links. */
export async function approveScenarioLinks(sql: Sql, scenario: string): Promise<number> {
  const file = JSON.parse(readFileSync(join(SCENARIOS_DIR, scenario, 'links.json'), 'utf8')) as {
    links: Array<{
      relation: string;
      aVenue: string;
      aMarketId: string;
      bVenue: string;
      bMarketId: string;
      approved: boolean;
    }>;
  };
  let n = 0;
  for (const l of file.links.filter((x) => x.approved)) {
    await sql`
      insert into public.polybot_market_links (relation, a_platform, a_market_id, b_platform, b_market_id, status, reviewed_by, reviewed_at)
      values (${l.relation}, ${l.aVenue}, ${l.aMarketId}, ${l.bVenue}, ${l.bMarketId}, 'approved', 'test', now())
      on conflict do nothing`;
    n++;
  }
  return n;
}

export function venueUrlsOf(sim: VenueSim): VenueUrls {
  return managerVenueUrls(sim);
}

export interface TestKeys {
  apiKey: string;
  apiSecret: string;
  privateKey: string;
  /** Unique strings that must never appear anywhere but in this user's runner. */
  markers: string[];
}

export function makeKeys(): TestKeys {
  const privateKey = randomBytes(32).toString('hex');
  const secret = `SECRETMARK${randomBytes(12).toString('hex')}`;
  const passphrase = `PASSMARK${randomBytes(8).toString('hex')}`;
  const apiKey = randomUUID();
  return {
    apiKey,
    apiSecret: JSON.stringify({ secret, passphrase }),
    privateKey,
    markers: [privateKey, secret, passphrase, apiKey],
  };
}

/**
 * A wallet with API credentials the simulator issued (derived with L1 auth, directly, not through any proxy): keys a
 * live runner can really trade with. Every part of them is a marker (random and unique to this wallet).
 */
export async function walletKeys(sim: VenueSim): Promise<TestKeys> {
  const privateKey = randomBytes(32).toString('hex');
  const t = await PolymarketTrading.connect({
    clobUrl: venueUrlsOf(sim).polymarketClob,
    privateKey: `0x${privateKey}`,
  });
  const c = t.client.creds;
  if (!c) throw new Error('no creds derived');
  return {
    apiKey: c.key,
    apiSecret: JSON.stringify({ secret: c.secret, passphrase: c.passphrase }),
    privateKey,
    markers: [privateKey, c.key, c.secret, c.passphrase],
  };
}

/** The venue as the user reaches it with their own keys (placing orders by hand, reading fills directly). */
export async function userVenue(sim: VenueSim, keys: TestKeys): Promise<PolymarketTrading> {
  const secret = JSON.parse(keys.apiSecret) as { secret: string; passphrase: string };
  return PolymarketTrading.connect({
    clobUrl: venueUrlsOf(sim).polymarketClob,
    privateKey: `0x${keys.privateKey}`,
    creds: { key: keys.apiKey, ...secret },
  });
}

export interface UserOptions {
  config?: Record<string, unknown>;
  profile?: Record<string, unknown>;
  keys?: TestKeys;
  isPaper?: boolean;
}

export async function createUser(db: TestDatabase, o: UserOptions = {}): Promise<{ id: string; keys: TestKeys }> {
  const id = randomUUID();
  await createAuthUser(db, { id, email: `${id}@test.local` });
  await db.sql`update public.polybot_user_profiles set onboarding_completed = true, onboarding_step = 'done' where id = ${id}`;
  if (o.profile && Object.keys(o.profile).length > 0)
    await db.sql`update public.polybot_user_profiles set ${db.sql(o.profile as Record<string, never>)} where id = ${id}`;
  const config: Record<string, unknown> = { dry_run: true, min_profit_pct: 0.1, ...o.config };
  await db.sql`update public.polybot_user_config set ${db.sql(config as Record<string, never>)} where user_id = ${id}`;
  const keys = o.keys ?? makeKeys();
  await saveKeys(db.sql, id, keys, o.isPaper ?? true);
  return { id, keys };
}

/** Polymarket keys saved as the user saves them (save_user_secret under their JWT): pending until checked. */
export async function saveKeys(sql: Sql, userId: string, keys: TestKeys, isPaper = true): Promise<void> {
  await saveSecret(sql, userId, isPaper, keys.apiKey, keys.apiSecret, keys.privateKey);
}

/** A bare private key (no API credentials): the venue check is L1 auth. */
export async function savePrivateKeyOnly(
  sql: Sql,
  userId: string,
  privateKey: string,
  isPaper: boolean,
): Promise<void> {
  await saveSecret(sql, userId, isPaper, null, null, privateKey);
}

/** A bare private key with its wallet settings (signature type, funder) in additional_config. */
export async function saveWalletKey(
  sql: Sql,
  userId: string,
  privateKey: string,
  isPaper: boolean,
  additionalConfig: Record<string, unknown>,
): Promise<void> {
  await saveSecret(sql, userId, isPaper, null, null, privateKey, additionalConfig);
}

async function saveSecret(
  sql: Sql,
  userId: string,
  isPaper: boolean,
  apiKey: string | null,
  apiSecret: string | null,
  privateKey: string,
  additionalConfig: Record<string, unknown> = {},
  platform: 'polymarket' | 'kalshi' = 'polymarket',
): Promise<void> {
  // As the web app does: a Polymarket key goes with its own address (the key hint is built from it).
  const config =
    platform === 'polymarket' ? { address: polymarketKeyAddress(privateKey), ...additionalConfig } : additionalConfig;
  await sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
    await tx`select public.save_user_secret(${platform}, ${isPaper}, ${apiKey}, ${apiSecret}, ${privateKey}, ${tx.json(config as never)})`;
  });
}

/** Kalshi keys (key id + RSA private key PEM) saved as the user saves them: pending until checked. */
export async function saveKalshiKey(
  sql: Sql,
  userId: string,
  key: { keyId: string; privatePem: string },
  isPaper: boolean,
): Promise<void> {
  await saveSecret(sql, userId, isPaper, key.keyId, null, key.privatePem, {}, 'kalshi');
}

export async function until<T>(
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition never held: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

/** Processes whose parent is `ppid` (from /proc). */
export function childrenOf(ppid: number): number[] {
  try {
    const text = readFileSync(`/proc/${ppid}/task/${ppid}/children`, 'utf8').trim();
    return text === '' ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

/** Every process whose command line mentions the runner entry (whatever its parent now is). */
export function runnerPids(): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('bot-manager/.runner-bundle/')) out.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export async function statusOf(sql: Sql, userId: string): Promise<Record<string, unknown>> {
  const [row] = await sql`select * from public.polybot_bot_status where user_id = ${userId}`;
  return row ?? {};
}

/** Waits for `n` more heartbeats of the user's runner (each a status row with a new heartbeat_at). */
export async function heartbeats(sql: Sql, userId: string, n: number, what = `heartbeat of ${userId}`): Promise<void> {
  for (let i = 0; i < n; i++) {
    const mark = String((await statusOf(sql, userId)).heartbeat_at);
    await until(async () => String((await statusOf(sql, userId)).heartbeat_at) !== mark, what);
  }
}

/** The user's monthly trade counter (-1 without a profile). */
export async function tradesThisMonth(sql: Sql, userId: string): Promise<number> {
  const [p] = await sql<
    { n: number }[]
  >`select trades_this_month as n from public.polybot_user_profiles where id = ${userId}`;
  return p?.n ?? -1;
}

/** The user's status row once its state is `state`. */
export function statusIn(
  sql: Sql,
  userId: string,
  state: string,
  what: string,
  timeoutMs?: number,
): Promise<Record<string, unknown>> {
  return until(
    async () => {
      const s = await statusOf(sql, userId);
      return s.state === state ? s : null;
    },
    what,
    timeoutMs,
  );
}

/** A booked trade as the strategy suites read it. */
export interface TradeRow {
  instrument_id: string;
  size: number;
  price: number;
  fee: number;
  strategy: string;
  mode: string;
  status: string;
  leg_group_id: string;
  created_at: Date;
}

/** The user's booked trades, oldest first. */
export function tradesOf(sql: Sql, userId: string): Promise<TradeRow[]> {
  return sql<TradeRow[]>`
    select instrument_id, size::float8 as size, price::float8 as price, fee::float8 as fee, strategy, mode, status, leg_group_id, created_at
    from public.polybot_trades where user_id = ${userId} order by id`;
}

/**
 * The bot's order posts a proxy in front of the CLOB saw, with each one's answer status: every `POST /order` but the
 * key check's funder probe, a post-only order (docs/ARCHITECTURE.md §8a.1) — the strategies never send post-only
 * orders (an arbitrage takes liquidity).
 */
export function botOrderPosts(proxy: CountingProxy): Array<{ status: number | null }> {
  return proxy.requests.flatMap((r, i) =>
    r === 'POST /order' && !/"postOnly"\s*:\s*true/.test(proxy.bodies[i] ?? '')
      ? [{ status: proxy.statuses[i] ?? null }]
      : [],
  );
}
