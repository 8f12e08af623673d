// LISTEN polybot_user_changed on a dedicated client (never the query pool). Two ways a loss is noticed:
// postgres.js re-listens by itself after a drop (onlisten fires again), and a self-ping — a NOTIFY we send every
// `pingMs` that must come back within `pingTimeoutMs` — catches a silent or failed re-listen. On a detected loss the
// client is torn down and rebuilt with exponential backoff plus jitter (reconnectDelayMs), attempt after attempt until
// the database takes us back. Either way, once listening again the manager is told to run a full reconcile:
// notifications sent while we were away are gone.
// Health (/healthz, health.ts): the connection's state is a check — down from the moment a loss is noticed (the ping
// connection closed under us, a failed ping, a failed connect) through every backoff wait, up again once listening.
// A user's notifications are debounced here: a burst (a form save touching several rows) becomes one 'userChanged'
// event, so the manager reconciles that user once and keeps no timers of its own.
// The same client also LISTENs on polybot_market_links_changed (an admin approved or withdrew a market link): a burst
// of those becomes one 'linksChanged', and the manager re-reads the approved links for its runners.
// And on polybot_shards_changed (a manager joined, left, or moved shards, issue 15): 'shardsChanged', on which the
// manager's coordination renews at once instead of a renewal later (coordination/shards.ts).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { notifyChannel } from '@polybot/db/service';
import {
  MARKET_LINKS_CHANGED_CHANNEL,
  MarketLinksChangedPayloadSchema,
  SHARDS_CHANGED_CHANNEL,
  USER_CHANGED_CHANNEL,
  UserChangedPayloadSchema,
} from '@polybot/schemas';
import postgres from 'postgres';
import type { Logger } from 'pino';
import { z } from 'zod';
import { coerceError } from '../shared/errors.ts';
import { nextCheckState, type CheckState } from './health.ts';

export const CHANNEL = USER_CHANGED_CHANNEL;
const LISTENING = `listening on ${USER_CHANGED_CHANNEL}, ${MARKET_LINKS_CHANGED_CHANNEL} and ${SHARDS_CHANGED_CHANNEL}`;
// The channel carries the triggers' payloads (the shared, strict UserChangedPayloadSchema: a payload naming a table or
// an operation the triggers do not send is malformed) and this listener's own self-pings.
const PingSchema = z.strictObject({ probe: z.string() });

/**
 * Wait before reconnect attempt `attempt` (0-based): exponential backoff capped at `maxMs`, with "equal jitter" —
 * half of the step is fixed, the other half random. Many managers losing the database at once do not come back in
 * step, and unlike full jitter the wait still grows with every failure (never close to zero while the database is
 * down). `random` is Math.random in production; tests pass fixed values.
 */
export function reconnectDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return step / 2 + (step / 2) * random();
}

/** What the listener tells the manager. */
export interface ListenerEvents {
  /**
   * A user's rows changed: one event per burst of notifications, `debounceMs` after the last of it. `noticedAt` is when
   * the first of the burst arrived: the reload-latency clock starts there (the change began to be seen then), not
   * after the debounce, the queue or the state load.
   */
  userChanged: [userId: string, noticedAt: number];
  /** Listening again after a loss: notifications sent meanwhile are gone, the manager must reconcile everyone. */
  reconnected: [];
  /** The approved market links changed (one event per burst, `debounceMs` after its last notification). */
  linksChanged: [];
  /** The connection went down or came back (its check state changed ok). */
  health: [state: CheckState];
  /** polybot_shards_changed: a manager joined, left, or moved shards (not debounced: coordination renews at once). */
  shardsChanged: [];
}

export interface ListenerOptions {
  databaseUrl: string;
  log: Logger;
  /** Quiet time after a user's last notification before their 'userChanged' goes out, default 50 ms. */
  debounceMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pingMs?: number;
  pingTimeoutMs?: number;
  /** application_name of the connection, default polybot-bot-manager-listen (a manager passes its own, §7.9). */
  applicationName?: string;
}

