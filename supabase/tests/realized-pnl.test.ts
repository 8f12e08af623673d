// The one definition of realized P&L (public.sale_realized_pnl_usd) and the position booking built on it: the same
// numbers as the formula the BotManager wrote inline before, and only the platform may call it.
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

  it('books a position the same as the inline formula did before (buys average in, sales realize)', async () => {
    await db.sql
      .begin(async (tx) => {
        await applyFillToPosition(tx, userId, fill('buy', 10, 0.4, 0.1));
        await applyFillToPosition(tx, userId, fill('buy', 10, 0.6, 0));
        // The formula as db-ops.ts wrote it before this migration, evaluated on the row as it stands.
        const old = async (t: PositionFill) =>
          Number(
            (
              await tx`select realized_pnl_usd + ${t.filledSize * (t.price ?? 0) - t.fee} - avg_price * least(size, ${t.filledSize}) as v
                       from public.polybot_positions where user_id = ${userId} and instrument_id = 'tok-pnl'`
            )[0]?.v,
          );
        const expected: number[] = [];
        for (const sale of [fill('sell', 15, 0.7, 0.05), fill('sell', 10, 0.2, 0)]) {
          expected.push(Number((await old(sale)).toFixed(6)));
          await applyFillToPosition(tx, userId, sale);
          const [row] = await tx`select realized_pnl_usd from public.polybot_positions
                                where user_id = ${userId} and instrument_id = 'tok-pnl'`;
          expect(Number(row?.realized_pnl_usd)).toBe(expected.at(-1));
        }
        expect(expected).toEqual([2.95, 2.45]);
        const [pos] = await tx`select size::float8 as size, status from public.polybot_positions
                              where user_id = ${userId} and instrument_id = 'tok-pnl'`;
        expect(pos).toEqual({ size: 0, status: 'closed' });
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
