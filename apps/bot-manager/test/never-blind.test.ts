// Never trading blind, through the whole process path (real manager, forked runners, the simulator's venues):
// - a market-data socket that stays open but sends nothing: the manager's watchdog reconnects it, fresh snapshots
//   arrive, and a runner trades what the venue listed meanwhile (without the watchdog it never sees it);
// - books that aged past max_book_age_ms while the reservation was out: no order (skip `stale_book`), then fresh
//   books and the same opportunity goes out;
// - Polymarket's matching-engine restart (HTTP 425, then the post-only window) and a Kalshi trading pause: the live
//   runner's status says `venue_paused` with the venue and why, then trading resumes by itself.
import { expect, test } from 'vitest';
import { createUser, registerKalshiKey, saveKeys, statusOf, until, walletKeys } from './harness.ts';
import { listArbMarket, listKalshiArbEvent, startQuietBothSim, tradesIn } from './market-lifecycle-world.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack({ sim: startQuietBothSim });

const LIVE_PLAN = { live_trading_allowed: true, subscription_tier: 'pro' };
const POLY_ONLY = { enable_polymarket: true, enable_kalshi: false, max_open_positions: 20 };
const KALSHI_ONLY = { enable_polymarket: false, enable_kalshi: true, max_open_positions: 20, max_trade_size_usd: 50 };
const FAST = { marketRefreshMs: 300, kalshiMarketData: { pollIntervalMs: 200 } };

