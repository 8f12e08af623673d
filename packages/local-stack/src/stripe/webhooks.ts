// Webhook delivery as Stripe does it: POST the event JSON to the endpoint with
//   Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
// and retry anything but a 2xx with exponential backoff. Stripe retries for up to three days; the emulator keeps
// the shape (doubling delays, a bounded number of attempts) at a scale a test can wait for.
import { createHmac } from 'node:crypto';
import type { StripeEvent } from './objects.ts';

export function signPayload(payload: string, secret: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  attempt: number;
  status: number | 'network-error';
}

export interface WebhookSenderOptions {
  url: string | undefined;
  secret: string;
  /** First retry delay; each later one doubles. */
  retryBaseMs?: number;
  maxAttempts?: number;
}

export class WebhookSender {
  url: string | undefined;
  readonly attempts: DeliveryAttempt[] = [];
  private readonly queue: { event: StripeEvent; attempt: number }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: WebhookSenderOptions) {
    this.url = options.url;
  }

  enqueue(event: StripeEvent): void {
    if (!this.url || this.closed) return;
    this.queue.push({ event, attempt: 1 });
    void this.drain();
  }

  /** Resolves once nothing is queued, in flight or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    this.notifyIdle();
  }

  private isIdle(): boolean {
    return !this.draining && this.queue.length === 0 && this.timers.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.closed) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // One delivery at a time, in the order events happened; a failed one is retried later without holding up the
  // rest, so retried events can arrive after newer ones — exactly the disorder receivers must handle.
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        await this.deliver(next.event, next.attempt);
      }
    } finally {
      this.draining = false;
      this.notifyIdle();
    }
  }

  private async deliver(event: StripeEvent, attempt: number): Promise<void> {
    const url = this.url;
    if (!url || this.closed) return;
    const body = JSON.stringify(event, null, 2);
    let status: number | 'network-error';
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          // Signed with the real wall clock, not the test clock: receivers check a 5-minute tolerance against now.
          'stripe-signature': signPayload(body, this.options.secret),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      await res.body?.cancel();
    } catch {
      status = 'network-error';
    }
    this.attempts.push({ eventId: event.id, type: event.type, attempt, status });
    if (typeof status === 'number' && status >= 200 && status < 300) return;
    if (attempt >= (this.options.maxAttempts ?? 6) || this.closed) return;
    const delay = (this.options.retryBaseMs ?? 250) * 2 ** (attempt - 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queue.push({ event, attempt: attempt + 1 });
      void this.drain();
    }, delay);
    this.timers.add(timer);
  }
}
