// One decision at a time: of the opportunities the strategies found, the most profitable one every gate lets through
// (closed markets, unresolved order intents, the monthly limit, venue pauses, risk, mode, route, money) is reserved,
// executed and booked; every other one gets a skip code and words for the dashboard. The runner owns the market state
// and calls `consider`; this module owns what happens to an opportunity from there.
import type { Opportunity, OpportunitySkipCode, OrderBook } from '@polybot/schemas';
import type { Logger } from 'pino';
import { coerceError } from '../shared/errors.ts';
import type { CopyTrader } from './copy.ts';
import type { DbRpc } from './db-rpc.ts';
import type { IntentBook } from './intents.ts';
import { basketMode, type Mode, type ModeDecision } from './mode.ts';
import type { NewsTrader } from './news.ts';
import { checkFunds, executeReserved, reserveOrders, type OrderPath } from './order-path.ts';
import type { RecentOpportunities } from './recent.ts';
import type { RiskEngine } from './risk.ts';
import type { TradingRouter } from './trading-router.ts';
import type { Universe } from './universe.ts';
import type { VenuePauses } from './venue-pause.ts';

const LIMIT_RECHECK_MS = 60_000;
/** After a live account could not pay: live baskets wait this long, then its balance is read again. */
export const FUNDS_RECHECK_MS = 5_000;

export interface DecisionCounters {
  tradesPlaced: number;
  opportunitiesSeen: number;
  lastError: string | null;
}

export interface DecisionContext {
  db: DbRpc;
  log: Logger;
  universe: Universe;
  intents: IntentBook;
  pauses: VenuePauses;
  risk: RiskEngine;
  books: ReadonlyMap<string, OrderBook>;
  router: TradingRouter;
  orderPath: OrderPath;
  copy: CopyTrader;
  news: NewsTrader;
  recent: RecentOpportunities;
  counters: DecisionCounters;
  /** The per-venue mode now (it changes with a config applied between decisions). */
  mode: () => ModeDecision;
  heartbeat: () => void;
  /** Price everything again (the balance is worth reading again). */
  rescan: () => void;
  /** A decision ended: apply what waited for the safe point and look again. */
  settled: () => void;
  /** Decisions wait (live positions being compared with the venues: nothing may move meanwhile). */
  held: () => boolean;
}

type Verdict = { ok: true; mode: Mode } | { ok: false; code: OpportunitySkipCode; reason: string };

