// Kalshi has no cancel-all endpoint: the account's resting orders are listed and cancelled in batches
// (`DELETE /portfolio/events/orders/batched`, kalshi-typescript's batchCancelOrdersV2). A batch answers per order;
// an order that stopped resting meanwhile (filled, cancelled elsewhere) comes back with an error and is not counted.
import { z } from 'zod';
import type { KalshiClient } from './client.ts';

/** Well inside the batch size of Kalshi's Basic tier (it scales with the tier's write budget). */
const BATCH = 20;

const BatchCancelResponse = z.object({
  orders: z.array(
    z.object({
      order_id: z.string(),
      error: z.object({ code: z.string().optional(), message: z.string().optional() }).nullish(),
    }),
  ),
});

/** Cancels the given resting orders (ticker helps Kalshi route each one); returns how many were cancelled. */
export async function batchCancel(
  client: KalshiClient,
  orders: ReadonlyArray<{ orderId: string; ticker: string }>,
): Promise<number> {
  let cancelled = 0;
  for (let i = 0; i < orders.length; i += BATCH) {
    const batch = orders.slice(i, i + BATCH).map((o) => ({ order_id: o.orderId, market_ticker: o.ticker }));
    const res = BatchCancelResponse.parse(
      await client.write(() => client.orders.batchCancelOrdersV2({ orders: batch })),
    );
    cancelled += res.orders.filter((o) => !o.error).length;
  }
  return cancelled;
}
