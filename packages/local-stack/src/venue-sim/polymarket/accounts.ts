// Per-wallet state in the simulator: pUSD cash, token positions, orders and trades. Wallets are funded with
// the scenario's default balance the first time the venue sees them.
export interface SimOrder {
  id: string;
  owner: string;
  apiKey: string;
  tokenId: string;
  market: string;
  outcome: string;
  side: 'BUY' | 'SELL';
  pips: number;
  originalSize: number;
  matched: number;
  status: 'LIVE' | 'MATCHED' | 'CANCELED';
  orderType: string;
  createdAtMs: number;
  tradeIds: string[];
  /** Why the venue cancelled it (null while live or once matched): see `CancelReason`. */
  cancelReason?: CancelReason | null;
}

/**
 * Why an order was cancelled, as the simulator records it for tests (`GET /_sim/polymarket/orders`): the owner's
 * `DELETE /order`, the owner's `DELETE /cancel-all`, the heartbeat dead-man switch, or its market closing.
 */
export type CancelReason = 'user' | 'cancel_all' | 'heartbeat_timeout' | 'market_closed';

export interface SimTrade {
  id: string;
  takerOrderId: string;
  market: string;
  assetId: string;
  side: 'BUY' | 'SELL';
  size: number;
  price: number;
  fee: number;
  feeRateBps: number;
  matchTimeMs: number;
  outcome: string;
  owner: string;
  makerAddress: string;
  traderSide: 'TAKER' | 'MAKER';
  makerOrders: {
    orderId: string;
    owner: string;
    makerAddress: string;
    matchedAmount: number;
    price: number;
    side: 'BUY' | 'SELL';
  }[];
  transactionHash: string;
}

/** A resolution paying (or zeroing) a held position, as the account statement lists it. */
export interface SimPayout {
  conditionId: string;
  tokenId: string;
  outcome: string;
  size: number;
  payoutPerShare: number;
  amount: number;
  atMs: number;
}

export interface Account {
  address: string;
  /** Cash on first sight (the scenario's default balance). */
  startingBalance: number;
  /** Sum of `fund` control calls after that. */
  deposits: number;
  payouts: SimPayout[];
  cash: number;
  /** pUSD the wallet approved the exchange to pull, in dollars; null = unlimited (what the venue's onboarding sets). */
  allowance: number | null;
  positions: Map<string, number>;
  orders: SimOrder[];
  trades: SimTrade[];
}

export class Accounts {
  private readonly accounts = new Map<string, Account>();

  constructor(private readonly defaultBalance: number) {}

  get(address: string): Account {
    const key = address.toLowerCase();
    let account = this.accounts.get(key);
    if (!account) {
      account = {
        address,
        startingBalance: this.defaultBalance,
        deposits: 0,
        payouts: [],
        cash: this.defaultBalance,
        allowance: null,
        positions: new Map(),
        orders: [],
        trades: [],
      };
      this.accounts.set(key, account);
    }
    return account;
  }

  fund(address: string, amount: number): Account {
    const account = this.get(address);
    account.cash = Math.round((account.cash + amount) * 1e6) / 1e6;
    account.deposits = Math.round((account.deposits + amount) * 1e6) / 1e6;
    return account;
  }

  /** Collateral locked by resting BUY orders. */
  reservedCash(account: Account): number {
    return account.orders
      .filter((o) => o.status === 'LIVE' && o.side === 'BUY')
      .reduce((sum, o) => sum + (o.originalSize - o.matched) * (o.pips / 10_000), 0);
  }

  /** Tokens locked by resting SELL orders. */
  reservedTokens(account: Account, tokenId: string): number {
    return account.orders
      .filter((o) => o.status === 'LIVE' && o.side === 'SELL' && o.tokenId === tokenId)
      .reduce((sum, o) => sum + (o.originalSize - o.matched), 0);
  }

  position(account: Account, tokenId: string): number {
    return account.positions.get(tokenId) ?? 0;
  }

  addPosition(account: Account, tokenId: string, delta: number): void {
    const next = Math.round((this.position(account, tokenId) + delta) * 1e6) / 1e6;
    if (next === 0) account.positions.delete(tokenId);
    else account.positions.set(tokenId, next);
  }

  addCash(account: Account, delta: number): void {
    account.cash = Math.round((account.cash + delta) * 1e6) / 1e6;
  }

  findOrder(orderId: string): SimOrder | undefined {
    for (const account of this.accounts.values()) {
      const order = account.orders.find((o) => o.id === orderId);
      if (order) return order;
    }
    return undefined;
  }

  all(): Iterable<Account> {
    return this.accounts.values();
  }

  /** The account if the venue has seen it (a statement must not create one). */
  find(address: string): Account | undefined {
    return this.accounts.get(address.toLowerCase());
  }
}
