// `GET /_sim/polymarket/orders?address=`: every order the venue has for one wallet, live or not, with why a cancelled
// one was cancelled (the owner, cancel-all, the heartbeat dead-man switch, its market closing). For tests only; the
// venue's own `GET /data/orders` lists live orders alone.
import type { Account } from './accounts.ts';

export function ordersListing(account: Account): Array<Record<string, unknown>> {
  return account.orders.map((o) => ({
    id: o.id,
    tokenId: o.tokenId,
    side: o.side,
    price: o.pips / 10_000,
    originalSize: o.originalSize,
    matched: o.matched,
    orderType: o.orderType,
    status: o.status,
    cancelReason: o.cancelReason ?? null,
  }));
}
