// Money checks at runner level (issue 13 item 5), live on the simulator through the whole process path: a live user
// whose wallet cannot pay sends no order and reads what to do (skip insufficient_funds), and trades once funded; an
// order the venue refuses for funds gets the same kind of words and the status error_code insufficient_balance.
import { privateKeyToAccount } from 'viem/accounts';
import { expect, test } from 'vitest';
import { createUser, saveKeys, statusOf, until, walletKeys, type TestKeys } from './harness.ts';
import { clobThroughProxy, useManagerStack } from './stack.ts';

const stack = useManagerStack({ proxy: true, urls: clobThroughProxy });

async function liveUser(keys: TestKeys): Promise<string> {
  const u = await createUser(stack.db, {
    config: { dry_run: false },
    profile: { live_trading_allowed: true, subscription_tier: 'pro' },
  });
  await saveKeys(stack.db.sql, u.id, keys, false);
  return u.id;
}

async function control(action: string, body: unknown): Promise<void> {
  const res = await fetch(`${stack.sim.origin}/_sim/polymarket/${action}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sim control ${action} → ${res.status}`);
}

interface Recent {
  skip_code?: string | null;
  skip_reason?: string | null;
  acted: boolean;
}
const recentOf = async (id: string): Promise<Recent[]> =>
  ((await statusOf(stack.db.sql, id)).stats as { recent_opportunities?: Recent[] } | null)?.recent_opportunities ?? [];

const skippedFor = (id: string, what: string): Promise<Recent> =>
  until(async () => (await recentOf(id)).find((r) => r.skip_code === 'insufficient_funds'), what, 90_000);

const liveTrades = async (id: string): Promise<number> =>
  (await stack.db.sql`select 1 from public.polybot_trades where user_id = ${id} and mode = 'live'`).length;

test('a live wallet that cannot pay → no order, skipped insufficient_funds with what to do; funded → it trades', async () => {
  const keys = await walletKeys(stack.sim);
  const address = privateKeyToAccount(`0x${keys.privateKey}`).address;
  // The venue funds a new wallet with $1000; leave it $0.50.
  await control('fund', { address, amount: -999.5 });
  const id = await liveUser(keys);
  const m = await stack.manager('money-short');
  const from = stack.proxy.requests.length;

  const skipped = await skippedFor(id, 'a live opportunity skipped for funds');
  expect(skipped.acted).toBe(false);
  expect(skipped.skip_reason).toMatch(
    new RegExp(
      `^Your Polymarket wallet ${address.slice(0, 6)}…${address.slice(-4)} has \\$0\\.50 of pUSD and the trade needs ` +
        '\\$\\d+\\.\\d\\d: deposit, or lower Max trade size\\.$',
    ),
  );
  const sent = stack.proxy.requests.slice(from);
  expect(sent.some((r) => r.startsWith('GET /balance-allowance'))).toBe(true);
  expect(sent.filter((r) => r.startsWith('POST /order'))).toEqual([]);
  expect(await liveTrades(id)).toBe(0);

  await control('fund', { address, amount: 1000 });
  await until(async () => (await liveTrades(id)) > 0, 'a live trade once funded', 90_000);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${id}`;
  await m.stop();
});

test('a live wallet that has not approved pUSD → no order, skipped with how to approve it', async () => {
  const keys = await walletKeys(stack.sim);
  const address = privateKeyToAccount(`0x${keys.privateKey}`).address;
  await control('allowance', { address, amount: 0 });
  const id = await liveUser(keys);
  const m = await stack.manager('money-allowance');
  const from = stack.proxy.requests.length;
  const skipped = await skippedFor(id, 'a live opportunity skipped for a missing allowance');
  expect(skipped.skip_reason).toMatch(
    new RegExp(
      `^Your Polymarket wallet ${address.slice(0, 6)}…${address.slice(-4)} has approved only \\$0\\.00 of pUSD for ` +
        'trading and the trade needs \\$\\d+\\.\\d\\d: enable trading for this wallet on polymarket\\.com',
    ),
  );
  expect(stack.proxy.requests.slice(from).filter((r) => r.startsWith('POST /order'))).toEqual([]);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${id}`;
  await m.stop();
});

test("an order the venue refuses for funds → skipped insufficient_funds in the user's words, error_code insufficient_balance", async () => {
  const keys = await walletKeys(stack.sim);
  const id = await liveUser(keys);
  // The balance read says there is money, but the venue refuses the next order post in its own words (a withdrawal
  // or another client spending meanwhile). Two posts: the key check's funder probe (section 8a.1, always before the
  // runner starts) is refused for funds by design, then the runner's first order is.
  await control('fail-next', {
    method: 'POST',
    path: '/order',
    status: 400,
    when: 'before',
    count: 2,
    error: 'not enough balance / allowance',
  });
  const m = await stack.manager('money-refused');
  const skipped = await skippedFor(id, 'an opportunity refused by the venue for funds');
  expect(skipped.skip_reason).toMatch(
    /^Polymarket refused the order for insufficient balance or allowance \("not enough balance \/ allowance"\): deposit pUSD/,
  );
  const status = await until(
    async () => {
      const s = await statusOf(stack.db.sql, id);
      return s.error_code === 'insufficient_balance' ? s : null;
    },
    'error_code insufficient_balance',
    30_000,
  );
  expect(String(status.last_error)).toMatch(/insufficient balance/);
  await stack.db.sql`update public.polybot_user_config set bot_enabled = false where user_id = ${id}`;
  await m.stop();
});
