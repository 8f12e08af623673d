// `DELETE /portfolio/events/orders/batched` (kalshi-typescript's batchCancelOrdersV2): cancels each listed order of the
// caller and answers per order — `reduced_by` for a cancelled one, an `error` for one that is unknown or not resting —
// with 200 for the batch as a whole, as Kalshi documents.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ExchangeError, type Exchange } from './exchange.ts';
import { readJson, sendError, sendJson } from './http.ts';
import { countFp } from './wire.ts';

const BatchCancelBody = z.object({
  orders: z
    .array(z.object({ order_id: z.string().min(1), market_ticker: z.string().optional() }))
    .min(1)
    .max(20),
});

export async function batchCancel(
  exchange: Exchange,
  keyId: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const parsed = BatchCancelBody.safeParse(await readJson(req));
  if (!parsed.success) return sendError(res, 400, 'invalid_parameters', z.prettifyError(parsed.error));
  const orders = parsed.data.orders.map(({ order_id }) => {
    try {
      const { order, reducedBy } = exchange.cancelOrder(keyId, order_id);
      return {
        order_id,
        client_order_id: order.clientOrderId,
        reduced_by: countFp(reducedBy),
        ts_ms: order.updatedMs,
        error: null,
      };
    } catch (e) {
      if (!(e instanceof ExchangeError)) throw e;
      return { order_id, reduced_by: countFp(0), error: { code: e.code, message: e.message } };
    }
  });
  sendJson(res, 200, { orders });
}
