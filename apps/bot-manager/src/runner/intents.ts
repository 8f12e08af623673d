// Durable order intents, the runner's side (docs/ARCHITECTURE.md §8a.4): every order — live and paper, legs and
// unwinds — is written down through the manager (`recordIntents`) before it leaves; if that write fails or finds the
// order (or, for an execution's first order, its leg group) written before, the order is not sent. The booking
// (`recordExecution`) resolves the intents of what came back; an order whose answer never came (a throw, a failed
// booking) stays unresolved here and in the database: its instruments are blocked (skip `intent_unresolved`) until
// reconcile-intents.ts has learned its fate from the venue. Nothing is ever re-sent blindly.
import type { Opportunity, OrderIntent, OrderRequest, OrderResult } from '@polybot/schemas';
import type { Trading } from '@polybot/venues';
import { isVenuePaused } from '@polybot/venues/errors';
import type { Logger } from 'pino';
import { RecordIntentsAnswerSchema, type RunnerTestHooks, type UnresolvedIntent } from '../shared/ipc.ts';
import type { DbRpc } from './db-rpc.ts';

export interface IntentInfo {
  marketId: string;
  outcome: string | null;
}

/** One execution's view: what its orders belong to. */
export interface IntentScope {
  mode: 'paper' | 'live';
  opportunity: Opportunity;
  info: (instrumentId: string) => IntentInfo;
}

/** Refused before sending: the order (or its group) was written down before, so it may be out already. */
export class IntentExistsError extends Error {}

export class IntentBook {
  /** Orders whose fate is not known: their instruments take no new order until reconciled. */
  private readonly unresolved = new Map<string, OrderIntent>();
  /** Orders of the execution in flight written down and handed to the venue, not booked yet. */
  private readonly inFlight = new Map<string, OrderIntent>();
  /** Orders of the execution in flight refused before sending (they never left: their reservations go back). */
  private refusedNow = 0;

  constructor(
    private readonly db: DbRpc,
    private readonly log: Logger,
    private readonly hooks: RunnerTestHooks | undefined,
  ) {}

  /** What a previous runner left (init.unresolvedIntents). */
  adopt(intents: readonly UnresolvedIntent[]): void {
    for (const { status: _s, ...i } of intents) this.unresolved.set(i.clientOrderId, i);
  }

  /** The first instrument of `o` an unresolved order rests on, or null. */
  blocks(o: { legs: ReadonlyArray<{ instrumentId: string }> }): string | null {
    if (this.unresolved.size === 0) return null;
    for (const l of o.legs)
      for (const i of this.unresolved.values()) if (i.instrumentId === l.instrumentId) return l.instrumentId;
    return null;
  }

  get pending(): OrderIntent[] {
    return [...this.unresolved.values()];
  }

  /** Reconciliation learned this order's fate (booked or resolved). */
  resolved(clientOrderId: string): void {
    this.unresolved.delete(clientOrderId);
  }

  /** These orders' answers are booked (their intents were resolved in the same commit). */
  booked(clientOrderIds: readonly string[]): void {
    for (const id of clientOrderIds) this.inFlight.delete(id);
  }

  /** The execution is over: whatever was handed to the venue and not booked has an unknown fate from now on. */
  endExecution(): void {
    for (const [id, i] of this.inFlight) this.unresolved.set(id, i);
    if (this.inFlight.size > 0)
      this.log.warn(
        { orders: [...this.inFlight.keys()] },
        'orders with an unknown fate: reconciled before more trading',
      );
    this.inFlight.clear();
  }

  /** Buys of the execution in flight refused before sending (they never left: their reservations go back). */
  takeRefused(): number {
    const n = this.refusedNow;
    this.refusedNow = 0;
    return n;
  }

  private async notSent(o: OrderRequest, legGroupId: string, why: string): Promise<void> {
    try {
      await this.db.call({
        op: 'resolveIntent',
        clientOrderId: o.clientOrderId,
        legGroupId,
        status: 'not_sent',
        error: `refused by the venue before reaching a book: ${why}`,
      });
      this.inFlight.delete(o.clientOrderId);
    } catch (e) {
      this.log.warn({ clientOrderId: o.clientOrderId, err: String(e) }, 'order intent: could not record not_sent');
    }
  }

  /**
   * The venue clients of one execution: each order is written down before it leaves. The execution's first order
   * asks for a new leg group: an opportunity executed before (by a runner that died) is never executed again.
   */
  forExecution(scope: IntentScope): (t: Trading) => Trading {
    let first = true;
    const write = async (t: Trading, o: OrderRequest): Promise<void> => {
      const prepared = t.prepareOrder ? await t.prepareOrder(o) : { venueOrderId: null };
      const info = scope.info(o.instrumentId);
      const intent: OrderIntent = {
        clientOrderId: o.clientOrderId,
        venue: o.venue,
        venueOrderId: prepared.venueOrderId,
        instrumentId: o.instrumentId,
        marketId: info.marketId,
        outcome: info.outcome,
        side: o.side,
        size: o.size,
        limitPrice: o.limitPrice,
        orderType: o.orderType,
        legGroupId: scope.opportunity.id,
        // Sells of an execution are the unwinds of its filled legs (the strategies only buy).
        strategy: o.side === 'sell' ? 'unwind' : scope.opportunity.strategy,
        mode: scope.mode,
      };
      const newGroup = first;
      first = false;
      const answer = RecordIntentsAnswerSchema.parse(
        await this.db.call({ op: 'recordIntents', intents: [intent], ...(newGroup ? { newGroup } : {}) }),
      );
      if (answer.existing.length > 0)
        throw new IntentExistsError(
          `order ${o.clientOrderId} of ${scope.opportunity.id} was written down before: never sent again`,
        );
      this.inFlight.set(intent.clientOrderId, intent);
    };
    return (t) => ({
      venue: t.venue,
      mode: t.mode,
      placeOrder: async (o: OrderRequest): Promise<OrderResult> => {
        try {
          await write(t, o);
        } catch (e) {
          // Not written down (or written before) → not sent.
          if (o.side === 'buy') this.refusedNow++;
          throw e;
        }
        let result: OrderResult;
        try {
          result = await t.placeOrder(o);
        } catch (e) {
          // A venue paused (maintenance, engine restart) refused the order outright: it never reached a book, so its
          // intent is resolved `not_sent` now (the manager hands its reservation back) and the same order may go
          // once the venue trades again. Any other throw leaves its fate unknown (reconciled later).
          if (isVenuePaused(e)) await this.notSent(o, scope.opportunity.id, e.message);
          throw e;
        }
        // Test hook: die between the venue's answer and the booking (the crash the intents exist for).
        if (this.hooks?.crashAfterSend && scope.mode === 'live') process.kill(process.pid, 'SIGKILL');
        return result;
      },
      cancelOrder: (id) => t.cancelOrder(id),
      cancelAll: () => t.cancelAll(),
      openOrders: () => t.openOrders(),
      fills: (since) => t.fills(since),
      balance: () => t.balance(),
      positions: () => t.positions(),
    });
  }
}