export class NotifyListener extends EventEmitter<ListenerEvents> {
  private sql: postgres.Sql | null = null;
  private stopped = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly nonce = randomUUID();
  private lastPingSeen = Date.now();
  /** Users with a burst in progress: its debounce timer and when its first notification arrived. */
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; noticedAt: number }>();
  private linksTimer: NodeJS.Timeout | null = null;
  private current: CheckState = { ok: false, since: Date.now(), detail: 'not connected yet' };

  constructor(private readonly opts: ListenerOptions) {
    super();
  }

  /** The LISTEN connection as a health check: up while listening, down (with why) while lost or reconnecting. */
  get state(): CheckState {
    return this.current;
  }

  private setState(ok: boolean, detail: string): void {
    const prev = this.current;
    this.current = nextCheckState(prev, ok, detail, Date.now());
    if (prev.ok !== ok) this.emit('health', this.current);
  }

  async start(): Promise<void> {
    await this.connect(false);
  }

  private async connect(isReconnect: boolean): Promise<void> {
    if (this.stopped) return;
    const sql = postgres(this.opts.databaseUrl, {
      max: 1,
      idle_timeout: 0,
      connect_timeout: 10,
      // Only text goes out on this client (pg_notify). And postgres.js 3.4.9 drops the promise of its startup
      // array-types query: a connection cut during that query is an unhandled rejection, which ends the process
      // (porsager/postgres#1192, #1223) — the very moment a database incident starts is when this client reconnects.
      fetch_types: false,
      onnotice: () => undefined,
      connection: { application_name: this.opts.applicationName ?? 'polybot-bot-manager-listen' },
      // This client's own connection (the self-pings go out on it; the LISTEN itself is on postgres.js's inner one,
      // same application_name) closing under us — pg_terminate_backend, a restart, a cut network — is a loss now,
      // not one ping timeout later. Our own end() lands here too: lost() ignores a client it already let go of.
      onclose: () => this.lost(sql, 'the connection was closed (terminated by the server or cut)'),
    });
    this.sql = sql;
    let listens = 0;
    try {
      await sql.listen(
        CHANNEL,
        (payload) => this.onPayload(payload),
        () => {
          listens++;
          // Any listen after the first on this client is postgres.js recovering a dropped connection — unless this
          // client was already given up (lost()): its late re-listen must not report healthy while we reconnect.
          if (listens > 1 && this.sql === sql) {
            this.opts.log.warn('LISTEN connection was lost and re-established');
            this.setState(true, LISTENING);
            this.emit('reconnected');
          }
        },
      );
      // Same client, same connection: postgres.js re-listens both channels after a drop; the ping covers both.
      await sql.listen(MARKET_LINKS_CHANGED_CHANNEL, (payload) => this.onLinksPayload(payload));
      await sql.listen(SHARDS_CHANGED_CHANNEL, () => this.emit('shardsChanged'));
      if (isReconnect)
        this.opts.log.warn({ attempts: this.attempt }, 'LISTEN connection re-established: full reconcile');
      this.attempt = 0;
      this.lastPingSeen = Date.now();
      this.setState(true, LISTENING);
      if (isReconnect) this.emit('reconnected');
      // The first ping goes out now: it opens this client's own connection, whose close is then noticed at once.
      this.ping(sql);
    } catch (e) {
      const err = coerceError(e).message;
      this.opts.log.warn({ err }, 'LISTEN connect failed');
      this.lost(sql, `connecting failed: ${err}`);
    }
  }

  private onPayload(payload: string): void {
    let raw: unknown = null;
    try {
      raw = JSON.parse(payload) as unknown;
    } catch {
      // fall through: reported below
    }
    const change = UserChangedPayloadSchema.safeParse(raw);
    if (change.success) return this.userNotified(change.data.user_id);
    const ping = PingSchema.safeParse(raw);
    if (ping.success) {
      if (ping.data.probe === this.nonce) this.lastPingSeen = Date.now();
      return;
    }
    this.opts.log.warn('ignoring malformed polybot_user_changed payload');
  }

  private onLinksPayload(payload: string): void {
    let raw: unknown = null;
    try {
      raw = JSON.parse(payload) as unknown;
    } catch {
      // fall through: reported below
    }
    if (!MarketLinksChangedPayloadSchema.safeParse(raw).success) {
      this.opts.log.warn('ignoring malformed polybot_market_links_changed payload');
      return;
    }
    if (this.linksTimer) clearTimeout(this.linksTimer);
    this.linksTimer = setTimeout(() => {
      this.linksTimer = null;
      this.emit('linksChanged');
    }, this.opts.debounceMs ?? 50);
  }

  /** Debounced per user: the timer restarts with every notification; the burst keeps its first arrival time. */
  private userNotified(userId: string): void {
    const burst = this.pending.get(userId);
    if (burst) clearTimeout(burst.timer);
    const noticedAt = burst?.noticedAt ?? Date.now();
    const timer = setTimeout(() => {
      this.pending.delete(userId);
      this.emit('userChanged', userId, noticedAt);
    }, this.opts.debounceMs ?? 50);
    this.pending.set(userId, { timer, noticedAt });
  }

  private schedulePing(sql: postgres.Sql): void {
    this.timer = setTimeout(() => this.ping(sql), this.opts.pingMs ?? 2000);
  }

  private ping(sql: postgres.Sql): void {
    if (this.stopped || this.sql !== sql) return;
    const timeout = this.opts.pingTimeoutMs ?? 5000;
    if (Date.now() - this.lastPingSeen > timeout + (this.opts.pingMs ?? 2000)) {
      this.opts.log.warn('LISTEN self-ping not received: reconnecting');
      this.lost(sql, `its self-ping did not come back within ${timeout} ms`);
      return;
    }
    notifyChannel(sql, CHANNEL, JSON.stringify({ probe: this.nonce })).then(
      () => this.schedulePing(sql),
      (e: unknown) => {
        const err = coerceError(e).message;
        this.opts.log.warn({ err }, 'LISTEN connection probe failed');
        this.lost(sql, `its self-ping failed: ${err}`);
      },
    );
  }

  private lost(sql: postgres.Sql, why: string): void {
    if (this.sql !== sql) return;
    this.sql = null;
    void sql.end({ timeout: 1 }).catch(() => undefined);
    if (this.stopped) return;
    const delayMs = Math.round(
      reconnectDelayMs(this.attempt, this.opts.baseDelayMs ?? 200, this.opts.maxDelayMs ?? 15_000),
    );
    this.opts.log.warn(
      { attempt: this.attempt + 1, delayMs, why },
      'LISTEN connection lost: reconnecting after backoff',
    );
    this.setState(false, `${why}; reconnecting (attempt ${this.attempt + 1} in ${delayMs} ms)`);
    this.attempt++;
    this.timer = setTimeout(() => void this.connect(true), delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.setState(false, 'stopped');
    if (this.timer) clearTimeout(this.timer);
    for (const b of this.pending.values()) clearTimeout(b.timer);
    if (this.linksTimer) clearTimeout(this.linksTimer);
    this.pending.clear();
    const sql = this.sql;
    this.sql = null;
    await sql?.end({ timeout: 2 });
  }
}
