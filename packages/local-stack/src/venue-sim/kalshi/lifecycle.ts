// A Kalshi market's end of life and birth at runtime. Resolving closes the market at once (orders refused, resting
// ones refunded), determines it after `determine_after_ms` and finalizes (pays) it after `settle_after_ms`, on scenario
// time; listing adds an event or a market that the REST listings and the WebSocket serve at once. Each step is also
// announced on the WebSocket's `market_lifecycle_v2` channel in the venue's shapes (docs: Market & Event Lifecycle).
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

export type LifecyclePublisher = (
  type: 'market_lifecycle_v2' | 'event_lifecycle',
  msg: Record<string, unknown>,
) => void;

const seconds = (ms: number): number => Math.floor(ms / 1000);

export class KalshiLifecycle {
  private steps: Step[] = [];

  constructor(
    private readonly exchange: Exchange,
    private readonly clock: () => number,
    private readonly events: Map<string, ScenarioEvent>,
    private readonly addEvent: (event: ScenarioEvent) => void,
    private readonly addMarket: (event: ScenarioEvent, market: ScenarioMarket) => void,
    private readonly publish: LifecyclePublisher = () => undefined,
  ) {}

  /** False if the market is unknown or already past `active`. */
  resolve(body: ResolveBody): boolean {
    const market = this.exchange.markets.get(body.ticker);
    if (!market || (market.status !== 'active' && market.status !== 'initialized')) return false;
    this.exchange.close(body.ticker);
    const now = this.clock();
    // Closing before the scheduled close time is a close-date change on the venue.
    this.publish('market_lifecycle_v2', {
      market_ticker: body.ticker,
      event_type: 'close_date_updated',
      close_ts: seconds(now),
    });
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
      const now = this.clock();
      if (step.kind === 'determine') {
        this.exchange.determine(step.ticker, step.result);
        const value = this.exchange.market(step.ticker).settlementValueCents;
        this.publish('market_lifecycle_v2', {
          market_ticker: step.ticker,
          event_type: 'determined',
          determination_ts: seconds(now),
          result: step.result,
          ...(value === null ? {} : { settlement_value: dollars(value) }),
        });
      } else if (this.exchange.finalize(step.ticker)) {
        this.publish('market_lifecycle_v2', {
          market_ticker: step.ticker,
          event_type: 'settled',
          settled_ts: seconds(now),
        });
      }
    }
  }

  /** Lists new markets now; returns their tickers. Throws on duplicates or an unknown event. */
  list(body: z.infer<typeof ListBody>): string[] {
    if ('event' in body) {
      this.addEvent(body.event);
      const e = body.event;
      this.publish('event_lifecycle', {
        event_ticker: e.event_ticker,
        title: e.title,
        sub_title: e.sub_title,
        collateral_return_type: e.mutually_exclusive ? 'MECNET' : '',
        series_ticker: e.series_ticker,
      });
      for (const m of e.markets) this.announce(m);
      return e.markets.map((m) => m.ticker);
    }
    const event = this.events.get(body.event_ticker);
    if (!event) throw new Error(`unknown event ${body.event_ticker}`);
    this.addMarket(event, body.market);
    event.markets.push(body.market);
    this.announce(body.market);
    return [body.market.ticker];
  }

  private announce(m: ScenarioMarket): void {
    const closeTs = seconds(Date.parse(m.close_time));
    this.publish('market_lifecycle_v2', {
      market_ticker: m.ticker,
      event_type: 'created',
      open_ts: seconds(this.clock()),
      close_ts: closeTs,
      additional_metadata: {
        name: m.title,
        title: m.title,
        yes_sub_title: m.yes_sub_title,
        no_sub_title: m.no_sub_title ?? m.yes_sub_title,
        rules_primary: m.rules_primary,
        can_close_early: true,
        expected_expiration_ts: closeTs,
        ...(m.strike_type ? { strike_type: m.strike_type } : {}),
        ...(m.floor_strike === undefined ? {} : { floor_strike: String(m.floor_strike) }),
      },
    });
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
