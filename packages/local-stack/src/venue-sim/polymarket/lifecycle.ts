// A Polymarket market's end of life and birth at runtime: trading halts when an outcome is proposed, resolution
// pays held shares (1 / 0, or 0.5 each for a 50-50) and tells custom-feature WebSocket subscribers; listing adds an
// event or a market that Gamma, the CLOB, books and the WebSocket serve at once. Also the account statement tests
// use to compare a live user's P&L with the venue's cash.
import { z } from 'zod';
import type { Account } from './accounts.ts';
import { fromPips } from './book.ts';
import type { SimContext } from './context.ts';
import { cancelOrder } from './engine.ts';
import { EventSpecSchema, MarketSpecSchema } from './scenario-schema.ts';
import { addEvent, addMarket, type SimMarket } from './world.ts';
import type { MarketChannel } from './ws.ts';

/** `POST /_sim/polymarket/resolve`: a named winner, or `split: true` for a 50-50. */
export const ResolveBodySchema = z.union([
  z.object({ conditionId: z.string(), winningOutcome: z.string() }),
  z.object({ conditionId: z.string(), split: z.literal(true) }),
]);
export type ResolveBody = z.infer<typeof ResolveBodySchema>;

/** `POST /_sim/polymarket/list`: a whole new event, or one more market in an existing event. */
export const ListBodySchema = z.union([
  z.object({ event: EventSpecSchema }),
  z.object({ eventId: z.string(), market: MarketSpecSchema }),
]);

export class PolymarketLifecycle {
  constructor(
    private readonly ctx: SimContext,
    private readonly channel: MarketChannel,
  ) {}

  /** Trading stops (resting orders cancelled, new ones refused) and Gamma shows `umaResolutionStatus: "proposed"`. */
  propose(conditionId: string): boolean {
    const market = this.ctx.world.markets.get(conditionId);
    if (!market || market.umaStatus !== '') return false;
    this.cancelResting(market);
    market.umaStatus = 'proposed';
    return true;
  }

  /** Resolves once: false for an unknown or already resolved market, or a winner that is not one of its outcomes. */
  resolve(body: ResolveBody): boolean {
    const market = this.ctx.world.markets.get(body.conditionId);
    if (!market || market.umaStatus === 'resolved') return false;
    let payouts: [number, number];
    if ('split' in body) payouts = [0.5, 0.5];
    else {
      const index = market.tokens.findIndex((t) => t.outcome === body.winningOutcome);
      if (index < 0) return false;
      payouts = index === 0 ? [1, 0] : [0, 1];
    }
    this.cancelResting(market);
    const now = this.ctx.now();
    market.umaStatus = 'resolved';
    market.payouts = payouts;
    market.resolvedAtMs = now;
    // Winnings are credited at once: the simulator redeems for every holder (the venue needs a redeem call).
    for (const account of this.ctx.accounts.all()) {
      market.tokens.forEach((token, i) => {
        const held = this.ctx.accounts.position(account, token.tokenId);
        if (held === 0) return;
        const payoutPerShare = payouts[i] ?? 0;
        const amount = Math.round(held * payoutPerShare * 1e6) / 1e6;
        this.ctx.accounts.addPosition(account, token.tokenId, -held);
        this.ctx.accounts.addCash(account, amount);
        account.payouts.push({
          conditionId: market.spec.conditionId,
          tokenId: token.tokenId,
          outcome: token.outcome,
          size: held,
          payoutPerShare,
          amount,
          atMs: now,
        });
      });
    }
    this.channel.publishResolved(market);
    return true;
  }

  /** Lists new markets now; returns their condition ids. Throws on duplicates or an unknown event. */
  list(body: z.infer<typeof ListBodySchema>): string[] {
    const now = this.ctx.now();
    let added: SimMarket[];
    if ('event' in body) added = addEvent(this.ctx.world, body.event, now).markets;
    else {
      const event = this.ctx.world.events.find((e) => e.spec.id === body.eventId);
      if (!event) throw new Error(`unknown event ${body.eventId}`);
      added = [addMarket(this.ctx.world, event, body.market, now)];
    }
    for (const market of added) this.channel.publishNewMarket(market);
    return added.map((m) => m.spec.conditionId);
  }

  private cancelResting(market: SimMarket): void {
    for (const account of this.ctx.accounts.all())
      for (const order of account.orders)
        if (order.status === 'LIVE' && order.market === market.spec.conditionId)
          cancelOrder(this.ctx, account.address, order.id, 'market_closed');
  }
}

/** `GET /_sim/polymarket/statement?address=`: what the venue knows of one wallet's money. */
export function polymarketStatement(ctx: SimContext, account: Account): Record<string, unknown> {
  const positions = [...account.positions.entries()].map(([tokenId, size]) => {
    const token = ctx.world.tokens.get(tokenId);
    return { tokenId, conditionId: token?.market.spec.conditionId ?? '', outcome: token?.outcome ?? '', size };
  });
  const round = (n: number): number => Math.round(n * 1e6) / 1e6;
  const fees = account.trades.reduce((sum, t) => sum + t.fee, 0);
  return {
    address: account.address,
    startingBalance: account.startingBalance,
    deposits: account.deposits,
    cash: account.cash,
    /** cash − startingBalance − deposits: trading and payouts only. */
    cashChange: round(account.cash - account.startingBalance - account.deposits),
    fees: round(fees),
    positions,
    fills: account.trades.map((t) => ({
      id: t.id,
      orderId: t.takerOrderId,
      conditionId: t.market,
      tokenId: t.assetId,
      outcome: t.outcome,
      side: t.side,
      size: t.size,
      price: t.price,
      fee: t.fee,
      traderSide: t.traderSide,
      atMs: t.matchTimeMs,
    })),
    payouts: account.payouts,
    openOrders: account.orders
      .filter((o) => o.status === 'LIVE')
      .map((o) => ({
        id: o.id,
        tokenId: o.tokenId,
        side: o.side,
        price: fromPips(o.pips),
        size: o.originalSize - o.matched,
      })),
  };
}
