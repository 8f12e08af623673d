// The venue simulator: one HTTP server on 127.0.0.1 that mounts each simulated venue, routes requests and
// WebSocket upgrades to whichever claims them, answers anything unclaimed with a loud JSON 404, drives
// scenario time, and exposes test controls under /_sim.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { sendJson } from './http.ts';
import { createKalshiSim, type KalshiSim } from './kalshi/index.ts';
import { createNewsSim, type NewsSim } from './news.ts';
import { LiveConfigSchema } from './live/config.ts';
import { LiveDriver } from './live/driver.ts';
import { liveVenueScenarios } from './live/generate.ts';
import { createPolymarketSim, type PolymarketSim } from './polymarket/index.ts';
import { loadScenario, type Scenario } from './scenario.ts';
import type { SimulatedVenue } from './types.ts';

export type VenueFactory = (scenario: Scenario, opts: { clock: () => number }) => SimulatedVenue | null;

export const polymarketFactory: VenueFactory = (s, opts) =>
  s.polymarket === null ? null : createPolymarketSim(s.polymarket, opts);
export const kalshiFactory: VenueFactory = (s, opts) => (s.kalshi === null ? null : createKalshiSim(s.kalshi, opts));

export interface VenueSimOptions {
  /** Scenario name (under packages/local-stack/scenarios) or directory, or an already loaded scenario. */
  scenario: string | Scenario;
  port?: number;
  host?: string;
  /** Which venue modules to mount; defaults to Polymarket and Kalshi (each only if the scenario has its file). */
  venues?: VenueFactory[];
  /** Advance scenario time with the wall clock every `tickMs` (default true, 50 ms). Tests may turn it off and use /_sim/advance. */
  autoAdvance?: boolean;
  tickMs?: number;
  /** A continuous (`live`) scenario's seed instead of the one in its live.json (tests pin one). */
  seed?: number;
}

export interface VenueSim {
  origin: string;
  urls: Record<string, string>;
  venues: SimulatedVenue[];
  /** The scenario's news feeds (news.json), each served as RSS 2.0 at GET /news/<feed>/rss.xml; null without news. */
  news: NewsSim | null;
  /** The continuous scenario's driver (its event log and counters), or null for a fixed scenario. */
  live: LiveDriver | null;
  /** Scenario clock (ms since epoch): wall clock plus every manual advance. */
  now(): number;
  advance(ms: number): void;
  close(): Promise<void>;
}

/**
 * The simulator's addresses in the shape the bot-manager takes as its venue URLs (structurally its VenueUrls):
 * what `npm start` and the manager's tests point it at.
 */
export function managerVenueUrls(sim: Pick<VenueSim, 'origin' | 'urls'>): {
  polymarketClob: string;
  polymarketGamma: string;
  polymarketWs: string;
  polymarketDataApi: string;
  kalshiApi?: string;
  kalshiWs?: string;
} {
  return {
    polymarketClob: sim.urls.polymarketClob ?? sim.origin,
    polymarketGamma: sim.urls.polymarketGamma ?? `${sim.origin}/gamma`,
    polymarketWs: sim.urls.polymarketWs ?? '',
    // Followed wallets' trades (copy trading) from the simulator's data-API.
    polymarketDataApi: sim.urls.polymarketDataApi ?? `${sim.origin}/data-api`,
    // Kalshi books by REST polling (no platform market-data key needed against the local simulator).
    ...(sim.urls.kalshi ? { kalshiApi: sim.urls.kalshi } : {}),
    ...(sim.urls.kalshiWs ? { kalshiWs: sim.urls.kalshiWs } : {}),
  };
}

const AdvanceSchema = z.object({ ms: z.number().int().nonnegative() });

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

