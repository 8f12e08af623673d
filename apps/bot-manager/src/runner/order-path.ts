// The side effects of one decision once the runner has picked an opportunity: one trade of the monthly limit reserved
// per order, every leg before the first is sent (a limit can never leave an arbitrage half executed; denied → no
// order at all), then route, execute, hand back the reservations of orders never sent, and book what went out.
import type { Instrument, Opportunity, OrderBook, OrderRequest, OrderResult, VenueId } from '@polybot/schemas';
import type { Trading } from '@polybot/venues';
import { isVenuePaused, type VenuePausedError } from '@polybot/venues/errors';
import type { DbRpc } from './db-rpc.ts';
import { runArbitrage, tradeRows } from './execution.ts';
import { fundsRefusal, type FundsCheck, type FundsVerdict } from './funds.ts';
import type { IntentBook } from './intents.ts';
import type { LeaseGuard } from './lease-guard.ts';
import type { Mode } from './mode.ts';
import type { RiskEngine } from './risk.ts';
import type { TradingRouter } from './trading-router.ts';

/** 'booked': this leg group was booked before (another runner of this user, or this one before a restart). */
export type Reservation = 'reserved' | 'denied' | 'booked';

export interface OrderPath {
  db: DbRpc;
  router: TradingRouter;
  risk: RiskEngine;
  books: ReadonlyMap<string, OrderBook>;
  instruments: ReadonlyMap<string, Instrument>;
  /** The first leg whose market closed (or left the listing), or null: checked right before any order goes out. */
  closedLeg: (o: { legs: ReadonlyArray<{ instrumentId: string }> }) => string | null;
  /** Every order is written down before it leaves (intents.ts). */
  intents: IntentBook;
  /** Live balance and allowance, read before anything is reserved (funds.ts). */
  funds?: FundsCheck;
  /**
   * Checked right before the first order goes out, after every await: a reason to send nothing at all (a leg's book
   * older than the max book age, fresh-books.ts; a venue paused meanwhile, venue-pause.ts), or null.
   */
  holdBeforeSend?: (o: Opportunity) => { code: 'stale_book' | 'venue_paused'; reason: string } | null;
  /** Told of every VenuePausedError an order meets, and of every order a venue took (venue-pause.ts). */
  pauses?: { report(e: VenuePausedError): void; succeeded(venue: VenueId): void };
  /**
   * The runner's lease (lease-guard.ts): asked right before each single order leaves, paper or live. Past the
   * deadline another manager may already run this user, so nothing at all is sent — unwinds included.
   */
  lease?: Pick<LeaseGuard, 'canTrade' | 'refusal'>;
}

/** Live only: can each venue's account pay its legs? Paper needs no money check. */
export async function checkFunds(path: OrderPath, mode: Mode, opportunity: Opportunity): Promise<FundsVerdict> {
  if (mode !== 'live' || !path.funds) return { ok: true };
  try {
    // Connecting the live client may fail too (a revoked key: 401): that also waits, never a hot loop.
    const route = await path.router.route(mode, opportunity);
    // An unroutable basket is refused with its own reason by executeReserved.
    if (!route.ok) return { ok: true };
    return await path.funds.check(opportunity, route.tradingFor);
  } catch (e) {
    // A live client that cannot connect: the caller waits and asks again, never a hot loop.
    return { ok: false, code: 'order_failed', reason: e instanceof Error ? e.message : String(e) };
  }
}

export async function reserveOrders(db: DbRpc, opportunity: Opportunity): Promise<Reservation> {
  // Copy and news trades are one-off signals: a group already booked (before a restart) is not sent again.
  const firstOnly = opportunity.strategy === 'copy_trading' || opportunity.strategy === 'news';
  const answer = await db.call({
    op: 'reserveTrades',
    legGroupId: opportunity.id,
    count: opportunity.legs.length,
    ...(firstOnly ? { firstOnly } : {}),
  });
  if (answer === 'booked') return 'booked';
  return answer === true ? 'reserved' : 'denied';
}

