// `POST /_sim/kalshi/pause {ms}`: a trading pause as Kalshi documents it (docs.kalshi.com "Maintenance and Pauses"):
// for `ms` `GET /exchange/status` says `trading_active: false` with an estimated resume time, new orders are refused,
// cancels still work, and resting orders placed with `cancel_order_on_pause: true` are cancelled when the pause
// starts (the others stay on the book). The refusal's code is ours (`trading_is_paused`, HTTP 409): the venue
// documents no exact code for it. Wall-clock window: scenario time may stand still.
import { z } from 'zod';
import type { Exchange } from './exchange.ts';

export const PauseBodySchema = z.object({ ms: z.number().int().min(0).max(600_000) });

export const PAUSED_CODE = 'trading_is_paused';

export class KalshiPause {
  private untilMs = 0;
  /** Resting orders placed with `cancel_order_on_pause`: order id → the member's key id. */
  private readonly cancelOnPause = new Map<string, string>();

  constructor(private readonly exchange: Exchange) {}

  start(ms: number): { untilMs: number; cancelled: number } {
    this.untilMs = Date.now() + ms;
    let cancelled = 0;
    for (const [orderId, keyId] of this.cancelOnPause) {
      this.cancelOnPause.delete(orderId);
      const order = this.exchange.accounts.get(keyId)?.orders.get(orderId);
      if (order?.status !== 'resting') continue;
      this.exchange.cancelOrder(keyId, orderId);
      cancelled++;
    }
    return { untilMs: this.untilMs, cancelled };
  }

  get active(): boolean {
    return Date.now() < this.untilMs;
  }

  /** An order placed with `cancel_order_on_pause: true` now rests: cancel it when a pause starts. */
  remember(keyId: string, orderId: string): void {
    this.cancelOnPause.set(orderId, keyId);
  }

  /** The body of `GET /exchange/status`. */
  status(): { exchange_active: boolean; trading_active: boolean; exchange_estimated_resume_time: string | null } {
    return {
      exchange_active: true,
      trading_active: !this.active,
      exchange_estimated_resume_time: this.active ? new Date(this.untilMs).toISOString() : null,
    };
  }
}
