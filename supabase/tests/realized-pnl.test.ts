// The one definition of realized P&L (public.sale_realized_pnl_usd) and the position booking built on it (a sale
// realizes against the average cost per contract, fees included, since 20261205000100), and only the platform may call it.
import { applyFillToPosition, type PositionFill } from '@polybot/db/service';
import type { TransactionSql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, createAuthUser, createTestDatabase, type TestDatabase } from './helpers.ts';

let db: TestDatabase;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  userId = await createAuthUser(db, 'pnl@example.test');
});
afterAll(async () => db?.stop());

const fill = (side: 'buy' | 'sell', filledSize: number, price: number, fee: number): PositionFill => ({
  platform: 'polymarket',
  marketId: 'm-pnl',
  instrumentId: 'tok-pnl',
  outcome: 'Yes',
  mode: 'paper',
  marketTitle: 'Will it?',
  side,
  filledSize,
  price,
  fee,
});

describe('sale_realized_pnl_usd', () => {
  it('is proceeds less fee less the average entry cost of the contracts closed (at most those held)', async () => {
    const [r] = await db.sql`
      select public.sale_realized_pnl_usd(15, 0.7, 0.05, 0.5, 20) as within,
             public.sale_realized_pnl_usd(10, 0.2, 0, 0.5, 5) as beyond`;
    expect({ within: Number(r?.within), beyond: Number(r?.beyond) }).toEqual({ within: 2.95, beyond: -0.5 });
  });

  it('books a sale against the average cost per contract, buy fees included, and writes it on the trade', async () => {
    await db.sql
      .begin(async (tx) => {
        await applyFillToPosition(tx, userId, fill('buy', 10, 0.4, 0.1));
        await applyFillToPosition(tx, userId, fill('buy', 10, 0.6, 0));
        // 20 contracts for 10.1: 0.505 each. Selling 15 at 0.7 less 0.05: 10.45 − 7.575 = 2.875.
        // Then 10 more at 0.2 from the 5 left (cost 2.525): 2 − 2.525 = −0.525, and nothing left to carry a cost.
        const [trade] = await tx`
          insert into public.polybot_trades (user_id, client_order_id, platform, market_id, instrument_id, side, strategy,
                                             mode, order_type, status, limit_price, price, size, filled_size, fee)
          values (${userId}, 'coid-sale-pnl-1', 'polymarket', 'm-pnl', 'tok-pnl', 'sell', 'news', 'paper', 'FOK',
                  'filled', 0.7, 0.7, 15, 15, 0.05) returning id`;
        const realized: number[] = [];
        for (const [sale, tradeId] of [
          [fill('sell', 15, 0.7, 0.05), Number(trade?.id)],
          [fill('sell', 10, 0.2, 0), undefined],
        ] as const) {
          await applyFillToPosition(tx, userId, { ...sale, tradeId });
          const [row] = await tx`select realized_pnl_usd from public.polybot_positions
                                where user_id = ${userId} and instrument_id = 'tok-pnl'`;
          realized.push(Number(row?.realized_pnl_usd));
        }
        expect(realized).toEqual([2.875, 2.35]);
        const [sold] =
          await tx`select realized_pnl_usd::float8 as r from public.polybot_trades where id = ${trade?.id}`;
        expect(sold?.r).toBe(2.875);
        const [pos] = await tx`select size::float8 as size, cost_basis_usd::float8 as cost, status, close_reason
                                 from public.polybot_positions where user_id = ${userId} and instrument_id = 'tok-pnl'`;
        expect(pos).toEqual({ size: 0, cost: 0, status: 'closed', close_reason: 'sold' });
        throw new Error('rollback'); // leave no position behind
      })
      .catch((e: unknown) => {
        if (!(e instanceof Error) || e.message !== 'rollback') throw e;
      });
  });

  const call = (tx: TransactionSql) => tx`select public.sale_realized_pnl_usd(1, 0.5, 0, 0.4, 1) as v`;
  it('service_role may call it', async () => {
    // Not the text of `call`: the statement is prepared once per connection and its plan holds the folded constant
    // (immutable, constant arguments), so a later caller of the same text would not be checked again.
    const { outcome } = await attempt(
      db.sql,
      { role: 'service_role' },
      (tx) => tx`select public.sale_realized_pnl_usd(1, 0.5, 0, 0.4, 1)::float8 as v`,
    );
    expect(outcome).toEqual({ ok: true, value: [{ v: 0.1 }] });
  });
  it('anon may not', async () => {
    const { outcome } = await attempt(db.sql, { role: 'anon' }, call);
    expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
  });
  it('authenticated may not', async () => {
    const { outcome } = await attempt(db.sql, { role: 'authenticated', userId }, call);
    expect(outcome.ok ? 'allowed' : outcome.code).toBe('42501');
  });
});
