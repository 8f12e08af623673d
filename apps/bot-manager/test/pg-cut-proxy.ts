// A TCP proxy in front of Postgres that a test can cut (every connection through it dropped and new ones refused:
// accepted, then closed at once — what a client sees when the database goes away) or stall (nothing closes, nothing
// arrives), until restored. How a test takes the database away from one manager without stopping the cluster every
// other connection of the suite uses.
import { connect, createServer, type Socket } from 'node:net';

export interface PgCutProxy {
  /** The database URL through the proxy (same credentials and database). */
  url: string;
  /** Drops every open connection and refuses new ones. */
  cut(): void;
  /**
   * Freezes the link without closing anything: bytes either way are held back (new connections too) — a partition
   * that drops packets, or a database that stopped answering. Nothing errors; only a timeout can notice.
   */
  stall(): void;
  /** Lets connections through again (held bytes delivered, in order). */
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes held back while stalled: [destination, chunk], in arrival order. */
  held: Array<[Socket, Buffer]>;
}

export async function startPgCutProxy(databaseUrl: string): Promise<PgCutProxy> {
  const target = new URL(databaseUrl);
  let mode: 'open' | 'cut' | 'stalled' = 'open';
  const pairs = new Set<Pair>();
  const server = createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const pair: Pair = { client, upstream, held: [] };
    pairs.add(pair);
    const forward = (to: Socket) => (chunk: Buffer) => {
      if (mode === 'stalled') pair.held.push([to, chunk]);
      else to.write(chunk);
    };
    client.on('data', forward(upstream));
    upstream.on('data', forward(client));
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('cut proxy has no port');
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  const dropAll = () => {
    for (const p of pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    pairs.clear();
  };
  return {
    url: url.toString(),
    cut: () => {
      mode = 'cut';
      dropAll();
    },
    stall: () => {
      mode = 'stalled';
    },
    restore: () => {
      mode = 'open';
      for (const p of pairs) for (const [to, chunk] of p.held.splice(0)) to.write(chunk);
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
