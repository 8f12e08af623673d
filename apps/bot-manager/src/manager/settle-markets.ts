// A market the venue says is decided → the platform's resolution (payouts per contract from the venue's own fields,
// packages/schemas resolution.ts) → settleMarket (public.settle_market: one transaction, set-based, idempotent: a
// replay, a second source or a restart settles nothing twice) → each affected user's running runner is told which
// positions closed (max open positions frees up), with the live Kalshi markets it must reconcile with the venue.
// Live Polymarket winnings are marked redeemable (markRedeemable; settle_market already does, this keeps it so if
// the rule moves); how to redeem is REDEEM_POLYMARKET_HOWTO in packages/schemas.
import { asManager, markRedeemable, settleMarket, type SettledPosition } from '@polybot/db/service';
import { payoutsFromKalshi, payoutsFromPolymarket, type MarketResolution } from '@polybot/schemas';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import type { PositionsSettledMessage } from '../shared/ipc.ts';
import type { DecidedMarket } from './market-lifecycle.ts';

export interface SettleContext {
  sql: Sql;
  log: Logger;
  manager: { positionsSettled(userId: string, settled: Omit<PositionsSettledMessage, 'type'>): void };
}

/** The platform's resolution of a decided market, from the venue's fields (throws when they are not final). */
export function resolutionOf(m: DecidedMarket, now = new Date()): MarketResolution {
  if (m.platform === 'polymarket') {
    const prices = m.state.outcomePrices ?? [];
    const payouts = payoutsFromPolymarket(
      prices.map((p) => String(p)),
      m.state.tokens,
    );
    const winner = prices.findIndex((p) => p === 1);
    return {
      platform: 'polymarket',
      marketId: m.marketId,
      status: 'resolved',
      payouts,
      winningOutcome: winner >= 0 ? (m.state.outcomes[winner] ?? null) : null,
      resolvedAt: now,
      source: 'venue',
    };
  }
  const { status, payouts } = payoutsFromKalshi(m.state.result, m.state.settlementValueCents, m.marketId);
  const r = m.state.result;
  return {
    platform: 'kalshi',
    marketId: m.marketId,
    status,
    payouts,
    winningOutcome: r === 'yes' || r === 'no' ? r : null,
    resolvedAt: m.state.settledAt ? new Date(m.state.settledAt) : now,
    source: 'venue',
  };
}

export async function settleDecidedMarket(ctx: SettleContext, m: DecidedMarket): Promise<SettledPosition[]> {
  const resolution = resolutionOf(m);
  const settled = await asManager(ctx.sql, (tx) => settleMarket(tx, resolution));
  if (settled.length === 0) return settled; // a replay: settled before (by this manager, another, or before a restart)
  ctx.log.info(
    { platform: m.platform, marketId: m.marketId, status: resolution.status, positions: settled.length },
    'market resolved: positions settled',
  );
  const byUser = new Map<string, SettledPosition[]>();
  for (const s of settled) byUser.set(s.userId, [...(byUser.get(s.userId) ?? []), s]);
  for (const [userId, rows] of byUser) {
    const live = rows.some((r) => r.mode === 'live');
    if (live && m.platform === 'polymarket')
      await asManager(ctx.sql, (tx) => markRedeemable(tx, userId, 'polymarket', m.marketId));
    ctx.manager.positionsSettled(userId, {
      instrumentIds: rows.map((r) => r.instrumentId),
      realizedPnlUsd: rows.reduce<Record<string, number>>((by, r) => {
        by[r.instrumentId] = (by[r.instrumentId] ?? 0) + r.realizedPnlUsd;
        return by;
      }, {}),
      ...(live && m.platform === 'kalshi' ? { reconcileKalshi: [m.marketId] } : {}),
    });
  }
  return settled;
}