export async function startVenueSim(opts: VenueSimOptions): Promise<VenueSim> {
  const loaded = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : opts.scenario;
  let offsetMs = 0;
  const now = (): number => Date.now() + offsetMs;
  // A continuous scenario generates its venues' files now, from its seed and the start time.
  const liveConfig =
    loaded.live === null
      ? null
      : { ...LiveConfigSchema.parse(loaded.live), ...(opts.seed === undefined ? {} : { seed: opts.seed }) };
  const scenario: Scenario = liveConfig ? { ...loaded, ...liveVenueScenarios(liveConfig, now()) } : loaded;
  const factories = opts.venues ?? [polymarketFactory, kalshiFactory];
  const venues = factories.map((f) => f(scenario, { clock: now })).filter((v): v is SimulatedVenue => v !== null);
  const news = scenario.news === null ? null : createNewsSim(scenario.news, { clock: now });
  const polymarket = venues.find((v): v is PolymarketSim => v.name === 'polymarket');
  const kalshi = venues.find((v): v is KalshiSim => v.name === 'kalshi');
  if (liveConfig && (!polymarket || !kalshi)) throw new Error('venue-sim: the live scenario needs both venues mounted');
  const live = liveConfig && polymarket && kalshi ? new LiveDriver(liveConfig, now(), polymarket, kalshi) : null;
  const advanceAll = (): void => {
    const t = now();
    for (const venue of venues) venue.advanceTo(t);
    news?.advanceTo(t);
    live?.advanceTo(t);
  };

  const control = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const method = req.method ?? 'GET';
    if (url.pathname === '/_sim/stats' && method === 'GET') {
      sendJson(res, 200, {
        scenario: scenario.name,
        now: now(),
        venues: Object.fromEntries(venues.map((v) => [v.name, v.stats?.() ?? {}])),
        ...(news ? { news: news.stats() } : {}),
        ...(live ? { live: live.stats() } : {}),
      });
      return true;
    }
    if (url.pathname === '/_sim/advance' && method === 'POST') {
      const { ms } = AdvanceSchema.parse(await readJsonBody(req));
      offsetMs += ms;
      advanceAll();
      sendJson(res, 200, { now: now() });
      return true;
    }
    const m = /^\/_sim\/([a-z]+)\/([a-z-]+)$/.exec(url.pathname);
    if (m && m[1] === 'news' && news && method === 'POST') {
      const result = news.control(m[2] ?? '', await readJsonBody(req));
      if (result) {
        sendJson(res, result.status, result.body);
        return true;
      }
    }
    const venue = m ? venues.find((v) => v.name === m[1]) : undefined;
    if (m && venue?.control && method === 'POST') {
      const result = await venue.control(m[2] ?? '', await readJsonBody(req));
      sendJson(res, result.status, result.body);
      return true;
    }
    return false;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      try {
        if (url.pathname.startsWith('/_sim/') && (await control(req, res, url))) return;
        if (news?.handleHttp(req, res, url)) return;
        for (const venue of venues) if (await venue.handleHttp(req, res, url)) return;
        sendJson(res, 404, { error: `venue-sim: no route ${req.method ?? 'GET'} ${url.pathname}` });
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!res.headersSent)
          sendJson(res, e instanceof z.ZodError || e instanceof SyntaxError ? 400 : 500, {
            error: `venue-sim: ${message}`,
          });
        else res.destroy();
      }
    })();
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (venues.some((v) => v.handleUpgrade(req, socket, head, url))) return;
    const body = JSON.stringify({ error: `venue-sim: no WebSocket route ${url.pathname}` });
    socket.end(
      `HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  const timer = opts.autoAdvance === false ? null : setInterval(advanceAll, opts.tickMs ?? 50);
  timer?.unref();
  const urls = Object.assign(
    { origin },
    ...venues.map((v) => v.baseUrls(origin)),
    news?.baseUrls(origin) ?? {},
  ) as Record<string, string>;

  return {
    origin,
    urls,
    venues,
    news,
    live,
    now,
    advance(ms: number) {
      offsetMs += ms;
      advanceAll();
    },
    async close() {
      if (timer) clearInterval(timer);
      const results = await Promise.allSettled(venues.map((v) => v.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0)
        throw new AggregateError(
          failed.map((f) => f.reason as unknown),
          'venue-sim: some venues failed to close',
        );
    },
  };
}
