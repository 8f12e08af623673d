// Execution: paper fills against the real books the hub delivers, or the venue adapter with this user's own keys.
// Either way an arbitrage goes through executeArbitrage (leg-risk handling), and its result becomes trade rows.
import {
  NO_FEES,
  PolymarketWalletConfigSchema,
  type FeeSchedule,
  type Opportunity,
  type OrderBook,
  type OrderResult,
  type VenueId,
} from '@polybot/schemas';
// Paper execution only: the live adapters (clob-client-v2 with viem, kalshi-typescript with axios) are imported
// when a runner actually goes live, so a paper runner never loads them (most of a runner's memory otherwise).
import type { Trading } from '@polybot/venues';
import { PaperTrading, executeArbitrage, type ArbitrageExecution } from '@polybot/venues/paper';
import { z } from 'zod';
import type { RunnerKey, TradeRow, VenueUrls } from '../shared/ipc.ts';

const PolymarketApiSecretSchema = z.object({ secret: z.string(), passphrase: z.string() });
const HexKeySchema = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/)
  .transform((k): `0x${string}` => (k.startsWith('0x') ? (k as `0x${string}`) : `0x${k}`));

export function createPaperTrading(
  venue: VenueId,
  books: ReadonlyMap<string, OrderBook>,
  fees: Readonly<Record<string, FeeSchedule>>,
): PaperTrading {
  return new PaperTrading({
    venue,
    getBook: (id) => books.get(id),
    feeSchedule: (id) => fees[id] ?? NO_FEES,
    // Paper accounts start with a notional bankroll; the risk limits, not cash, are what bind.
    initialCash: 100_000,
  });
}

/** The live client for this user's validated live Polymarket key (the only private venue access a runner has). */
export async function createLiveTrading(key: RunnerKey, urls: VenueUrls): Promise<Trading> {
  const privateKey = HexKeySchema.parse(key.privateKey);
  const secret = key.apiSecret === null ? null : PolymarketApiSecretSchema.parse(JSON.parse(key.apiSecret));
  // Which account the key trades for (signature type, funder): saved with the key in additional_config.
  const wallet = PolymarketWalletConfigSchema.parse(key.additionalConfig);
  const { PolymarketTrading } = await import('@polybot/venues/polymarket');
  return PolymarketTrading.connect({
    clobUrl: urls.polymarketClob,
    privateKey,
    signatureType: wallet.signatureType,
    ...(wallet.funderAddress ? { funderAddress: wallet.funderAddress as `0x${string}` } : {}),
    ...(key.apiKey && secret
      ? { creds: { key: key.apiKey, secret: secret.secret, passphrase: secret.passphrase } }
      : {}),
  });
}

/** The live client for this user's validated live Kalshi key (key id + RSA private key PEM). */
export async function createLiveKalshiTrading(key: RunnerKey, urls: VenueUrls): Promise<Trading> {
  if (!key.apiKey || !key.privateKey || !urls.kalshiApi)
    throw new Error('live Kalshi trading needs a key id, a private key and the Kalshi API URL');
  return kalshiTrading(urls.kalshiApi, key.apiKey, key.privateKey);
}

/** kalshi-typescript with one key against one Kalshi environment (production, or the demo exchange for paper). */
export async function kalshiTrading(basePath: string, keyId: string, privateKeyPem: string): Promise<Trading> {
  const { KalshiClient, KalshiTrading } = await import('@polybot/venues');
  return new KalshiTrading({ client: new KalshiClient({ basePath, credentials: { keyId, privateKeyPem } }) });
}

/** Each leg goes to the Trading of its own venue. */
export async function runArbitrage(
  trading: (venue: VenueId) => Trading,
  opportunity: Opportunity,
  books: ReadonlyMap<string, OrderBook>,
): Promise<ArbitrageExecution> {
  return executeArbitrage(trading, opportunity, { getBook: (id) => books.get(id) });
}

interface InstrumentInfo {
  marketId: string;
  outcome: string;
  /** The market's question, booked with the trade so people read a title, not a condition id. */
  marketTitle: string | null;
}

/** One order's answer as a trade row (also for an answer learned later, by reconciliation). */
export function row(
  result: OrderResult,
  base: Omit<TradeRow, 'clientOrderId' | 'venueOrderId' | 'status' | 'price' | 'filledSize' | 'fee' | 'rejectReason'>,
): TradeRow {
  return {
    ...base,
    clientOrderId: result.clientOrderId,
    venueOrderId: result.venueOrderId,
    status: result.status,
    price:
      result.averagePrice !== null && result.averagePrice > 0 && result.averagePrice < 1 ? result.averagePrice : null,
    filledSize: Math.min(result.filledSize, base.size),
    fee: result.fees,
    rejectReason: result.rejectReason,
  };
}

/** Every order of one execution (legs and unwinds) as trade rows, booked together. */
export function tradeRows(
  execution: ArbitrageExecution,
  opportunity: Opportunity,
  mode: 'paper' | 'live',
  info: (instrumentId: string) => InstrumentInfo,
): TradeRow[] {
  const rows: TradeRow[] = [];
  const strategy = opportunity.strategy;
  for (const leg of execution.legs) {
    if (!leg.result) continue;
    const i = info(leg.leg.instrumentId);
    rows.push(
      row(leg.result, {
        platform: leg.leg.venue,
        marketId: i.marketId,
        marketTitle: i.marketTitle,
        instrumentId: leg.leg.instrumentId,
        outcome: i.outcome,
        side: 'buy',
        strategy,
        mode,
        orderType: 'FOK',
        limitPrice: leg.leg.limitPrice,
        size: leg.leg.size,
        opportunityId: opportunity.id,
        legGroupId: opportunity.id,
      }),
    );
  }
  for (const u of execution.unwinds) {
    if (!u.result) continue;
    const i = info(u.instrumentId);
    const limit = u.result.fills[0]?.price ?? 0.001;
    rows.push(
      row(u.result, {
        platform: u.venue,
        marketId: i.marketId,
        marketTitle: i.marketTitle,
        instrumentId: u.instrumentId,
        outcome: i.outcome,
        side: 'sell',
        strategy: 'unwind',
        mode,
        orderType: 'FAK',
        limitPrice: Math.min(Math.max(limit, 0.001), 0.999),
        size: u.size,
        opportunityId: opportunity.id,
        legGroupId: opportunity.id,
      }),
    );
  }
  return rows;
}
