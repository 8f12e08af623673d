// The contract between the venue simulator's HTTP/WebSocket server and each simulated venue.
// server.ts owns the listening socket; each venue module claims the requests that are its own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface SimulatedVenue {
  /** Short name used in logs and the printed base URLs. */
  readonly name: 'polymarket' | 'kalshi';
  /** Handle the request if it belongs to this venue; return false to let the next venue (or the 404) have it. */
  handleHttp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Take a WebSocket upgrade if the path is this venue's; return false otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
  /** Advance scripted scenario time (price paths, news, wallet trades, resolutions) to `nowMs`. */
  advanceTo(nowMs: number): void;
  /** Base URLs to print when ready, given the server's origin (e.g. http://127.0.0.1:4010). */
  baseUrls(origin: string): Record<string, string>;
  close(): Promise<void>;
  /** Optional: counters for `GET /_sim/stats` (e.g. WebSocket subscriptions per instrument). */
  stats?(): Record<string, unknown>;
  /** Optional: test controls under `POST /_sim/<name>/<action>` (drop sockets, skip a message, fund, resolve...). */
  control?(action: string, body: unknown): Promise<SimControlResult>;
}

export interface SimControlResult {
  status: number;
  body: unknown;
}
