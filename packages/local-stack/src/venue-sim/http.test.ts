// Each simulated venue is offered every request in turn; one that reads the body and then declines the route must not
// leave the next venue an empty body (a live Kalshi order once reached Kalshi's routes as `{}` after Polymarket's
// catch-all had read it).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { readBodyText } from './http.ts';

test('a request body read by one venue is still there for the next', async () => {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      seen.push(await readBodyText(req, 1000, 'too large')); // the first venue reads, then declines
      seen.push(await readBodyText(req, 1000, 'too large')); // the venue that owns the route
      res.end('ok');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/trade-api/v2/portfolio/orders`, {
      method: 'POST',
      body: JSON.stringify({ ticker: 'KX', count: 3 }),
    });
    expect(await res.text()).toBe('ok');
    expect(seen).toEqual(['{"ticker":"KX","count":3}', '{"ticker":"KX","count":3}']);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
