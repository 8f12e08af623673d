// A Kalshi market's end of life and birth at runtime. Resolving closes the market at once (orders refused, resting
// ones refunded), determines it after `determine_after_ms` and finalizes (pays) it after `settle_after_ms`, on scenario
// time; listing adds an event or a market that the REST listings and the WebSocket serve at once.
import { z } from 'zod';
import type { Exchange, SimAccount } from './exchange.ts';
import { EventSchema, MarketSchema, type ScenarioEvent, type ScenarioMarket } from './scenario.ts';
import { countFp, dollars, fillJson, positionJson, settlementJson, unitsDollars } from './wire.ts';

/** `POST /_sim/kalshi/resolve`. Both delays 0 (the default): closed → determined → finalized in one step. */
export const ResolveBody = z
  .object({
    ticker: z.string().min(1),
    result: z.enum(['yes', 'no', 'void']),
    determine_after_ms: z.number().int().nonnegative().default(0),
    settle_after_ms: z.number().int().nonnegative().default(0),
  })
  .refine((b) => b.settle_after_ms >= b.determine_after_ms, 'settle_after_ms must not precede determine_after_ms');
export type ResolveBody = z.infer<typeof ResolveBody>;

/** `POST /_sim/kalshi/list`: a whole new event, or one more market in an existing event. */
export const ListBody = z.union([
  z.object({ event: EventSchema }),
  z.object({ event_ticker: z.string().min(1), market: MarketSchema }),
]);

interface Step {
  atMs: number;
  ticker: string;
  kind: 'determine' | 'finalize';
  result: 'yes' | 'no' | 'void';
}

export class KalshiLifecycle {
  private steps: Step[] = [];

  constructor(
    private readonly exchange: Exchange,
    private readonly clock: () => number,
    private readonly events: Map<string, ScenarioEvent>,
    private readonly addEvent: (event: ScenarioEvent) => void,
    private readonly addMarket: (event: ScenarioEvent, market: ScenarioMarket) => void,
  ) {}

  /** False if the market is unknown or already past `active`. */
  resolve(body: ResolveBody): boolean {
    const market = this.exchange.markets.get(body.ticker);
    if (!market || (market.status !== 'active' && market.status !== 'initialized')) return false;
    this.exchange.close(body.ticker);
    const now = this.clock();
    this.steps.push(
      { atMs: now + body.determine_after_ms, ticker: body.ticker, kind: 'determine', result: body.result },
      { atMs: now + body.settle_after_ms, ticker: body.ticker, kind: 'finalize', result: body.result },
    );
    // Stable sort: a determine and its finalize at the same instant stay in that order.
    this.steps.sort((a, b) => a.atMs - b.atMs);
    this.advanceTo(now);
    return true;
  }

  advanceTo(nowMs: number): void {
    while (this.steps.length > 0 && (this.steps[0]?.atMs ?? Infinity) <= nowMs) {
      const step = this.steps.shift();
      if (!step) break;
      if (step.kind === 'determine') this.exchange.determine(step.ticker, step.result);
      else this.exchange.finalize(step.ticker);
    }
  }

  /** Lists new markets now; returns their tickers. Throws on duplicates or an unknown event. */
  list(body: z.infer<typeof ListBody>): string[] {
    if ('event' in body) {
      this.addEvent(body.event);
      return body.event.markets.map((m) => m.ticker);
    }
    const event = this.events.get(body.event_ticker);
    if (!event) throw new Error(`unknown event ${body.event_ticker}`);
    this.addMarket(event, body.market);
    event.markets.push(body.market);
    return [body.market.ticker];
  }

  /** Pending determine/finalize steps (stats). */
  get pending(): number {
    return this.steps.length;
  }
}

/** `GET /_sim/kalshi/statement?member=<key id>`: what the venue knows of one member's money. */
export function kalshiStatement(account: SimAccount): Record<string, unknown> {
  let fees = 0;
  for (const p of account.positions.values()) fees += p.feesUnits;
  return {
    member: account.keyId,
    starting_balance_dollars: unitsDollars(account.startingUnits),
    balance_dollars: unitsDollars(account.balanceUnits),
    /** balance − starting balance: trading, fees and settlements. */
    cash_change_dollars: unitsDollars(account.balanceUnits - account.startingUnits),
    fees_dollars: unitsDollars(fees),
    positions: [...account.positions.entries()]
      .filter(([, p]) => p.position !== 0)
      .map(([ticker, p]) => positionJson(ticker, p)),
    fills: account.fills.map(fillJson),
    settlements: account.settlements.map(settlementJson),
    resting_orders: [...account.orders.values()]
      .filter((o) => o.status === 'resting')
      .map((o) => ({
        order_id: o.orderId,
        ticker: o.ticker,
        side: o.bookSide === 'bid' ? 'yes' : 'no',
        yes_price_dollars: dollars(o.yesPriceCents),
        remaining_count_fp: countFp(o.remaining),
      })),
  };
}
