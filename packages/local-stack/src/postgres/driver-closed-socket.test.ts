// The postgres.js we ship carries a patch (patches/postgres+3.4.9.patch, applied by `npm install`'s postinstall):
// a write that runs after its connection closed threw from a setImmediate — no caller can catch that, so it ended the
// process (porsager/postgres#1208, #1154). A manager cut off from its database (issue 15) died of it instead of
// fencing itself and rejoining. With the patch the query is rejected with CONNECTION_CLOSED.
import { createServer, connect, type Socket } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startThrowawayPostgres, type EmbeddedInstance } from './embedded.ts';

let pg: EmbeddedInstance;
beforeAll(async () => {
  pg = await startThrowawayPostgres();
});
afterAll(async () => pg?.stop());

/** A TCP proxy to Postgres whose `cut()` closes every client connection cleanly (FIN), as a dying peer does. */
async function startProxy(target: URL) {
  const clients = new Set<Socket>();
  const server = createServer((client) => {
    clients.add(client);
    const upstream = connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      clients.delete(client);
      upstream.destroy();
    };
    client.on('close', drop).on('error', drop);
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = new URL(target);
  url.port = String(port);
  url.hostname = '127.0.0.1';
  return {
    url: url.toString(),
    cut: () => Promise.all([...clients].map((c) => new Promise<void>((r) => c.end(r)))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const outcome = (p: PromiseLike<unknown>) =>
  Promise.resolve(p).then(
    () => 'answered',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('postgres.js after its connection is closed under it', () => {
  it('rejects the queries on the dead connection instead of throwing where nobody can catch it', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    const proxy = await startProxy(new URL(pg.superuserUrl));
    const sql = postgres(proxy.url, { max: 1, onnotice: () => undefined });
    try {
      // A reserved connection is pinned: the pool cannot rotate the dead one away (the reproduction of #1208).
      const reserved = await sql.reserve();
      expect(await outcome(reserved`select 1`)).toBe('answered');
      await proxy.cut();
      // The connection learns of the close when its socket ends; a query then writes to the closed connection.
      const first = await outcome(reserved`select 1`);
      const second = await outcome(reserved`select 1`);
      await new Promise((r) => setImmediate(r));
      expect(uncaught).toEqual([]);
      expect([first, second]).toEqual(['CONNECTION_CLOSED', 'CONNECTION_CLOSED']);
      reserved.release();
    } finally {
      process.off('uncaughtException', onUncaught);
      await sql.end({ timeout: 1 });
      await proxy.close();
    }
  }, 30_000);
});
