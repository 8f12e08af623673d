// The updates a bot has not confirmed yet, handed out as Telegram does: by getUpdates (offset confirms everything
// before it; with a timeout the call waits until an update arrives) or, while a webhook is set, pushed to its URL
// with the secret token header, in order, retried until the bot answers 2xx.
import type { TgUpdate } from './wire.ts';
import { ApiError } from './wire.ts';

interface Waiter {
  wake(): void;
}

export class UpdateQueue {
  private pending: TgUpdate[] = [];
  private nextId = 1;
  private waiters = new Set<Waiter>();
  private webhook: { url: string; secretToken?: string } | undefined;
  private pushing = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  add(build: (updateId: number) => TgUpdate): TgUpdate {
    const update = build(this.nextId++);
    this.pending.push(update);
    for (const waiter of this.waiters) waiter.wake();
    this.push();
    return update;
  }

  get webhookInfo() {
    return { url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.pending.length };
  }

  setWebhook(url: string, secretToken: string | undefined, dropPending: boolean): void {
    if (dropPending) this.pending = [];
    this.webhook = secretToken ? { url, secretToken } : { url };
    // A long poll in progress ends, as it does when Telegram switches a bot to webhook delivery.
    for (const waiter of this.waiters) waiter.wake();
    this.push();
  }

  deleteWebhook(dropPending: boolean): void {
    if (dropPending) this.pending = [];
    this.webhook = undefined;
  }

  async getUpdates(
    offset: number | undefined,
    limit: number,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<TgUpdate[]> {
    if (this.webhook) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    if (offset !== undefined) this.pending = this.pending.filter((u) => u.update_id >= offset);
    if (this.pending.length === 0 && timeoutSeconds > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const waiter: Waiter = {
          wake: () => {
            this.waiters.delete(waiter);
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => waiter.wake(), timeoutSeconds * 1000);
        this.waiters.add(waiter);
        signal.addEventListener('abort', () => waiter.wake(), { once: true });
      });
    }
    return this.webhook ? [] : this.pending.slice(0, limit);
  }

  private push(): void {
    if (!this.webhook || this.pushing || this.closed || this.pending.length === 0) return;
    this.pushing = true;
    this.pushAll()
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.pushing = false;
      });
  }

  private async pushAll(): Promise<void> {
    while (this.webhook && !this.closed && this.pending.length > 0) {
      const update = this.pending[0] as TgUpdate;
      const { url, secretToken } = this.webhook;
      const ok = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secretToken ? { 'X-Telegram-Bot-Api-Secret-Token': secretToken } : {}),
        },
        body: JSON.stringify(update),
      })
        .then((res) => res.ok)
        .catch(() => false);
      if (!ok) {
        // Telegram retries a failing webhook later; so does the stand-in, until the bot answers or it closes.
        this.retryTimer = setTimeout(() => this.push(), 200);
        return;
      }
      if (this.pending[0] === update) this.pending.shift();
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    for (const waiter of this.waiters) waiter.wake();
  }
}
