// opportunity_found, the manager's part: a runner reports each opportunity it meets for the first time (IPC
// `opportunity`, only while its user has notify_on_opportunity on) and the database decides whether the user hears of
// it (private.emit_opportunity_notification: once per opportunity key per 15 minutes, then the hourly limit and quiet
// hours). The same window is kept here in memory so that an opportunity flickering with every book update costs no
// round trip; the database's window is the rule (it also holds across managers and restarts).
import { asManager, emitOpportunityNotification } from '@polybot/db/service';
import type { Logger } from 'pino';
import type { Sql } from 'postgres';
import { coerceError } from '../shared/errors.ts';
import type { FromRunner } from '../shared/ipc.ts';

export const OPPORTUNITY_NOTIFY_WINDOW_MS = 15 * 60_000;
/** Remembered (user, key) pairs before the expired ones are forgotten. */
const MEMO_MAX = 10_000;

type OpportunityMessage = Extract<FromRunner, { type: 'opportunity' }>;

export class OpportunityNotifier {
  private readonly lastAsked = new Map<string, number>();

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  found(userId: string, msg: OpportunityMessage): void {
    const memo = `${userId}\n${msg.key}`;
    const at = this.now();
    const last = this.lastAsked.get(memo);
    if (last !== undefined && at - last < OPPORTUNITY_NOTIFY_WINDOW_MS) return;
    this.remember(memo, at);
    const opportunity = {
      userId,
      key: msg.key,
      strategy: msg.strategy,
      description: msg.description,
      expectedProfitUsd: msg.expectedProfitUsd,
    };
    void asManager(this.sql, (tx) => emitOpportunityNotification(tx, opportunity)).then(
      (id) => {
        if (id !== null) this.log.info({ userId, key: msg.key, notificationId: id }, 'opportunity notified');
      },
      (e: unknown) => {
        // Asked again the next time it is met.
        this.lastAsked.delete(memo);
        this.log.warn({ userId, key: msg.key, err: coerceError(e).message }, 'opportunity notification failed');
      },
    );
  }

  private remember(memo: string, at: number): void {
    if (this.lastAsked.size >= MEMO_MAX)
      for (const [k, t] of this.lastAsked) if (at - t >= OPPORTUNITY_NOTIFY_WINDOW_MS) this.lastAsked.delete(k);
    if (this.lastAsked.size >= MEMO_MAX) this.lastAsked.clear();
    this.lastAsked.set(memo, at);
  }
}