export class Decider {
  private readonly acted = new Set<string>();
  /** The monthly limit denied a reservation: baskets of that many orders wait a while before asking again. */
  limitReached: { atMs: number; orders: number } | null = null;
  /** A live account could not pay (or its balance could not be read): live baskets wait FUNDS_RECHECK_MS. */
  private fundsShort: { atMs: number; code: 'insufficient_funds' | 'order_failed'; reason: string } | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly ctx: DecisionContext) {}

  /** A decision (reservation → orders → booking) is in flight; resolves when it is done. */
  get busy(): Promise<void> | null {
    return this.inFlight;
  }

  /** The most profitable opportunity not yet acted on that every gate lets through; the others say why not. */
  consider(opportunities: readonly Opportunity[]): void {
    const { recent } = this.ctx;
    for (const o of opportunities) recent.seen(o);
    // Priced again when the hold ends (the runner rescans everything).
    if (this.ctx.held()) return;
    const now = Date.now();
    const passing: Opportunity[] = [];
    for (const o of opportunities.filter((o) => !this.acted.has(o.id))) {
      const v = this.verdict(o, now);
      if (v.ok) passing.push(o);
      else recent.skipped(o.id, v.code, v.reason);
    }
    const best = passing.sort((a, b) => b.expectedProfit - a.expectedProfit)[0];
    for (const o of passing)
      if (o !== best) recent.skipped(o.id, 'better_opportunity', 'a more profitable opportunity was taken first');
    if (best) this.start(best);
  }

  /** Whether an opportunity may go out now, in which mode; else the skip code and words the dashboard shows. */
  private verdict(o: Opportunity, now: number): Verdict {
    const { universe, intents, pauses, risk, books, router } = this.ctx;
    const closed = universe.closedLeg(o);
    if (closed !== null)
      return { ok: false, code: 'market_closed', reason: `the market of ${closed.slice(0, 24)} closed` };
    const unresolved = intents.blocks(o);
    if (unresolved !== null)
      return {
        ok: false,
        code: 'intent_unresolved',
        reason: `an earlier order on ${unresolved.slice(0, 24)} has an unknown fate: nothing more until it is reconciled`,
      };
    const lr = this.limitReached;
    if (lr !== null && now - lr.atMs < LIMIT_RECHECK_MS && o.legs.length >= lr.orders)
      return {
        ok: false,
        code: 'monthly_limit',
        reason: `the monthly trade limit has no room for ${o.legs.length} more orders`,
      };
    const paused = pauses.blocked(o);
    if (paused) return { ok: false, ...paused };
    const checked = risk.check(o, now, (id) => books.get(id));
    if (!checked.ok) return checked;
    const mode = basketMode(
      this.ctx.mode(),
      o.legs.map((l) => l.venue),
    );
    if (mode === null) return { ok: false, code: 'mixed_modes', reason: 'its legs are on a live and a paper venue' };
    const routable = router.check(mode, o);
    if (!routable.ok) return { ok: false, code: 'not_routable', reason: routable.reason };
    const short = this.fundsShort;
    if (mode === 'live' && short !== null && now - short.atMs < FUNDS_RECHECK_MS)
      return { ok: false, code: short.code, reason: short.reason };
    return { ok: true, mode };
  }

  private start(opportunity: Opportunity): void {
    const { counters, recent, log } = this.ctx;
    counters.opportunitiesSeen++;
    this.inFlight = this.decide(opportunity)
      .catch((e: unknown) => {
        counters.lastError = coerceError(e).message;
        recent.skipped(opportunity.id, 'order_failed', coerceError(e).message);
        log.error({ err: coerceError(e).message, opportunityId: opportunity.id }, 'decision failed');
      })
      .finally(() => {
        this.inFlight = null;
        this.ctx.settled();
      });
  }

  private async decide(opportunity: Opportunity): Promise<void> {
    const { recent, log, counters } = this.ctx;
    const now = Date.now();
    // Checked again: a config applied or a fill booked since it was picked may have changed the answer.
    const verdict = this.verdict(opportunity, now);
    if (!verdict.ok) {
      recent.skipped(opportunity.id, verdict.code, verdict.reason);
      log.debug({ opportunityId: opportunity.id, reason: verdict.reason }, 'opportunity skipped');
      return;
    }
    const { mode } = verdict;
    if (!(await this.fundsAllow(opportunity, mode, now))) return;
    this.acted.add(opportunity.id);
    this.ctx.copy.acted(opportunity.id);
    this.ctx.news.acted(opportunity.id);
    if (!(await this.reserved(opportunity, now))) return;
    const executed = await executeReserved(this.ctx.orderPath, mode, opportunity);
    this.recordOutcome(opportunity, executed);
    counters.tradesPlaced++;
    log.info(
      {
        opportunityId: opportunity.id,
        strategy: opportunity.strategy,
        status: executed.status,
        mode,
        legs: executed.rows,
      },
      'executed',
    );
    if (this.ctx.risk.refresh(Date.now(), (id) => this.ctx.books.get(id))) this.ctx.heartbeat();
  }

  /** Before anything is reserved, and not marked acted: it trades once the account can pay. */
  private async fundsAllow(opportunity: Opportunity, mode: Mode, now: number): Promise<boolean> {
    const funds = await checkFunds(this.ctx.orderPath, mode, opportunity);
    if (funds.ok) {
      this.fundsShort = null;
      return true;
    }
    this.fundsShort = { atMs: now, code: funds.code, reason: funds.reason };
    this.ctx.recent.skipped(opportunity.id, funds.code, funds.reason);
    if (funds.code === 'order_failed') this.ctx.counters.lastError = funds.reason;
    this.ctx.log.warn(
      { opportunityId: opportunity.id, reason: funds.reason },
      'live account cannot pay: no order sent',
    );
    // Priced again once the balance is read again (a quiet book may never trigger it).
    setTimeout(() => this.ctx.rescan(), FUNDS_RECHECK_MS).unref();
    this.ctx.heartbeat();
    return false;
  }

  /** One trade per leg reserved against the monthly limit; a group already booked is never sent again. */
  private async reserved(opportunity: Opportunity, now: number): Promise<boolean> {
    const { recent, log } = this.ctx;
    const orders = opportunity.legs.length;
    const reservation = await reserveOrders(this.ctx.db, opportunity);
    if (reservation === 'booked') {
      recent.skipped(opportunity.id, 'already_booked', 'already traded (booked before a restart or by another runner)');
      log.info({ opportunityId: opportunity.id }, 'already booked: not sent again');
      return false;
    }
    if (reservation === 'denied') {
      this.limitReached = { atMs: now, orders };
      recent.skipped(opportunity.id, 'monthly_limit', `the monthly trade limit has no room for ${orders} more orders`);
      log.warn({ opportunityId: opportunity.id, orders }, 'monthly trade limit reached: no order sent');
      this.ctx.heartbeat();
      return false;
    }
    this.limitReached = null;
    return true;
  }

  /** What the dashboard's recent list says about an execution, and the error the status shows. */
  private recordOutcome(opportunity: Opportunity, executed: Awaited<ReturnType<typeof executeReserved>>): void {
    const { recent, counters, pauses } = this.ctx;
    if (executed.fundsRefused) {
      // The venue refused for money: an error the status explains (error_code insufficient_balance).
      counters.lastError = executed.fundsRefused;
      this.fundsShort = { atMs: Date.now(), code: 'insufficient_funds', reason: executed.fundsRefused };
    }
    const pausedNow = executed.status === 'nothing_filled' ? pauses.blocked(opportunity) : null;
    const held: { code: 'stale_book' | 'venue_paused'; reason: string } | null =
      executed.status === 'stale_book' || executed.status === 'venue_paused'
        ? { code: executed.status, reason: executed.reason ?? executed.status }
        : pausedNow;
    if (held) {
      // Nothing reached a book: the same opportunity may go once the books are fresh or the venue trades again.
      this.acted.delete(opportunity.id);
      recent.skipped(opportunity.id, held.code, held.reason);
    } else if (executed.fundsRefused && executed.status === 'nothing_filled')
      recent.skipped(opportunity.id, 'insufficient_funds', executed.fundsRefused);
    else if (executed.legs > 0) recent.acted(opportunity.id);
    else if (executed.status === 'lease_expired')
      recent.skipped(opportunity.id, 'lease_expired', executed.reason ?? 'the lease expired: no order sent');
    else if (executed.status === 'market_closed')
      recent.skipped(opportunity.id, 'market_closed', 'its market closed before the orders went out');
    else recent.skipped(opportunity.id, 'not_filled', `no order went out (${executed.status})`);
  }
}
