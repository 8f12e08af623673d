// Reconciliation of order intents whose fate is unknown (docs/ARCHITECTURE.md §8a.4): orders a previous runner wrote
// down and never booked (init.unresolvedIntents), and orders of this runner whose answer never came. Asked on start and
// every `intervalMs` while any is left, one at a time, each within `timeoutMs`:
//   - paper: the fills lived only in the runner's memory → `abandoned` (nothing to book, never re-sent);
//   - live, the venue does not know the order → `not_sent` (its reservation goes back);
//   - live, resting (the strategies send only FOK/FAK, so nothing of ours should rest): cancelled first, then
//     whatever filled is booked once through recordExecution (positions as for any booking); nothing filled →
//     `cancelled`;
//   - live, done at the venue with fills → booked once; without fills → `cancelled`;
//   - the venue cannot be asked (unreachable, failing, no live key) → `unknown`: stays unresolved, its instruments
//     stay blocked (skip `intent_unresolved`), asked again next round. Never re-sent.
import type { OrderIntent, OrderRequest, OrderResult } from '@polybot/schemas';
import type { Trading } from '@polybot/venues';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import type { DbRpc } from './db-rpc.ts';
import { row } from './execution.ts';
import type { IntentBook } from './intents.ts';
import type { RiskEngine } from './risk.ts';
import type { TradingRouter } from './trading-router.ts';

/** What the live adapters answer about one of our orders: null when the venue never received it. */
interface OrderLookup {
  findOrder(order: OrderRequest, venueOrderId: string): Promise<OrderResult | null>;
}

const canLookUp = (t: Trading): t is Trading & OrderLookup =>
  typeof (t as Partial<OrderLookup>).findOrder === 'function';

export interface IntentReconcilerOptions {
  intents: IntentBook;
  router: Pick<TradingRouter, 'liveClient'>;
  db: DbRpc;
  risk: Pick<RiskEngine, 'onFill'>;
  /** The market's question, booked with the trade (null when the instrument is no longer listed). */
  title: (instrumentId: string) => string | null;
  log: Logger;
  /** An order's fate was learned: blocked opportunities may go now. */
  onResolved: () => void;
  intervalMs?: number;
  timeoutMs?: number;
}

type Outcome = 'booked' | 'not_sent' | 'cancelled' | 'abandoned';

export class IntentReconciler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly o: IntentReconcilerOptions) {}

  /** Reconciles now, then every intervalMs (only while something is unresolved). */
  start(): void {
    this.kick();
    this.timer = setInterval(() => this.kick(), this.o.intervalMs ?? 15_000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round over every unresolved intent, unless one is running or none is left. */
  kick(): void {
    if (this.stopped || this.running || this.o.intents.pending.length === 0) return;
    this.running = this.round().finally(() => {
      this.running = null;
    });
  }

  /** The round in flight, if any (tests and stop wait for it). */
  get inFlight(): Promise<void> | null {
    return this.running;
  }

  private async round(): Promise<void> {
    let any = false;
    for (const intent of this.o.intents.pending) {
      if (this.stopped) return;
      try {
        const outcome = await withTimeout(this.once(intent), this.o.timeoutMs ?? 20_000);
        this.o.intents.resolved(intent.clientOrderId);
        any = true;
        this.o.log.info({ clientOrderId: intent.clientOrderId, outcome }, 'order intent reconciled');
      } catch (e) {
        const why = coerceError(e).message;
        this.o.log.warn({ clientOrderId: intent.clientOrderId, why }, 'order intent: fate still unknown');
        await this.resolve(intent, 'unknown', `the venue could not be asked: ${why}`).catch(() => undefined);
      }
    }
    if (any) this.o.onResolved();
  }

  private async once(i: OrderIntent): Promise<Outcome> {
    if (i.mode === 'paper') {
      await this.resolve(i, 'abandoned', 'paper order whose booking failed: its fill lived only in the runner');
      return 'abandoned';
    }
    const t = await this.o.router.liveClient(i.venue);
    if (!canLookUp(t)) throw new Error(`the ${i.venue} client cannot look orders up`);
    if (i.venue === 'polymarket' && !i.venueOrderId) throw new Error('no order hash was written down');
    const req: OrderRequest = {
      venue: i.venue,
      instrumentId: i.instrumentId,
      side: i.side,
      limitPrice: i.limitPrice,
      size: i.size,
      orderType: i.orderType,
      clientOrderId: i.clientOrderId,
    };
    let found = await t.findOrder(req, i.venueOrderId ?? '');
    if (!found) {
      await this.resolve(i, 'not_sent', 'the venue does not know this order: it was never sent');
      return 'not_sent';
    }
    if ((found.status === 'resting' || found.status === 'partially_filled') && found.venueOrderId) {
      // Nothing of ours should rest (FOK/FAK only): take it off the book, then book what filled.
      await t.cancelOrder(found.venueOrderId).catch((e: unknown) => {
        this.o.log.warn({ clientOrderId: i.clientOrderId, why: coerceError(e).message }, 'cancel refused');
      });
      found = await t.findOrder(req, found.venueOrderId);
      if (!found) throw new Error('the order disappeared at the venue while being cancelled');
      if (found.status === 'resting') throw new Error('the order still rests at the venue after a cancel');
    }
    if (found.filledSize <= 0) {
      await this.resolve(
        i,
        'cancelled',
        `the venue ${found.status === 'rejected' ? 'rejected' : 'killed'} it unfilled`,
      );
      return 'cancelled';
    }
    const result: OrderResult =
      found.status === 'resting' || found.status === 'cancelled'
        ? { ...found, status: found.filledSize + 1e-9 >= i.size ? 'filled' : 'partially_filled' }
        : found;
    const trade = row(result, {
      platform: i.venue,
      marketId: i.marketId,
      marketTitle: this.o.title(i.instrumentId),
      instrumentId: i.instrumentId,
      outcome: i.outcome,
      side: i.side,
      strategy: i.strategy,
      mode: i.mode,
      orderType: i.orderType,
      limitPrice: i.limitPrice,
      size: i.size,
      opportunityId: i.legGroupId,
      legGroupId: i.legGroupId,
    });
    // The same idempotent booking as any execution: a trade already booked by this client order id is not booked twice.
    await this.o.db.call({ op: 'recordExecution', trades: [trade] });
    if (trade.filledSize > 0 && trade.price !== null)
      this.o.risk.onFill(trade.instrumentId, trade.side, trade.filledSize, trade.price, trade.fee, {
        legGroupId: i.legGroupId,
        strategy: i.strategy,
      });
    return 'booked';
  }

  private async resolve(
    i: OrderIntent,
    status: 'not_sent' | 'unknown' | 'cancelled' | 'abandoned',
    error: string,
  ): Promise<void> {
    await this.o.db.call({
      op: 'resolveIntent',
      clientOrderId: i.clientOrderId,
      legGroupId: i.legGroupId,
      status,
      error,
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
