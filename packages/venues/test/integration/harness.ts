// Integration harness: the whole venue simulator (Polymarket + Kalshi) on 127.0.0.1:0, driven only through the
// real adapters (Gamma/CLOB/market WebSocket for Polymarket, kalshi-typescript REST + the authenticated WebSocket
// for Kalshi). What a runner holds in memory — instruments, streamed books, fee schedules, approved links — is
// assembled here exactly as a runner would, and handed to the pure strategies.
import { generateKeyPairSync } from 'node:crypto';
import { request } from 'node:http';
import { FeeConfigSchema, MarketLinkSchema, resolveFeeSchedule } from '@polybot/schemas';
import type { FeeSchedule, Instrument, MarketLink, OrderBook, VenueId } from '@polybot/schemas';
import { startVenueSim, type VenueSim } from '@polybot/local-stack/venue-sim';
import { z } from 'zod';
import { loadScenario, type Scenario } from '@polybot/local-stack/venue-sim/scenario';
import { KalshiClient } from '../../src/kalshi/client.ts';
import { KalshiMarketData } from '../../src/kalshi/market-data.ts';
import { PolymarketMarketData } from '../../src/polymarket/market-data.ts';
import { TokenBucket } from '../../src/rate-limit/index.ts';
import type { BookSubscription, MarketData } from '../../src/venue.ts';

export interface Universe {
  scenario: Scenario;
  sim: VenueSim;
  polymarket: PolymarketMarketData;
  kalshi: KalshiMarketData;
  /** By instrumentId, both venues. */
  instruments: Map<string, Instrument>;
  /** Latest streamed book by instrumentId (WebSocket snapshot + deltas), both venues. */
  books: Map<string, OrderBook>;
  feeOf(instrumentId: string): FeeSchedule;
  streamErrors: Error[];
  /** POST /_sim/advance, then wait until both streams have applied every change it caused (books equal REST). */
  advance(ms: number): Promise<void>;
  /** REST snapshot through the adapter of the instrument's venue. */
  restBook(instrumentId: string): Promise<OrderBook>;
  close(): Promise<void>;
}

const SimNow = z.object({ now: z.number() });

/** Polls until `check` holds; bounded by attempts, never asserting on elapsed time. */
export async function until(check: () => boolean | Promise<boolean>, what: string, attempts = 1000): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`condition never held: ${what}`);
}

/**
 * POST a simulator control on a fresh connection (`agent: false`). Not fetch: its pooled keep-alive socket may be
 * one the server is just closing after an idle spell, and a control such as /_sim/advance must not be retried
 * blindly (it is not idempotent).
 */
export function postControl(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: text });
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const levelsOf = (b: OrderBook | undefined): string => JSON.stringify(b ? { bids: b.bids, asks: b.asks } : null);

export async function startUniverse(name: 'arb-rich' | 'quiet'): Promise<Universe> {
  const scenario = loadScenario(name);
  const sim = await startVenueSim({ scenario, port: 0, host: '127.0.0.1', autoAdvance: false });
  const subs: BookSubscription[] = [];
  try {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const credentials = {
      keyId: 'integration',
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const reg = await postControl(`${sim.origin}/_sim/kalshi/accounts`, {
      key_id: credentials.keyId,
      public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      balance_cents: 100_000,
    });
    if (reg.status < 200 || reg.status > 299)
      throw new Error(`kalshi account registration → ${reg.status} ${JSON.stringify(reg.json)}`);

    const url = (key: string): string => {
      const u = sim.urls[key];
      if (!u) throw new Error(`venue-sim printed no ${key} url`);
      return u;
    };
    // Local simulator: generous client-side budgets so the run is not paced by production rate limits.
    const polymarket = new PolymarketMarketData({
      clobUrl: url('polymarketClob'),
      gammaUrl: url('polymarketGamma'),
      wsUrl: url('polymarketWs'),
      bucket: new TokenBucket({ capacity: 1000, refillPerSecond: 1000 }),
      reconnectBaseMs: 20,
      reconnectMaxMs: 200,
    });
    const client = new KalshiClient({
      basePath: url('kalshi'),
      credentials,
      readsPerSecond: 1000,
      writesPerSecond: 1000,
    });
    const kalshi = new KalshiMarketData({
      client,
      wsUrl: url('kalshiWs'),
      credentials,
      stream: { baseDelayMs: 20, maxDelayMs: 200 },
    });

    const instruments = new Map<string, Instrument>();
    for (const i of [...(await polymarket.listInstruments()), ...(await kalshi.listInstruments())])
      instruments.set(i.instrumentId, i);
    if (polymarket.lastInvalid.length > 0)
      throw new Error(`gamma markets failing validation: ${JSON.stringify(polymarket.lastInvalid)}`);

    const books = new Map<string, OrderBook>();
    const streamErrors: Error[] = [];
    const adapters: Record<VenueId, MarketData> = { polymarket, kalshi };
    for (const venue of ['polymarket', 'kalshi'] as const) {
      const sub = adapters[venue].subscribeBooks(
        ({ book }) => books.set(book.instrumentId, book),
        (e) => streamErrors.push(e),
      );
      subs.push(sub);
      sub.add([...instruments.values()].filter((i) => i.venue === venue).map((i) => i.instrumentId));
    }
    await until(
      () => books.size === instruments.size,
      `a streamed snapshot for each of ${instruments.size} instruments`,
    );

    const feeConfig = FeeConfigSchema.parse({});
    const feeOf = (instrumentId: string): FeeSchedule => {
      const i = instruments.get(instrumentId);
      if (!i) throw new Error(`unknown instrument ${instrumentId}`);
      return resolveFeeSchedule(
        {
          venue: i.venue,
          marketId: i.marketId,
          eventId: i.eventId,
          polymarketSchedule:
            i.venue === 'polymarket' ? (polymarket.markets.get(i.marketId)?.feeSchedule ?? null) : null,
        },
        feeConfig,
      );
    };
    const restBook = (instrumentId: string): Promise<OrderBook> => {
      const i = instruments.get(instrumentId);
      if (!i) throw new Error(`unknown instrument ${instrumentId}`);
      return adapters[i.venue].getBook(instrumentId);
    };
    const streamsMatchRest = async (): Promise<boolean> => {
      for (const id of instruments.keys()) if (levelsOf(books.get(id)) !== levelsOf(await restBook(id))) return false;
      return true;
    };
    await until(streamsMatchRest, 'streamed books equal REST snapshots', 200);

    return {
      scenario,
      sim,
      polymarket,
      kalshi,
      instruments,
      books,
      feeOf,
      streamErrors,
      restBook,
      async advance(ms) {
        const res = await postControl(`${sim.origin}/_sim/advance`, { ms });
        if (res.status < 200 || res.status > 299)
          throw new Error(`/_sim/advance → ${res.status} ${JSON.stringify(res.json)}`);
        SimNow.parse(res.json);
        await until(streamsMatchRest, `streamed books equal REST after advancing ${ms} ms`, 200);
      },
      async close() {
        await Promise.allSettled(subs.map((s) => s.close()));
        await sim.close();
      },
    };
  } catch (e) {
    await Promise.allSettled(subs.map((s) => s.close()));
    await sim.close();
    throw e;
  }
}

/** links.json → MarketLink objects; only approved links survive (an unapproved link is data, never a trade). */
export function approvedLinks(linksFile: unknown): MarketLink[] {
  const parsed = z.object({ links: z.array(MarketLinkSchema) }).parse(linksFile);
  return parsed.links.filter((l) => l.approved);
}
