// The CLOB's heartbeat dead-man switch (`POST /v1/heartbeats`, what clob-client-v2's postHeartbeat calls, and the
// documented `POST /heartbeats`): a user that started heartbeating and then misses them for the timeout (10 s, as the
// venue documents; `POST /_sim/polymarket/heartbeat-timeout {ms}` for tests) has every open order cancelled
// (`cancelReason: 'heartbeat_timeout'`). The heartbeat id chains: the first heartbeat sends "" and gets an id; each
// next one must send the id the last answer gave and gets a new one; any other id is refused with 400 "Invalid
// Heartbeat ID" and does not count as a heartbeat. "" again starts a fresh chain. Once a chain expired (its orders
// cancelled) its ids are refused too. Expiry runs on the simulator's clock: each scenario tick (advanceTo) and each
// heartbeat request.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Accounts } from './accounts.ts';
import { parseJson, sendJson } from './http.ts';

/** What the venue documents: orders are cancelled when no valid heartbeat arrived for 10 seconds. */
export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export const HEARTBEAT_PATHS: ReadonlySet<string> = new Set(['/v1/heartbeats', '/heartbeats']);

export const HeartbeatTimeoutSchema = z.object({ ms: z.number().int().positive() });

const BodySchema = z.object({ heartbeat_id: z.string().nullish() }).nullish();

interface Chain {
  id: string;
  lastMs: number;
}

export class Heartbeats {
  private timeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS;
  /** Lower-cased address → its live chain. */
  private readonly chains = new Map<string, Chain>();
  /** Lower-cased address → valid heartbeats received, ever (tests wait for a runner's beats with it). */
  private readonly beats = new Map<string, number>();

  constructor(
    private readonly accounts: Accounts,
    private readonly now: () => number,
    /** Cancels one open order of `address` with reason `heartbeat_timeout` (engine.ts). */
    private readonly cancel: (address: string, orderId: string) => void,
  ) {}

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
    this.expire(this.now());
  }

  /** One heartbeat of `address` carrying `sentId`: the next id, or null for an id that is not the chain's current one. */
  beat(address: string, sentId: string): string | null {
    const now = this.now();
    this.expire(now);
    const key = address.toLowerCase();
    const chain = this.chains.get(key);
    if (sentId !== '' && chain?.id !== sentId) return null;
    const next = randomUUID();
    this.chains.set(key, { id: next, lastMs: now });
    this.beats.set(key, (this.beats.get(key) ?? 0) + 1);
    return next;
  }

  count(address: string): number {
    return this.beats.get(address.toLowerCase()) ?? 0;
  }

  /** Users whose last valid heartbeat is older than the timeout: every open order cancelled, the chain ended. */
  expire(now: number): void {
    for (const [key, chain] of this.chains) {
      if (now - chain.lastMs <= this.timeoutMs) continue;
      this.chains.delete(key);
      const account = this.accounts.find(key);
      if (!account) continue;
      for (const order of account.orders.filter((o) => o.status === 'LIVE')) this.cancel(account.address, order.id);
    }
  }
}

/** The route, for an L2-authenticated `address`. */
export function heartbeatRoute(heartbeats: Heartbeats, address: string, body: string, res: ServerResponse): void {
  const parsed = BodySchema.safeParse(parseJson(body));
  if (!parsed.success) return sendJson(res, 400, { error: 'Invalid heartbeat payload' });
  const sent = parsed.data?.heartbeat_id ?? '';
  const next = heartbeats.beat(address, sent);
  if (next === null) return sendJson(res, 400, { error: 'Invalid Heartbeat ID', heartbeat_id: sent });
  sendJson(res, 200, { status: 'ok', heartbeat_id: next });
}
