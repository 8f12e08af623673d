// Keys stay true, runner side: an authentication failure the venue answers to this user's own key while trading
// (HTTP 401/403 thrown by a client, or an order rejected with the venue's auth error) is reported to the manager as
// `keyRejected {venue, reason}`, which re-validates that venue's keys at once (manager/key-revalidation.ts). The
// runner does not judge the key itself: one 401 may be a clock skew or a venue hiccup; the manager's check decides.
import type { VenueId } from '@polybot/schemas';

/** Words venues use for a refused key: Polymarket's `Unauthorized/Invalid api key` / `Invalid L1 Request headers`,
 * Kalshi's `authentication_error`, or a bare HTTP status in the reason. */
const AUTH_WORDS = /\b40[13]\b|unauthori[sz]ed|invalid api key|invalid l1 request headers|authentication_error/i;

function statusOf(e: unknown): number | null {
  if (typeof e !== 'object' || e === null) return null;
  if ('status' in e && typeof e.status === 'number') return e.status;
  if ('response' in e && typeof e.response === 'object' && e.response !== null && 'status' in e.response)
    return typeof e.response.status === 'number' ? e.response.status : null;
  return null;
}

/** An error (or its cause) that says the venue refused the credentials. */
export function isAuthFailure(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 4; depth++) {
    const s = statusOf(x);
    if (s === 401 || s === 403) return true;
    x = typeof x === 'object' && 'cause' in x ? x.cause : null;
  }
  return false;
}

/** An order result rejected for the key's sake (the adapters turn 4xx answers into rejected orders). */
export function isAuthRejection(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as { status?: unknown; rejectReason?: unknown };
  return r.status === 'rejected' && typeof r.rejectReason === 'string' && AUTH_WORDS.test(r.rejectReason)
    ? r.rejectReason
    : null;
}

const wordsOf = (e: unknown): string => (e instanceof Error ? e.message : String(e)).slice(0, 300);

/** Reports at most once per venue per cooldown: a runner retrying a refused key must not flood the manager. */
export class KeyRejectedReporter {
  private readonly last = new Map<VenueId, number>();

  constructor(
    private readonly send: (venue: VenueId, reason: string) => void,
    private readonly cooldownMs = 30_000,
  ) {}

  report(venue: VenueId, reason: string): void {
    const now = Date.now();
    if (now - (this.last.get(venue) ?? -Infinity) < this.cooldownMs) return;
    this.last.set(venue, now);
    this.send(venue, reason.slice(0, 500));
  }

  /** Reports a failed promise (a connect, a call) if it is an auth failure; the failure itself goes on unchanged. */
  watch<T>(venue: VenueId, p: Promise<T>): Promise<T> {
    p.catch((e: unknown) => {
      if (isAuthFailure(e)) this.report(venue, wordsOf(e));
    });
    return p;
  }

  /**
   * The venue client as the runner uses it, every method watched: a thrown 401/403 or an auth-rejected order is
   * reported; results and errors pass through untouched. A Proxy, so methods added to Trading later are watched too.
   */
  wrap<T extends object>(venue: VenueId, client: T): T {
    return new Proxy(client, {
      get: (target, prop) => {
        const v: unknown = Reflect.get(target, prop, target);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]): unknown => {
          const out: unknown = Reflect.apply(v as (...a: unknown[]) => unknown, target, args);
          if (out instanceof Promise) {
            return this.watch(venue, out).then((r: unknown) => {
              const rejected = isAuthRejection(r);
              if (rejected !== null) this.report(venue, rejected);
              return r;
            });
          }
          return out;
        };
      },
    });
  }
}
