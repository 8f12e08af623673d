// The one interface every venue adapter implements, and that paper execution implements too, so a runner cannot
// tell paper from live except by configuration. Public market data (discovery, books) needs no credentials;
// everything under `trading` is private and belongs to exactly one user's credentials.
import type { Fill, Instrument, OrderBook, OrderRequest, OrderResult, VenueId } from '@polybot/schemas';

export interface BookUpdate {
  book: OrderBook;
  /** 'snapshot' after (re)subscribe or resnapshot; 'delta' for an incremental change already applied to `book`. */
  kind: 'snapshot' | 'delta';
}

export interface BookSubscription {
  /** Add instruments to the stream; the first message for each is a snapshot. */
  add(instrumentIds: readonly string[]): void;
  remove(instrumentIds: readonly string[]): void;
  close(): Promise<void>;
}

export interface MarketData {
  readonly venue: VenueId;
  /** All active instruments (paginates the venue's discovery API to the end). */
  listInstruments(): Promise<Instrument[]>;
  /** REST snapshot of one book. */
  getBook(instrumentId: string): Promise<OrderBook>;
  /** Streaming books: a snapshot per instrument, then every change; gaps and bad hashes are recovered internally. */
  subscribeBooks(onUpdate: (update: BookUpdate) => void, onError: (error: Error) => void): BookSubscription;
}

export interface Position {
  venue: VenueId;
  instrumentId: string;
  size: number;
  averagePrice: number;
}

export interface Trading {
  readonly venue: VenueId;
  readonly mode: 'paper' | 'live';
  placeOrder(order: OrderRequest): Promise<OrderResult>;
  cancelOrder(venueOrderId: string): Promise<void>;
  openOrders(): Promise<OrderResult[]>;
  fills(sinceMs?: number): Promise<Fill[]>;
  /** Available collateral in dollars. */
  balance(): Promise<number>;
  positions(): Promise<Position[]>;
  /** Balance and allowance of the account that pays for orders (money checks before live orders). */
  funds?(): Promise<Funds>;
  /**
   * Makes the order ready to send and names it before it leaves, so its intent can be written down first: Polymarket
   * signs it now and answers the order hash (placeOrder with that clientOrderId posts this same signed order); Kalshi
   * answers null (it keys orders by client_order_id). Optional: paper needs no name.
   */
  prepareOrder?(order: OrderRequest): Promise<{ venueOrderId: string | null }>;
  /**
   * Cancel every resting order of this account, ours or not (a live account connected to PolyBot is the bot's: the
   * dead-man switch runs this on stop). Returns how many were cancelled.
   */
  cancelAll(): Promise<number>;
}

/** Collateral an account can spend on orders now, in dollars. */
export interface Funds {
  /** Whose money it is: the Polymarket wallet that pays (the funder); null where the venue names no address (Kalshi). */
  account: string | null;
  balance: number;
  /** What the venue may pull from the account for orders (Polymarket's pUSD approval); null where none is needed. */
  allowance: number | null;
}

/**
 * Every trading implementation's answer for an order it did not place: nothing filled, nothing paid, and why.
 * String(): a request that failed validation may carry any clientOrderId at run time.
 */
export function rejectedOrder(
  order: Pick<OrderRequest, 'clientOrderId'>,
  reason: string,
  venueOrderId: string | null = null,
): OrderResult {
  return {
    clientOrderId: String(order.clientOrderId),
    venueOrderId,
    status: 'rejected',
    filledSize: 0,
    averagePrice: null,
    fees: 0,
    fills: [],
    rejectReason: reason,
  };
}

export interface Venue {
  readonly marketData: MarketData;
  readonly trading: Trading;
}
