// Paper on Kalshi, two ways. With a validated paper (is_paper) Kalshi key AND the platform's Kalshi demo URL
// (KALSHI_DEMO_API_URL, VenueUrls.kalshiDemoApi), the runner paper-trades Kalshi on Kalshi's demo exchange with that
// key, through kalshi-typescript and the same KalshiTrading adapter as live. Otherwise Kalshi paper is simulated
// locally (PaperTrading against the real public books), as Polymarket paper always is.
// Labelling: demo trades are paper — mode 'paper' in the trades, positions and status (no real money moves); what
// tells them apart is the demo exchange's own order id in venue_order_id (local paper ids start with `paper-kalshi-`).
import type { Trading } from '@polybot/venues';
import type { RunnerKey, VenueUrls } from '../shared/ipc.ts';
import { kalshiTrading } from './execution.ts';

/** The paper Kalshi key to trade the demo exchange with, or undefined (then Kalshi paper is local). */
export function demoKalshiKey(keys: readonly RunnerKey[], urls: VenueUrls): RunnerKey | undefined {
  if (!urls.kalshiDemoApi) return undefined;
  return keys.find(
    (k) =>
      k.platform === 'kalshi' &&
      k.isPaper &&
      k.validationStatus === 'valid' &&
      k.apiKey !== null &&
      k.privateKey !== null,
  );
}

/** The Kalshi client on the demo exchange with the user's paper key. */
export async function createDemoKalshiTrading(key: RunnerKey, urls: VenueUrls): Promise<Trading> {
  if (!key.apiKey || !key.privateKey || !urls.kalshiDemoApi)
    throw new Error("Kalshi demo trading needs a paper key id, its private key and the platform's Kalshi demo URL");
  return kalshiTrading(urls.kalshiDemoApi, key.apiKey, key.privateKey);
}
