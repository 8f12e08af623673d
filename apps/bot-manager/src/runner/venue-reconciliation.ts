// What squares this runner's bookings with the live venues, beside trading (docs/ARCHITECTURE.md §8a.4): live Kalshi
// settlements read with the user's own key (reconcile.ts), orders whose fate a previous runner — or this one — never
// learned (reconcile-intents.ts), then, once those are resolved, live positions compared with the venues
// (reconcile-positions.ts). None of it is a decision, so none of it waits for the CPU throttle. Gathered here from
// runner.ts, which only tells it when decisions are idle and hears when opportunities may be priced again.
import type { VenueId } from '@polybot/schemas';
import type { Logger } from 'pino';
import type { InitMessage } from '../shared/ipc.ts';
import type { DbRpc } from './db-rpc.ts';
import { IntentBook } from './intents.ts';
import { KalshiReconciler } from './reconcile.ts';
import { IntentReconciler } from './reconcile-intents.ts';
import { differenceWords, LivePositionCheck } from './reconcile-positions.ts';
import type { RiskEngine } from './risk.ts';
import type { TradingRouter } from './trading-router.ts';
import type { Universe } from './universe.ts';

export interface ReconciliationContext {
  init: InitMessage;
  db: DbRpc;
  log: Logger;
  router: TradingRouter;
  risk: RiskEngine;
  universe: Universe;
  /** The venues trading live now (mode.ts; it changes with a config). */
  liveVenues: () => VenueId[];
  /** No decision in flight: live positions are compared only then. */
  idle: () => boolean;
  /** Something that held opportunities back was resolved: price everything again. */
  rescan: () => void;
  /** A live account holds what PolyBot did not book: words for the status's last error. */
  differs: (words: string) => void;
}

export class VenueReconciliation {
  /** Every order is written down before it leaves; unresolved ones block their instruments (intents.ts). */
  readonly intents: IntentBook;
  /** Live positions compared with the venues once per runner, after its intents are resolved. */
  readonly positions: LivePositionCheck;
  private readonly kalshi: KalshiReconciler;
  private readonly intentReconciler: IntentReconciler;

  constructor(ctx: ReconciliationContext) {
    const { init, db, log, router, risk, universe } = ctx;
    this.kalshi = new KalshiReconciler(
      init.keys.find((k) => k.platform === 'kalshi' && !k.isPaper && k.validationStatus === 'valid'),
      init.venueUrls,
      db,
      log,
    );
    // Live Kalshi settlements a previous runner of this user did not get to reconcile.
    if (init.reconcileKalshi.length > 0) this.kalshi.reconcile(init.reconcileKalshi);
    // Orders a previous runner wrote down and never booked: nothing more on their instruments until reconciled.
    this.intents = new IntentBook(db, log, init.testHooks);
    this.intents.adopt(init.unresolvedIntents);
    this.intentReconciler = new IntentReconciler({
      intents: this.intents,
      router,
      db,
      risk,
      title: (id) => universe.instruments.get(id)?.title?.slice(0, 300) ?? null,
      log,
      onResolved: () => ctx.rescan(),
    });
    this.intentReconciler.start();
    this.positions = new LivePositionCheck({
      router,
      db,
      log,
      listed: (id) => universe.instruments.has(id) && !universe.isClosed(id),
      venues: () => ctx.liveVenues(),
      ready: () => ctx.idle() && this.intents.pending.length === 0,
      done: (differences) => {
        if (differences.length > 0) ctx.differs(differenceWords(differences));
        ctx.rescan();
      },
    });
  }

  /** Live Kalshi positions were settled: what the venue paid is read with the user's key. */
  settled(kalshiTickers: readonly string[]): void {
    if (kalshiTickers.length > 0) this.kalshi.reconcile(kalshiTickers);
  }

  /** No more settlements read (the manager is gone: nothing could be recorded). */
  stopSettlements(): void {
    this.kalshi.stop();
  }

  stop(): void {
    this.kalshi.stop();
    this.intentReconciler.stop();
  }
}
