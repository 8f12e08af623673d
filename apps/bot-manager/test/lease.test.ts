// The runner's own deadline (issue 15), real manager, real runner, clob-client-v2 against the simulator. The manager
// hands the runner a lease deadline and extends it; while it does, the runner trades on past the first deadline. Once
// the manager stops extending (as a frozen, cut-off or fenced manager would), the runner stops by itself: it cancels
// the live account's resting orders (cancel-all, not the venue's own heartbeat switch) and exits with code 75.
import type { PolymarketTrading } from '@polybot/venues';
import { polymarketOrders, setPolymarketHeartbeatTimeout } from '@polybot/local-stack/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RunningBotManager } from '../src/index.ts';
import { LEASE_EXPIRED_EXIT_CODE } from '../src/shared/ipc.ts';
import { monotonicMs } from '../src/shared/monotonic.ts';
import { alive, createUser, saveKeys, statusOf, until, userVenue, walletKeys } from './harness.ts';
import { useManagerStack } from './stack.ts';

const BTC_UP = '94242206871221370391055736153305071391564432448684801902267396130896523340261';
/** How far ahead each extension puts the deadline (a renewal's TTL minus its safety margin, in miniature). */
const LEASE_MS = 2_000;

const stack = useManagerStack();
let mgr: RunningBotManager;
/** The deadline the manager hands out now; the extender below moves it while it runs. */
let deadline = monotonicMs() + LEASE_MS;
/** The deadline each init carried, by when it was read (the first runner's is the first). */
const initDeadlines: number[] = [];
let extender: NodeJS.Timeout | null = null;

function extendEvery(ms: number): void {
  extender = setInterval(() => {
    deadline = monotonicMs() + LEASE_MS;
    mgr.manager.extendLeases(deadline);
  }, ms);
}

beforeAll(async () => {
  // The venue's own switch fires late (10 s): a cancellation seen at the runner's exit is the runner's cancel-all.
  await setPolymarketHeartbeatTimeout(stack.sim.origin, 10_000);
  mgr = await stack.manager('lease', {
    venueHeartbeatMs: 200,
    // A runner that exited is not restarted during the test (a new one would sweep the account itself).
    crashBackoffBaseMs: 600_000,
    leaseUntil: () => {
      initDeadlines.push(deadline);
      return deadline;
    },
  });
  extendEvery(200);
});

afterAll(() => {
  if (extender) clearInterval(extender);
});

test('a runner whose manager stops extending its lease cancels the resting orders and exits with code 75', async () => {
  const keys = await walletKeys(stack.sim);
  const venue: PolymarketTrading = await userVenue(stack.sim, keys);
  const u = await createUser(stack.db, {
    config: { dry_run: false },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
  });
  await saveKeys(stack.db.sql, u.id, keys, false);
  const pid = await until(
    async () => {
      const s = await statusOf(stack.db.sql, u.id);
      return s.state === 'running' && s.mode === 'live' && typeof s.pid === 'number' ? s.pid : null;
    },
    'live runner running in live mode',
    90_000,
  );
  // Heartbeats start after the orphan sweep: orders placed from here on are not cancelled by it.
  await until(
    async () => (await polymarketOrders(stack.sim.origin, venue.address)).heartbeats >= 2,
    'the runner heartbeats the venue',
    30_000,
  );
  const ids: string[] = [];
  for (const n of [1, 2]) {
    const r = await venue.placeOrder({
      venue: 'polymarket',
      instrumentId: BTC_UP,
      side: 'buy',
      limitPrice: 0.1 + n / 100,
      size: 10,
      orderType: 'GTC',
      clientOrderId: `own-gtc-lease-${n}`,
    });
    expect(r.status).toBe('resting');
    ids.push(r.venueOrderId ?? '');
  }
  const reasons = async (): Promise<Array<string | null>> => {
    const { orders } = await polymarketOrders(stack.sim.origin, venue.address);
    return ids.map((id) => {
      const o = orders.find((x) => x.id === id);
      return o?.status === 'CANCELED' ? o.cancelReason : null;
    });
  };

  // While the manager extends the lease, the runner outlives the deadline its init carried, orders untouched.
  const first = initDeadlines[0] ?? 0;
  await until(() => monotonicMs() > first + LEASE_MS, 'well past the first deadline', 30_000);
  expect(alive(pid)).toBe(true);
  expect(await reasons()).toEqual([null, null]);

  // The manager stops extending (frozen, cut off, fenced): the runner stops by itself.
  if (extender) clearInterval(extender);
  extender = null;
  await until(() => !alive(pid), 'the runner exited after its lease expired', 30_000);
  // Already cancelled when it exited, by its own cancel-all (the venue's switch would say heartbeat_timeout, later).
  expect(await reasons()).toEqual(['cancel_all', 'cancel_all']);
  const status = await until(
    async () => {
      const s = await statusOf(stack.db.sql, u.id);
      return s.pid === null ? s : null;
    },
    'the manager saw the runner exit',
    20_000,
  );
  expect(status.last_error).toBe(`runner exited with code ${LEASE_EXPIRED_EXIT_CODE}`);
});
