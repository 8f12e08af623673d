// The simulated exchange's state: markets, accounts, orders, fills. Units as in exchange.ts: prices integer cents,
// counts integer hundredths of a contract, money in units of 1e-4 dollars.
import type { KeyObject } from 'node:crypto';
import type { BookSideName, MarketBook, RestingOrder } from './book.ts';
import type { ScenarioEvent, ScenarioMarket } from './scenario.ts';

export type TimeInForce = 'fill_or_kill' | 'good_till_canceled' | 'immediate_or_cancel';
export type StpType = 'taker_at_cross' | 'maker';

/**
 * The venue's market statuses as the REST API returns them (docs: market lifecycle): trading only while `active`;
 * `closed` (past close time, awaiting determination) → `determined` (result known, settlement timer running) →
 * `finalized` (positions paid out).
 */
export type MarketStatus = 'initialized' | 'active' | 'closed' | 'determined' | 'finalized';

export interface SimMarket {
  spec: ScenarioMarket;
  event: ScenarioEvent;
  status: MarketStatus;
  /** '' until determined; 'void' for a voided market (every position paid back its cost). */
  result: '' | 'yes' | 'no' | 'void';
  /** Payout of one YES contract in cents once determined (100 or 0); null while open and for a void. */
  settlementValueCents: number | null;
  /** When the market was finalized (ms since epoch). */
  settledMs: number | null;
  book: MarketBook;
  lastPriceCents: number | null;
  volume: number;
  feeBps: number;
}

export interface SimPosition {
  position: number;
  exposureUnits: number;
  tradedUnits: number;
  feesUnits: number;
  realizedUnits: number;
  updatedMs: number;
}

export interface SimOrder {
  orderId: string;
  clientOrderId: string;
  keyId: string;
  ticker: string;
  bookSide: 'bid' | 'ask';
  yesPriceCents: number;
  initial: number;
  filled: number;
  remaining: number;
  status: 'resting' | 'canceled' | 'executed';
  takerCostUnits: number;
  makerCostUnits: number;
  takerFeeCents: number;
  createdMs: number;
  updatedMs: number;
  stp: StpType;
  resting: RestingOrder | null;
}

export interface SimFill {
  fillId: string;
  orderId: string;
  keyId: string;
  ticker: string;
  outcome: BookSideName;
  bookSide: 'bid' | 'ask';
  count: number;
  yesPriceCents: number;
  isTaker: boolean;
  feeCents: number;
  tsMs: number;
}

/** One `GET /portfolio/settlements` row: what a finalized market paid this member. */
export interface SimSettlement {
  ticker: string;
  eventTicker: string;
  result: 'yes' | 'no' | 'void';
  yesCount: number;
  yesCostUnits: number;
  noCount: number;
  noCostUnits: number;
  revenueUnits: number;
  feesUnits: number;
  valueCents: number | null;
  settledMs: number;
}

export interface SimAccount {
  keyId: string;
  publicKey: KeyObject;
  /** Balance at registration (the account statement's starting point). */
  startingUnits: number;
  balanceUnits: number;
  settlements: SimSettlement[];
  positions: Map<string, SimPosition>;
  orders: Map<string, SimOrder>;
  byClientId: Map<string, SimOrder>;
  fills: SimFill[];
}

export class ExchangeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface NewOrder {
  ticker: string;
  clientOrderId: string;
  bookSide: 'bid' | 'ask';
  count: number;
  yesPriceCents: number;
  tif: TimeInForce;
  stp: StpType;
}
