// Keys stay true: a key that validated once is checked against its venue again, every `intervalMs` (the keys of the
// users this manager runs, oldest check first, a bounded batch per tick and a bounded number at once, so a fleet's
// checks are spread out and never all hit a venue together), and at once when a runner reports an authentication
// failure while trading (IPC `keyRejected`). A revoked key becomes 'invalid' with the venue's reason; that change is
// NOTIFYed, the keys fingerprint changes and the runner restarts trading paper on that venue (mode.ts) with halt
// `live_key_invalid` (blocked.ts). A venue that cannot be reached says nothing about the key: it stays 'valid'.
// A key still valid is recorded as checked (last_validated_at), which is what spreads the next round.
import {
  asManager,
  getUserSecretsDecrypted,
  listValidSecretsDue,
  lockSecretAtStamp,
  setSecretValidation,
  type DueSecret,
} from '@polybot/db/service';
import type { VenueId } from '@polybot/schemas';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';
import { checkKey, keyMaterial, type ValidationUrls } from './key-validation.ts';

export interface KeyRevalidatorOptions {
  urls: ValidationUrls;
  log: Logger;
  /** How old a check may get before the key is checked again (KEY_REVALIDATE_MS). */
  intervalMs: number;
  /** The users whose keys to keep checking: the ones this manager runs a bot for. */
  users: () => string[];
  /** Keys checked at most at once (default 4). */
  concurrency?: number;
  /** Keys checked at most per tick (default 20): the rest wait for the next tick, oldest check first. */
  perTick?: number;
  /** A runner's reported auth failure is acted on at most this often per user and venue (default 10 s). */
  rejectedCooldownMs?: number;
}

export class KeyRevalidator {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private readonly inFlight = new Set<string>();
  private readonly lastRejected = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly sql: Sql,
    private readonly opts: KeyRevalidatorOptions,
  ) {}

  /** A tick a quarter of the interval (between 100 ms and a minute): a key is checked again at most that late. */
  start(): void {
    const tickMs = Math.min(60_000, Math.max(100, Math.floor(this.opts.intervalMs / 4)));
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = null));
    }, tickMs);
    this.timer.unref();
  }

  /** One round: the due keys of this manager's users, at most perTick of them, concurrency-bounded. */
  async tick(): Promise<void> {
    const users = this.opts.users();
    if (this.closed || users.length === 0) return;
    const due = await asManager(this.sql, (tx) =>
      listValidSecretsDue(tx, users, this.opts.intervalMs, this.opts.perTick ?? 20),
    );
    await this.checkAll(due, 'periodic');
  }

  /**
   * A runner met an authentication failure on `venue` (its words in `reason`): the user's valid keys for that venue
   * are checked now, not at the next round. Throttled per user and venue: a runner retrying must not hammer the venue.
   */
  keyRejected(userId: string, venue: VenueId, reason: string): void {
    const id = `${userId}:${venue}`;
    const now = Date.now();
    if (now - (this.lastRejected.get(id) ?? -Infinity) < (this.opts.rejectedCooldownMs ?? 10_000)) return;
    this.lastRejected.set(id, now);
    this.opts.log.warn({ userId, venue, reason }, 'runner saw an authentication failure: re-validating the keys now');
    void asManager(this.sql, (tx) => listValidSecretsDue(tx, [userId], 0, 4, venue))
      .then((due) => this.checkAll(due, 'rejected'))
      .catch((e: unknown) =>
        this.opts.log.error({ userId, venue, err: coerceError(e).message }, 'key re-validation failed'),
      );
  }

  private async checkAll(due: DueSecret[], why: 'periodic' | 'rejected'): Promise<void> {
    const queue = due.filter((d) => !this.inFlight.has(idOf(d)));
    const worker = async (): Promise<void> => {
      for (let d = queue.shift(); d && !this.closed; d = queue.shift()) {
        const id = idOf(d);
        if (this.inFlight.has(id)) continue;
        this.inFlight.add(id);
        try {
          await this.recheck(d, why);
        } catch (e) {
          this.opts.log.error({ userId: d.user_id, err: coerceError(e).message }, 'key re-validation failed');
        } finally {
          this.inFlight.delete(id);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.opts.concurrency ?? 4) }, worker));
  }

  private async recheck(d: DueSecret, why: 'periodic' | 'rejected'): Promise<void> {
    const keys = await asManager(this.sql, (tx) => getUserSecretsDecrypted(tx, d.user_id));
    const k = keys.find((x) => x.platform === d.platform && x.is_paper === d.is_paper);
    if (!k) return;
    // The same material as the first check: a Polymarket key's wallet type and funder included.
    const check = await checkKey(keyMaterial(k), this.opts.urls);
    const log = this.opts.log.child({ userId: d.user_id, platform: d.platform, isPaper: d.is_paper, why });
    if (check.outcome === 'unreachable') {
      log.warn({ reason: check.reason }, 'keys not re-validated: venue unreachable, they stay valid');
      return;
    }
    const written = await asManager(this.sql, async (tx) => {
      // Rotated or judged meanwhile: that newer state wins, this outcome is about keys no longer in use.
      if (!(await lockSecretAtStamp(tx, d.user_id, d, 'valid'))) return false;
      return setSecretValidation(
        tx,
        d.user_id,
        d.platform,
        d.is_paper,
        check.outcome,
        check.outcome === 'invalid' ? check.reason : null,
      );
    });
    if (written && check.outcome === 'invalid') log.warn({ reason: check.reason }, 'keys no longer valid: revoked');
    else if (written) log.debug('keys still valid');
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

const idOf = (d: DueSecret): string => `${d.user_id}:${d.platform}:${d.is_paper ? 'paper' : 'live'}`;
