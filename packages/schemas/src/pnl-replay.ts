// replayFills: the independent recomputation of a user's P&L from their fills and the markets' resolutions alone.
// It mirrors, step by step and with the same rounding, what the platform books in SQL (packages/db
// applyFillToPosition for each fill, public.settle_market for each resolution), so a test can hold the database to it
// to the cent, and the web app can show where each number comes from.
import type { OrderSide, TradeStrategy, TradingMode, VenueId } from './market.ts';
import { round6, saleRealizedUsd, settlementPayoutPerContract, type PnlEvent, type PnlPosition } from './pnl.ts';
import { POSITION_DUST } from './positions.ts';
import type { MarketResolution, SettlementRule } from './resolution.ts';

/** A booked fill (a trade with filled_size > 0), in booking order. */
export interface PnlFill {
  at: Date | string;
  platform: VenueId;
  marketId: string;
  instrumentId: string;
  outcome: string | null;
  mode: TradingMode;
  side: OrderSide;
  /** Contracts filled. */
  size: number;
  /** Average fill price. */
  price: number;
  fee: number;
  strategy: TradeStrategy | null;
  legGroupId: string | null;
}

export interface ReplaySettlement {
  platform: VenueId;
  marketId: string;
  instrumentId: string;
  mode: TradingMode;
  size: number;
  costBasisUsd: number;
  payoutPerContract: number;
  payoutUsd: number;
  realizedPnlUsd: number;
  rule: SettlementRule;
}

export interface Replay {
  positions: PnlPosition[];
  settlements: ReplaySettlement[];
  /** Sales' and settlements' realized P&L. */
  realizedUsd: number;
  feesUsd: number;
  /** Money in minus money out: sale proceeds less fees, less buys and their fees, plus settlement payouts. */
  cashDeltaUsd: number;
  /** Every sale, settlement and fee, for summarizePnl. */
  events: PnlEvent[];
}

function settlementRule(r: MarketResolution, payout: number): SettlementRule {
  if (r.status === 'voided') return 'voided';
  return payout >= 1 ? 'won' : payout <= 0 ? 'lost' : 'split';
}

/**
 * Replays `fills` (in booking order), then settles each of `resolutions` (in order). Fills on a market after its
 * resolution do not happen (orders on a resolved market are refused upstream); a fill that finds its position already
 * settled leaves the position alone, as the platform's booking does.
 */
export function replayFills(fills: readonly PnlFill[], resolutions: readonly MarketResolution[]): Replay {
  const positions = new Map<string, PnlPosition>();
  const settlements: ReplaySettlement[] = [];
  const events: PnlEvent[] = [];
  let cash = 0;
  let fees = 0;
  let realized = 0;

  for (const f of fills) {
    if (f.size <= 0) continue;
    const key = `${f.platform}|${f.instrumentId}|${f.mode}`;
    const p = positions.get(key);
    fees += f.fee;
    events.push({
      at: f.at,
      kind: 'fee',
      platform: f.platform,
      mode: f.mode,
      strategy: p?.strategy ?? f.strategy,
      realizedUsd: 0,
      feesUsd: f.fee,
    });
    if (f.side === 'buy') {
      const cost = round6(f.size * f.price + f.fee);
      cash -= f.size * f.price + f.fee;
      if (!p) {
        positions.set(key, {
          platform: f.platform,
          marketId: f.marketId,
          instrumentId: f.instrumentId,
          outcome: f.outcome,
          mode: f.mode,
          status: 'open',
          size: round6(f.size),
          avgPrice: round6(f.price),
          costBasisUsd: cost,
          realizedPnlUsd: 0,
          markPrice: null,
          strategy: f.strategy,
          legGroupId: f.legGroupId,
        });
      } else if (p.status !== 'settled') {
        const size = round6(f.size);
        p.avgPrice = round6(Math.min(0.999999, (p.avgPrice * p.size + round6(f.price) * size) / (p.size + size)));
        p.size = round6(p.size + size);
        p.costBasisUsd = round6(p.costBasisUsd + cost);
        if (p.status !== 'open') {
          p.strategy = f.strategy;
          p.legGroupId = f.legGroupId;
        }
        p.status = 'open';
      }
      continue;
    }
    cash += f.size * f.price - f.fee;
    let saleRealized: number;
    if (p && p.status !== 'settled') {
      const avgCost = p.size > 0 ? p.costBasisUsd / p.size : 0;
      saleRealized = saleRealizedUsd(f.size, f.price, f.fee, avgCost, p.size);
      const released = p.size <= 0 ? 0 : f.size >= p.size ? p.costBasisUsd : (p.costBasisUsd * f.size) / p.size;
      p.realizedPnlUsd = round6(p.realizedPnlUsd + saleRealized);
      p.costBasisUsd = Math.max(0, round6(p.costBasisUsd - released));
      if (p.size - f.size <= POSITION_DUST) p.status = 'closed';
      p.size = Math.max(0, round6(p.size - f.size));
    } else {
      saleRealized = saleRealizedUsd(f.size, f.price, f.fee, 0, 0);
    }
    realized += round6(saleRealized);
    events.push({
      at: f.at,
      kind: 'sale',
      platform: f.platform,
      mode: f.mode,
      strategy: p?.strategy ?? f.strategy,
      realizedUsd: round6(saleRealized),
      feesUsd: 0,
    });
  }

  for (const r of resolutions) {
    for (const p of positions.values()) {
      if (p.platform !== r.platform || p.marketId !== r.marketId || p.status !== 'open') continue;
      const payoutPerContract = settlementPayoutPerContract(r, p.instrumentId, p.avgPrice);
      const payoutUsd = round6(p.size * payoutPerContract);
      const settled = payoutUsd - p.costBasisUsd;
      cash += payoutUsd;
      realized += settled;
      p.realizedPnlUsd = round6(p.realizedPnlUsd + settled);
      p.status = 'settled';
      p.markPrice = payoutPerContract;
      settlements.push({
        platform: p.platform,
        marketId: p.marketId,
        instrumentId: p.instrumentId,
        mode: p.mode,
        size: p.size,
        costBasisUsd: p.costBasisUsd,
        payoutPerContract,
        payoutUsd,
        realizedPnlUsd: round6(settled),
        rule: settlementRule(r, payoutPerContract),
      });
      events.push({
        at: r.resolvedAt,
        kind: 'settlement',
        platform: p.platform,
        mode: p.mode,
        strategy: p.strategy,
        realizedUsd: round6(settled),
        feesUsd: 0,
      });
    }
  }

  return {
    positions: [...positions.values()],
    settlements,
    realizedUsd: realized,
    feesUsd: fees,
    cashDeltaUsd: cash,
    events,
  };
}
