// The typed queries later layers use (web app as the user, manager/runners as the service), against real Postgres.
import { withUser } from '@polybot/db';
import {
  asService,
  getUserSecretsDecrypted,
  incrementUserTrades,
  listDesiredBots,
  recordTrade,
  updateBotStatus,
  type TradeRecord,
} from '@polybot/db/service';
import {
  deleteOwnSecret,
  getOwnBotStatus,
  getOwnConfig,
  getOwnProfile,
  listOwnSecretMetadata,
  listOwnTrades,
  saveOwnSecret,
  updateOwnConfig,
} from '@polybot/db/user';
import { toSaveUserSecretArgs } from '@polybot/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let alice: string;
let bob: string;
beforeAll(async () => {
  db = await createTestDatabase();
  alice = await createAuthUser(db, 'alice@example.test', { display_name: 'Alice' });
  bob = await createAuthUser(db, 'bob@example.test');
});
afterAll(async () => db?.stop());

const trade = (userId: string, clientOrderId: string, over: Partial<TradeRecord> = {}): TradeRecord => ({
  userId,
  clientOrderId,
  venueOrderId: null,
  platform: 'polymarket',
  marketId: '0xm',
  instrumentId: 'tok',
  outcome: 'Yes',
  side: 'buy',
  strategy: 'single_platform',
  mode: 'paper',
  orderType: 'FOK',
  status: 'filled',
  limitPrice: 0.45,
  price: 0.44,
  size: 10,
  filledSize: 10,
  fee: 0.12,
  opportunityId: 'opp-1',
  legGroupId: 'grp-1',
  rejectReason: null,
  ...over,
});

describe('user queries (through withUser)', () => {
  it('profile, config update with version bump, and only own rows', async () => {
    const profile = await withUser(db.sql, alice, getOwnProfile);
    expect(profile).toMatchObject({
      id: alice,
      display_name: 'Alice',
      subscription_tier: 'free',
      onboarding_step: 'terms',
    });
    const updated = await withUser(db.sql, alice, (tx) =>
      updateOwnConfig(tx, { max_trade_size_usd: 25.5, advanced_config: { newsRules: [], followedWallets: [] } }),
    );
    expect(updated).toMatchObject({ user_id: alice, max_trade_size_usd: 25.5, config_version: 2 });
    const bobs = await withUser(db.sql, bob, getOwnConfig);
    expect(bobs).toMatchObject({ user_id: bob, max_trade_size_usd: 50, config_version: 1 });
  });

  it('keys: save, list metadata (hint only), rotate, delete', async () => {
    const args = toSaveUserSecretArgs({
      platform: 'kalshi',
      isPaper: true,
      keyId: '6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b',
      privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMIIBVQ==\n-----END PRIVATE KEY-----',
    });
    expect(await withUser(db.sql, alice, (tx) => saveOwnSecret(tx, args))).toEqual({
      key_hint: '…3a4b',
      rotated: false,
    });
    expect(await withUser(db.sql, alice, (tx) => saveOwnSecret(tx, args))).toEqual({
      key_hint: '…3a4b',
      rotated: true,
    });
    const meta = await withUser(db.sql, alice, listOwnSecretMetadata);
    expect(meta).toEqual([
      expect.objectContaining({ platform: 'kalshi', is_paper: true, key_hint: '…3a4b', validation_status: 'pending' }),
    ]);
    expect(JSON.stringify(meta)).not.toContain('BEGIN PRIVATE KEY');
    const decrypted = await asService(db.sql, (tx) => getUserSecretsDecrypted(tx, alice));
    expect(decrypted[0]).toMatchObject({
      platform: 'kalshi',
      api_key: args.p_api_key,
      private_key: args.p_private_key,
    });
    expect(await withUser(db.sql, bob, listOwnSecretMetadata)).toEqual([]);
    expect(await withUser(db.sql, alice, (tx) => deleteOwnSecret(tx, 'kalshi', true))).toBe(true);
    expect(await withUser(db.sql, alice, (tx) => deleteOwnSecret(tx, 'kalshi', true))).toBe(false);
  });
});

describe('service queries', () => {
  it('recordTrade books a client order id once, however often it is retried', async () => {
    const first = await asService(db.sql, (tx) => recordTrade(tx, trade(alice, 'coid-retry-0001')));
    const again = await asService(db.sql, (tx) => recordTrade(tx, trade(alice, 'coid-retry-0001', { fee: 99 })));
    expect(first.inserted).toBe(true);
    expect(again).toEqual({ id: first.id, inserted: false });
    const mine = await withUser(db.sql, alice, (tx) => listOwnTrades(tx));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ client_order_id: 'coid-retry-0001', fee: 0.12, notional_usd: 4.4 });
    expect(await withUser(db.sql, bob, (tx) => listOwnTrades(tx))).toEqual([]);
  });

  it('listOwnTrades filters and paginates', async () => {
    for (let i = 0; i < 5; i += 1) {
      await asService(db.sql, (tx) =>
        recordTrade(tx, trade(alice, `coid-page-000${i}`, { platform: i % 2 ? 'kalshi' : 'polymarket' })),
      );
    }
    const kalshi = await withUser(db.sql, alice, (tx) => listOwnTrades(tx, { platform: 'kalshi' }));
    expect(kalshi.map((t) => t.client_order_id)).toEqual(['coid-page-0003', 'coid-page-0001']);
    const page1 = await withUser(db.sql, alice, (tx) => listOwnTrades(tx, { limit: 2 }));
    const page2 = await withUser(db.sql, alice, (tx) => listOwnTrades(tx, { limit: 2, beforeId: page1[1]?.id }));
    expect([...page1, ...page2].map((t) => t.client_order_id)).toEqual([
      'coid-page-0004',
      'coid-page-0003',
      'coid-page-0002',
      'coid-page-0001',
    ]);
  });

  it('bot status is written by the service and read by its owner', async () => {
    await asService(db.sql, (tx) =>
      updateBotStatus(tx, alice, {
        state: 'running',
        pid: 4242,
        configVersion: 2,
        heartbeatAt: new Date(),
        stats: { pnl_today_usd: 1.5 },
      }),
    );
    const status = await withUser(db.sql, alice, getOwnBotStatus);
    expect(status).toMatchObject({ state: 'running', config_version: 2, stats: { pnl_today_usd: 1.5 } });
    expect(await withUser(db.sql, bob, getOwnBotStatus)).toMatchObject({ user_id: bob, state: 'stopped' });
  });

  it('desired bots and trade reservation', async () => {
    await db.sql`update public.polybot_user_profiles set onboarding_completed = true where id = ${alice}`;
    const desired = await asService(db.sql, (tx) => listDesiredBots(tx));
    expect(desired.map((d) => d.user_id)).toEqual([alice]);
    expect(await asService(db.sql, (tx) => incrementUserTrades(tx, alice))).toBe(true);
  });
});
