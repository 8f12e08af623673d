// Copy trading's polling is fair between users (SECURITY.md §7.3, manager/wallet-poll-order.ts): user A follows 50
// wallets, user B one; with a budget of 5 polls a round, B's wallet is asked about in every round, so between two polls
// of it the data-API sees at most two rounds' worth of other requests — never A's whole list. Counted in requests at a
// counting proxy in front of the simulator's data-API, not in time.
import { expect, test } from 'vitest';
import { until, venueUrlsOf } from './harness.ts';
import { COPY_ONLY, PRO_FEATURES, planUser } from './plan-users.ts';
import { useManagerStack } from './stack.ts';

const BUDGET = 5;
const B_WALLET = '0x00000000000000000000000000000000000000bb';
const A_WALLETS = Array.from({ length: 50 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, 'a')}`);

const stack = useManagerStack({
  proxy: true,
  urls: (sim, proxy) => ({ ...venueUrlsOf(sim), polymarketDataApi: `${proxy?.origin}/data-api` }),
});

const follower = (wallets: string[]) =>
  planUser(stack.db, PRO_FEATURES, {
    config: {
      ...COPY_ONLY,
      advanced_config: stack.db.sql.json({
        newsRules: [],
        followedWallets: wallets.map((address) => ({ address, scale: 0.5, maxPerTradeUsd: 10 })),
      }),
    },
  });

test(`B's one wallet is polled every round while A follows ${A_WALLETS.length} (budget ${BUDGET} polls a round)`, async () => {
  await follower(A_WALLETS);
  await follower([B_WALLET]);
  await stack.manager('wallet-fairness', { walletPollIntervalMs: 250, walletPollBudget: BUDGET });
  const polls = () => stack.proxy.urls.filter((u) => u.startsWith('GET /data-api/trades?'));
  const bAt = () => polls().flatMap((u, i) => (u.includes(`user=${B_WALLET}`) ? [i] : []));
  await until(() => bAt().length >= 6, "B's wallet polled 6 times");
  const at = bAt();
  // From B's first poll on: every gap between two of its polls is under two rounds (it is in every round, within the
  // first two turns of it); A's list alone is 50 polls.
  const gaps = at.slice(1).map((i, k) => i - (at[k] ?? 0));
  expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * BUDGET);
  // A's wallets get their turns too (one each before any is asked again).
  // A's wallets get their turns in A's order, each once before any is asked again.
  const aPolls = polls().flatMap((u) => A_WALLETS.filter((w) => u.includes(`user=${w}`)));
  expect(aPolls.length).toBeGreaterThanOrEqual(4 * (BUDGET - 1));
  expect(aPolls).toEqual(A_WALLETS.slice(0, aPolls.length));
});