async function simControl(venue: 'polymarket' | 'kalshi', action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${stack.sim.origin}/_sim/${venue}/${action}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`/_sim/${venue}/${action}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

async function polymarketSubscriptions(): Promise<Record<string, number>> {
  const body = (await (await fetch(`${stack.sim.origin}/_sim/stats`)).json()) as {
    venues: { polymarket: { subscriptions: Record<string, number> } };
  };
  return body.venues.polymarket.subscriptions;
}

const runningIn = (id: string, mode: string): Promise<unknown> =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, id);
      return s.state === 'running' && s.mode === mode;
    },
    `runner of ${id} running (${mode})`,
    90_000,
  );

/** The status row once it halts with `venue_paused`: its words. */
const pausedStatus = (id: string): Promise<string> =>
  until(
    async () => {
      const s = await statusOf(stack.db.sql, id);
      return s.halt_code === 'venue_paused' ? String(s.halt_reason) : null;
    },
    `status of ${id}: venue_paused`,
    60_000,
  );

const disable = (id: string): Promise<unknown> =>
  stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${id}`;

test('a silent market socket: reconnected by the watchdog, fresh snapshots, and the runner trades again', async () => {
  const u = await createUser(stack.db, { config: POLY_ONLY });
  const m = await stack.manager('silent', { ...FAST, feedSilenceMs: 500 });
  await runningIn(u.id, 'paper');
  // The open socket goes quiet (pings answered); a market listed now is subscribed on it, but its snapshot never
  // comes. Once the window ends the socket stays quiet until it subscribes afresh: only the watchdog's reconnect
  // brings the book (without it this test never trades).
  expect(await simControl('polymarket', 'silence', { ms: 600_000 })).toMatchObject({ silenced: 1 });
  const listed = await listArbMarket(stack.sim, 'silence');
  await until(async () => (await polymarketSubscriptions())[listed.yes] === 1, 'the listed market subscribed', 60_000);
  await simControl('polymarket', 'silence', { ms: 0 });
  await until(
    async () => (await tradesIn(stack.db.sql, u.id, listed.conditionId)).length >= 2,
    'both legs of the market listed during the silence traded',
    60_000,
  );
  expect(await m.metrics.registry.getSingleMetricAsString('polybot_feed_silences_total')).toMatch(
    /polybot_feed_silences_total\{venue="polymarket"\} [1-9]/,
  );
  await disable(u.id);
  await m.stop();
});

test('books older than max_book_age_ms when the order would leave: nothing sent (stale_book), then fresh books trade', async () => {
  const u = await createUser(stack.db, { config: POLY_ONLY });
  await stack.db.sql`
    update public.polybot_user_config set advanced_config = ${stack.db.sql.json({ maxBookAgeMs: 2000 })} where user_id = ${u.id}`;
  let held = false;
  const m = await stack.manager('stale', {
    ...FAST,
    // The runner's first reservation is answered only after the book it priced on has aged past max_book_age_ms:
    // the manager (this tap runs inside it, synchronously) is held that long while the request is out. The hold is
    // the fault being injected, not a wait for something to happen.
    ipcTap: (e) => {
      const msg = e.message as { type?: string; request?: { op?: string } };
      if (held || e.userId !== u.id || e.direction !== 'from' || msg.type !== 'db') return;
      if (msg.request?.op !== 'reserveTrades') return;
      held = true;
      const until = Date.now() + 3000;
      while (Date.now() < until) {
        // held: the book ages
      }
    },
  });
  await runningIn(u.id, 'paper');
  const listed = await listArbMarket(stack.sim, 'stale');
  const skip = await until(
    async () => {
      const stats = (await statusOf(stack.db.sql, u.id)).stats as {
        recent_opportunities?: Array<{ skip_code?: string | null; skip_reason?: string | null }>;
      } | null;
      return stats?.recent_opportunities?.find((o) => o.skip_code === 'stale_book') ?? null;
    },
    'an opportunity skipped as stale_book',
    60_000,
  );
  expect(skip.skip_reason).toMatch(/s old when the order would have left \(max book age 2 s\): not sent on old data$/);
  // Fresh books on both legs (the venue changes a bid on each; a resnapshot may have come first): the same
  // opportunity is priced again and goes out — once: the held attempt sent nothing.
  await simControl('polymarket', 'set-level', { tokenId: listed.yes, side: 'bid', price: 0.41, size: 5 });
  await simControl('polymarket', 'set-level', { tokenId: listed.no, side: 'bid', price: 0.44, size: 5 });
  await until(
    async () => (await tradesIn(stack.db.sql, u.id, listed.conditionId)).length >= 2,
    'both legs traded on fresh books',
    60_000,
  );
  expect(await tradesIn(stack.db.sql, u.id, listed.conditionId)).toHaveLength(2);
  await disable(u.id);
  await m.stop();
});

test('Polymarket engine restart (425, then post-only): live runner paused with the reason, then trades by itself', async () => {
  const keys = await walletKeys(stack.sim);
  const u = await createUser(stack.db, { config: { ...POLY_ONLY, dry_run: false }, profile: LIVE_PLAN });
  await saveKeys(stack.db.sql, u.id, keys, false);
  const m = await stack.manager('restart', FAST);
  await runningIn(u.id, 'live');
  await simControl('polymarket', 'engine-restart', { restartMs: 600_000 });
  const listed = await listArbMarket(stack.sim, 'restart');
  expect(await pausedStatus(u.id)).toMatch(
    /^Polymarket is paused \(matching engine restarting \(HTTP 425\)\): no orders there until it trades again; next check at \d\d:\d\d:\d\d UTC$/,
  );
  // The engine is back, in its post-only window first (still paused for us), then open.
  await simControl('polymarket', 'engine-restart', { restartMs: 0, postOnlyMs: 1000 });
  await until(
    async () => (await tradesIn(stack.db.sql, u.id, listed.conditionId)).length >= 2,
    'the listed market traded live once the engine is back',
    60_000,
  );
  const modes = await stack.db.sql`
    select distinct mode, status from public.polybot_trades where user_id = ${u.id} and market_id = ${listed.conditionId}`;
  expect(modes.map((r) => `${String(r.mode)}:${String(r.status)}`)).toEqual(['live:filled']);
  await until(
    async () => (await statusOf(stack.db.sql, u.id)).halt_code !== 'venue_paused',
    'no longer paused',
    30_000,
  );
  await disable(u.id);
  await m.stop();
});

test('Kalshi trading pause: live runner paused with the reason, then trades by itself', async () => {
  const key = await registerKalshiKey(stack.sim.origin);
  const u = await createUser(stack.db, { config: { ...KALSHI_ONLY, dry_run: false }, profile: LIVE_PLAN });
  await stack.db.sql.begin(async (tx) => {
    await tx`set local role authenticated`;
    await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: u.id, role: 'authenticated' })}, true)`;
    await tx`select public.save_user_secret('kalshi', false, ${key.keyId}, null, ${key.privatePem}, '{}'::jsonb)`;
  });
  const m = await stack.manager('pause', FAST);
  await runningIn(u.id, 'live');
  await simControl('kalshi', 'pause', { ms: 600_000 });
  const [a, b] = await listKalshiArbEvent(stack.sim, 'paused');
  expect(await pausedStatus(u.id)).toMatch(
    /^Kalshi is paused \(trading paused \(trading_is_paused: .*\)\): no orders there until it trades again; next check at \d\d:\d\d:\d\d UTC$/,
  );
  await simControl('kalshi', 'pause', { ms: 0 });
  await until(
    async () =>
      (await tradesIn(stack.db.sql, u.id, a)).length >= 1 && (await tradesIn(stack.db.sql, u.id, b)).length >= 1,
    'the listed Kalshi markets traded live once trading resumed',
    60_000,
  );
  await until(
    async () => (await statusOf(stack.db.sql, u.id)).halt_code !== 'venue_paused',
    'no longer paused',
    30_000,
  );
  await disable(u.id);
  await m.stop();
});
