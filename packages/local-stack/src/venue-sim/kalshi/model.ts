// The simulated exchange's state: markets, accounts, orders, fills. Units as in exchange.ts: prices integer cents,
// counts integer hundredths of a contract, money in units of 1e-4 dollars.
import type { KeyObject } from 'node:crypto';
import type { BookSideName, MarketBook, RestingOrder } from './book.ts';
import type { ScenarioEvent, ScenarioMarket } from './scenario.ts';

export type TimeInForce = 'fill_or_kill' | 'good_till_canceled' | 'immediate_or_cancel';
export type StpType = 'taker_at_cross' | 'maker';

export interface SimMarket {
  spec: ScenarioMarket;
  event: ScenarioEvent;
  status: 'active' | 'finalized';
  result: '' | 'yes' | 'no';
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

export interface SimAccount {
  keyId: string;
  publicKey: KeyObject;
  balanceUnits: number;
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
