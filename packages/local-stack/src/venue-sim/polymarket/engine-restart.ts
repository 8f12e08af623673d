// `POST /_sim/polymarket/engine-restart {restartMs, postOnlyMs}`: a matching-engine restart as Polymarket documents it
// (docs.polymarket.com "Matching Engine Restarts"): for `restartMs` every order endpoint (post, cancel, cancel-all)
// answers HTTP 425 Too Early; then for `postOnlyMs` cancels are accepted and orders without `postOnly: true` are
// rejected. Error bodies have the CLOB's `{"error": "..."}` shape; the venue documents no exact wording for either,
// so the texts here are ours. Wall-clock windows: scenario time may stand still.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendJson } from './http.ts';

export const EngineRestartSchema = z.object({
  restartMs: z.number().int().min(0).max(600_000),
  postOnlyMs: z.number().int().min(0).max(600_000).default(0),
});

const ORDER_PATHS = new Set(['/order', '/orders', '/cancel-all', '/cancel-market-orders']);

export const ENGINE_RESTARTING = 'the matching engine is restarting, retry later';
export const POST_ONLY_MODE = 'post-only mode: only post-only orders and cancels are accepted after a restart';

export class EngineRestart {
  private restartUntilMs = 0;
  private postOnlyUntilMs = 0;
  /** Requests refused (425 or post-only) since the simulator started. */
  refused = 0;

  start(restartMs: number, postOnlyMs: number): { restartUntilMs: number; postOnlyUntilMs: number } {
    const now = Date.now();
    this.restartUntilMs = now + restartMs;
    this.postOnlyUntilMs = this.restartUntilMs + postOnlyMs;
    return { restartUntilMs: this.restartUntilMs, postOnlyUntilMs: this.postOnlyUntilMs };
  }

  /** Answers the request itself (and returns true) when the restart refuses it. */
  refuse(req: IncomingMessage, res: ServerResponse, url: URL, body: string): boolean {
    if (!ORDER_PATHS.has(url.pathname)) return false;
    const now = Date.now();
    if (now < this.restartUntilMs) {
      this.refused++;
      sendJson(res, 425, { error: ENGINE_RESTARTING });
      return true;
    }
    if (now < this.postOnlyUntilMs && req.method === 'POST' && !allPostOnly(body)) {
      this.refused++;
      sendJson(res, 400, { error: POST_ONLY_MODE });
      return true;
    }
    return false;
  }
}

/** Whether every order in a POST /order or /orders body carries `postOnly: true`. */
function allPostOnly(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    const orders = Array.isArray(parsed) ? parsed : [parsed];
    return orders.every((o) => typeof o === 'object' && o !== null && 'postOnly' in o && o.postOnly === true);
  } catch {
    return false;
  }
}
