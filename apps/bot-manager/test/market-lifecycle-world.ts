// A small Polymarket world for the market-lifecycle suites: the `quiet` scenario (no opportunity anywhere) on a
// simulator, and markets listed into it at run time through the simulator's controls, each a binary market whose
// YES and NO asks sum below 1 — one single-platform arbitrage a bot can take (two positions: YES and NO).
import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
import { kalshiFactory, polymarketFactory, startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';

export function startQuietSim(): Promise<VenueSim> {
  return startVenueSim({ scenario: 'quiet', port: 0, venues: [polymarketFactory] });
}

export interface ListedMarket {
  conditionId: string;
  yes: string;
  no: string;
}

const tokenId = (): string => BigInt(`0x${randomBytes(31).toString('hex')}`).toString(10);

async function control(sim: VenueSim, action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.origin}/_sim/polymarket/${action}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`/_sim/polymarket/${action}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** Lists a new event with one binary market now: YES ask 0.45 + NO ask 0.50 = 0.95 (10 contracts each). */
export async function listArbMarket(sim: VenueSim, name: string): Promise<ListedMarket> {
  const m: ListedMarket = { conditionId: `0x${randomBytes(32).toString('hex')}`, yes: tokenId(), no: tokenId() };
  const id = randomBytes(4).toString('hex');
  await control(sim, 'list', {
    event: {
      id: `ev-${id}`,
      slug: `ev-${name}-${id}`,
      title: `Event ${name}`,
      endDate: '2027-01-01T00:00:00Z',
      markets: [
        {
          id: `mk-${id}`,
          conditionId: m.conditionId,
          question: `Will ${name} happen?`,
          slug: `will-${name}-${id}`,
          endDate: '2027-01-01T00:00:00Z',
          minOrderSize: 1,
          tokens: [
            { tokenId: m.yes, outcome: 'Yes', book: { bids: [[0.4, 10]], asks: [[0.45, 10]] } },
            { tokenId: m.no, outcome: 'No', book: { bids: [[0.45, 10]], asks: [[0.5, 10]] } },
          ],
        },
      ],
    },
  });
  return m;
}

export async function resolveMarket(sim: VenueSim, conditionId: string, winningOutcome = 'Yes'): Promise<void> {
  await control(sim, 'resolve', { conditionId, winningOutcome });
}

/** The user's booked trades in one market. */
export async function tradesIn(
  sql: Sql,
  userId: string,
  marketId: string,
): Promise<Array<{ instrument_id: string; created_at: Date }>> {
  return sql<Array<{ instrument_id: string; created_at: Date }>>`
    select instrument_id, created_at from public.polybot_trades
     where user_id = ${userId} and market_id = ${marketId} order by id`;
}

/** Settlement rows of one market (any user). */
export async function settlementsOf(
  sql: Sql,
  marketId: string,
): Promise<Array<{ user_id: string; position_id: string; instrument_id: string; settled_at: Date }>> {
  return sql<Array<{ user_id: string; position_id: string; instrument_id: string; settled_at: Date }>>`
    select user_id, position_id::text, instrument_id, settled_at from public.polybot_settlements
     where market_id = ${marketId} order by id`;
}

/**
 * Both venues of the `quiet` scenario (nothing to trade until a test lists it). Kalshi is mounted first: the simulated
 * Polymarket reads the body of every non-GET request before it knows the route is not its own, which leaves a Kalshi
 * order behind it with an empty body.
 */
export function startQuietBothSim(): Promise<VenueSim> {
  return startVenueSim({ scenario: 'quiet', port: 0, venues: [kalshiFactory, polymarketFactory] });
}

async function kalshiControl(sim: VenueSim, action: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${sim.origin}/_sim/kalshi/${action}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`/_sim/kalshi/${action}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Lists a mutually exclusive Kalshi event of two markets now, each with YES bid 0.40 and NO bid 0.55 (YES ask 0.45):
 * YES on both costs 0.90 and one of them pays 1 — a single-platform arbitrage of 20 sets (about $1.40 of taker fees).
 * Returns the two market tickers.
 */
export async function listKalshiArbEvent(sim: VenueSim, name: string): Promise<[string, string]> {
  const id = `${name.toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`;
  const event = `KXFEDDECISION-${id}`;
  const market = (suffix: string): Record<string, unknown> => ({
    ticker: `${event}-${suffix}`,
    title: `Will ${name} be ${suffix}?`,
    yes_sub_title: suffix,
    close_time: '2027-01-01T00:00:00Z',
    book: { yes: [['0.40', '20']], no: [['0.55', '20']] },
  });
  await kalshiControl(sim, 'list', {
    event: {
      event_ticker: event,
      series_ticker: 'KXFEDDECISION',
      title: `Event ${name}`,
      mutually_exclusive: true,
      markets: [market('A'), market('B')],
    },
  });
  return [`${event}-A`, `${event}-B`];
}

export async function resolveKalshiMarket(sim: VenueSim, ticker: string, result: 'yes' | 'no' | 'void'): Promise<void> {
  await kalshiControl(sim, 'resolve', { ticker, result });
}

/** A Kalshi member's account as the venue keeps it (GET /_sim/kalshi/statement). */
export async function kalshiStatement(
  sim: VenueSim,
  keyId: string,
): Promise<{
  fills: Array<{ ticker: string }>;
  settlements: Array<{ ticker: string; revenue: number; market_result: string }>;
}> {
  const res = await fetch(`${sim.origin}/_sim/kalshi/statement?member=${encodeURIComponent(keyId)}`);
  if (!res.ok) throw new Error(`kalshi statement: HTTP ${res.status}`);
  return (await res.json()) as {
    fills: Array<{ ticker: string }>;
    settlements: Array<{ ticker: string; revenue: number; market_result: string }>;
  };
}
