// Readiness of one manager (/healthz): it is ready only while both of its database links work — the LISTEN connection
// (changes reach it) and the query pool (it can read desired state and write status). Each link is a check with a
// state and the time it entered that state, so a 503 says what is wrong and since when. The pool is probed on a timer,
// never per request: /healthz only reads these states, so it stays O(1) and a probe storm cannot load the database.
import { pingDatabase } from '@polybot/db/service';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';

/** One check: is it passing, since when (epoch ms), and why, in words. */
export interface CheckState {
  ok: boolean;
  since: number;
  detail: string;
}

/** A CheckState that keeps `since` while `ok` stays the same (a new detail of the same outage is not a new outage). */
export function nextCheckState(prev: CheckState, ok: boolean, detail: string, now: number): CheckState {
  return { ok, detail, since: prev.ok === ok ? prev.since : now };
}

export interface DatabaseProbeOptions {
  sql: Sql;
  /** How often the pool is probed, default 5000 ms. */
  intervalMs: number;
  /** A probe not answered within this is a failure (the probe is not retried until it settles), default 2000 ms. */
  timeoutMs: number;
  log: Logger;
  /** Every change of ok (for the gauge). */
  onChange?: (state: CheckState) => void;
}

/** `select 1` through the manager's query pool every `intervalMs`; one probe in flight at most. */
export class DatabaseProbe {
  private current: CheckState = { ok: false, since: Date.now(), detail: 'not probed yet' };
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  /** Whether any probe has settled: the first success is the start, not a recovery to log. */
  private probed = false;

  constructor(private readonly o: DatabaseProbeOptions) {}

  get state(): CheckState {
    return this.current;
  }

  /** Probes once (so the state is true from the start), then on the interval. */
  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), this.o.intervalMs);
  }

  /** One probe; while one is still in flight, that one's outcome (or its timeout) stands. */
  probe(): Promise<void> {
    this.inFlight ??= this.run().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async run(): Promise<void> {
    const { timeoutMs } = this.o;
    // The timeout marks the database unreachable, but the probe stays in flight until the driver gives up on it:
    // a hanging database gets no second probe queued behind the first.
    const timeout = setTimeout(
      () => this.set(false, `the database did not answer select 1 within ${timeoutMs} ms`),
      timeoutMs,
    );
    try {
      await pingDatabase(this.o.sql);
      this.set(true, 'the query pool answers select 1');
    } catch (e) {
      this.set(false, `the query pool cannot reach the database: ${coerceError(e).message}`);
    } finally {
      clearTimeout(timeout);
    }
  }

  private set(ok: boolean, detail: string): void {
    const prev = this.current;
    const first = !this.probed;
    this.probed = true;
    this.current = nextCheckState(prev, ok, detail, Date.now());
    if (prev.ok === ok) return;
    this.o.onChange?.(this.current);
    if (ok && first) return;
    if (ok) this.o.log.warn({ downMs: this.current.since - prev.since }, 'database reachable again');
    else this.o.log.warn({ detail }, 'database unreachable: the manager reports unready');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The readiness part of /healthz: ok, each check, and one sentence per failing check. */
export interface Readiness {
  ok: boolean;
  checks: { listen: ReportedCheck; database: ReportedCheck };
  /** Empty when ready; else one sentence per failing check, e.g. "LISTEN connection down since …: …". */
  failing: string[];
}

interface ReportedCheck {
  ok: boolean;
  since: string;
  detail: string;
}

const report = (s: CheckState): ReportedCheck => ({
  ok: s.ok,
  since: new Date(s.since).toISOString(),
  detail: s.detail,
});

/** The lease part of readiness (coordination/coordinator.ts LeaseHealth): a manager without a valid lease runs nobody. */
export interface LeaseReadiness {
  token: string | null;
  fenced: boolean;
}

export function readiness(
  listen: CheckState,
  database: CheckState,
  stopping: boolean,
  lease?: LeaseReadiness,
): Readiness {
  const failing: string[] = [];
  if (stopping) failing.push('the manager is stopping');
  if (lease?.fenced) failing.push('the manager lost its lease (fenced): its runners are stopped until it rejoins');
  else if (lease && lease.token === null) failing.push('the manager has not joined the other managers (no lease)');
  if (!listen.ok)
    failing.push(`LISTEN connection down since ${new Date(listen.since).toISOString()}: ${listen.detail}`);
  if (!database.ok)
    failing.push(`database unreachable since ${new Date(database.since).toISOString()}: ${database.detail}`);
  return { ok: failing.length === 0, checks: { listen: report(listen), database: report(database) }, failing };
}
