// One public market-data hub per venue, in the manager. Discovery runs once; every runner gets a hub consumer, so the
// venue sees one book subscription per instrument however many users follow it. Only Polymarket is fed so far:
// Kalshi's book stream requires an authenticated connection (a platform key), see the report.
import { resolveFeeSchedule, type FeeSchedule, type Instrument } from '@polybot/schemas';
import { MarketDataHub, PolymarketMarketData, type BookUpdate, type HubConsumer } from '@polybot/venues';
import type { Logger } from 'pino';
import type { VenueUrls } from '../shared/ipc.ts';
import { coerceError } from '../shared/errors.ts';

export class MarketFeed {
  private readonly marketData: PolymarketMarketData;
  private readonly hub: MarketDataHub;
  instruments: Instrument[] = [];
  fees: Record<string, FeeSchedule> = {};

  constructor(urls: VenueUrls, private readonly log: Logger) {
    this.marketData = new PolymarketMarketData({ clobUrl: urls.polymarketClob, gammaUrl: urls.polymarketGamma, wsUrl: urls.polymarketWs });
    this.hub = new MarketDataHub(this.marketData);
  }

  async discover(): Promise<void> {
    const instruments = await this.marketData.listInstruments();
    const fees: Record<string, FeeSchedule> = {};
    for (const i of instruments) {
      const meta = this.marketData.markets.get(i.marketId);
      fees[i.instrumentId] = resolveFeeSchedule({ venue: 'polymarket', marketId: i.marketId, polymarketSchedule: meta?.feeSchedule ?? null });
    }
    this.instruments = instruments.filter((i) => i.active);
    this.fees = fees;
    this.log.info({ instruments: this.instruments.length }, 'market discovery done');
  }

  subscribe(onUpdate: (u: BookUpdate) => void): HubConsumer {
    const consumer = this.hub.subscribe(onUpdate, (e) => this.log.warn({ err: coerceError(e).message }, 'book stream error'));
    consumer.add(this.instruments.map((i) => i.instrumentId));
    return consumer;
  }

  stats(): ReturnType<MarketDataHub['stats']> {
    return this.hub.stats();
  }

  close(): Promise<void> {
    return this.hub.close();
  }
}