/** Executes a reserved opportunity and books it; fills reach the risk engine. */
export async function executeReserved(
  path: OrderPath,
  mode: Mode,
  opportunity: Opportunity,
): Promise<{ legs: number; rows: number; status: string; fundsRefused?: string; reason?: string }> {
  const orders = opportunity.legs.length;
  // Orders known to have gone out; null while execution runs (a throw there may follow sent legs: keep them all).
  let sent: number | null = 0;
  try {
    const route = await path.router.route(mode, opportunity);
    if (!route.ok) throw new Error(route.reason);
    // Checked again after every await before sending: the close may have arrived while the reservation was out.
    if (path.closedLeg(opportunity) !== null) {
      await releaseUnsent(path.db, opportunity.id, orders);
      return { legs: 0, rows: 0, status: 'market_closed' };
    }
    if (path.lease && !path.lease.canTrade()) {
      await releaseUnsent(path.db, opportunity.id, orders);
      return { legs: 0, rows: 0, status: 'lease_expired', reason: path.lease.refusal() };
    }
    const hold = path.holdBeforeSend?.(opportunity) ?? null;
    if (hold !== null) {
      await releaseUnsent(path.db, opportunity.id, orders);
      return { legs: 0, rows: 0, status: hold.code, reason: hold.reason };
    }
    sent = null;
    // Money moves from here (or the venue says it is missing): the next money check reads the venues again.
    path.funds?.forget();
    const info = (id: string): { marketId: string; outcome: string; marketTitle: string | null } => {
      const i = path.instruments.get(id);
      return {
        marketId: i?.marketId ?? id,
        outcome: i?.outcome ?? '',
        marketTitle: i?.title ? i.title.slice(0, 300) : null,
      };
    };
    const written = path.intents.forExecution({ mode, opportunity, info });
    const tradingFor = (venue: VenueId): Trading =>
      watchPauses(
        refuseExpired(refuseClosed(written(route.tradingFor(venue)), path.closedLeg), path.lease),
        path.pauses,
      );
    const execution = await runArbitrage(tradingFor, opportunity, path.books);
    // Buys refused before sending (their intent could not be written) never left: their reservations go back.
    sent = execution.legs.length - path.intents.takeRefused();
    const rows = tradeRows(execution, opportunity, mode, info);
    for (const r of rows)
      if (r.filledSize > 0 && r.price !== null)
        path.risk.onFill(r.instrumentId, r.side, r.filledSize, r.price, r.fee, {
          legGroupId: r.legGroupId,
          strategy: r.strategy,
        });
    // Released before booking: the manager forgets a group's reservations once it is booked.
    await releaseUnsent(path.db, opportunity.id, orders - sent);
    if (rows.length > 0) {
      await path.db.call({ op: 'recordExecution', trades: rows });
      path.intents.booked(rows.map((r) => r.clientOrderId));
    }
    const refused = execution.legs
      .map((l) => (l.result?.status === 'rejected' ? fundsRefusal(l.leg.venue, l.result.rejectReason) : null))
      .find((words) => words !== null);
    return {
      legs: execution.legs.length,
      rows: rows.length,
      status: execution.status,
      ...(refused ? { fundsRefused: refused } : {}),
    };
  } catch (e) {
    if (sent === 0) await releaseUnsent(path.db, opportunity.id, orders);
    throw e;
  } finally {
    // Orders handed to the venue and not booked: their fate is unknown (reconcile-intents.ts learns it).
    path.intents.endExecution();
  }
}

async function releaseUnsent(db: DbRpc, legGroupId: string, count: number): Promise<void> {
  if (count <= 0) return;
  await db.call({ op: 'releaseTrades', legGroupId, count });
}

/**
 * The venue client as the execution sees it, refusing a buy on an instrument whose market closed since the basket was
 * checked (between two legs, a close may arrive): that leg answers rejected, as the venue would, and the basket's
 * earlier legs are unwound by executeArbitrage. Sells (unwinds) still go out: they only reduce what is held.
 */
function refuseClosed(t: Trading, closedLeg: OrderPath['closedLeg']): Trading {
  const closed = (o: OrderRequest): boolean => o.side === 'buy' && closedLeg({ legs: [o] }) !== null;
  return {
    venue: t.venue,
    mode: t.mode,
    placeOrder: (o): Promise<OrderResult> =>
      closed(o)
        ? Promise.resolve({
            clientOrderId: o.clientOrderId,
            venueOrderId: null,
            status: 'rejected',
            filledSize: 0,
            averagePrice: null,
            fees: 0,
            fills: [],
            rejectReason: 'market closed',
          })
        : t.placeOrder(o),
    cancelOrder: (id) => t.cancelOrder(id),
    openOrders: () => t.openOrders(),
    fills: (since) => t.fills(since),
    balance: () => t.balance(),
    positions: () => t.positions(),
    cancelAll: () => t.cancelAll(),
  };
}

/**
 * The venue client as the execution sees it, refusing every order once the lease has expired (between two legs, the
 * deadline may pass): answered rejected with the lease's words, never written down, never sent.
 */
function refuseExpired(t: Trading, lease: OrderPath['lease']): Trading {
  if (!lease) return t;
  return {
    ...t,
    placeOrder: (o): Promise<OrderResult> =>
      lease.canTrade() ? t.placeOrder(o) : Promise.resolve(rejected(o, lease.refusal())),
  };
}

function rejected(o: OrderRequest, reason: string): OrderResult {
  return {
    clientOrderId: o.clientOrderId,
    venueOrderId: null,
    status: 'rejected',
    filledSize: 0,
    averagePrice: null,
    fees: 0,
    fills: [],
    rejectReason: reason,
  };
}

/**
 * The venue client as the execution sees it, telling the runner's pauses what the venue said: a VenuePausedError
 * (thrown on: executeArbitrage stops the legs and unwinds what filled) pauses the venue; an order taken resets its
 * backoff.
 */
function watchPauses(t: Trading, pauses: OrderPath['pauses']): Trading {
  if (!pauses) return t;
  // `t` is refuseClosed's plain object: spreading it keeps every method.
  return {
    ...t,
    placeOrder: (o) =>
      t.placeOrder(o).then(
        (r) => {
          if (r.status !== 'rejected') pauses.succeeded(t.venue);
          return r;
        },
        (e: unknown) => {
          if (isVenuePaused(e)) pauses.report(e);
          throw e;
        },
      ),
  };
}
