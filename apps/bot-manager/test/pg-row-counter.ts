// A TCP proxy in front of Postgres that counts the rows the database sends back (DataRow messages of the wire
// protocol): how a test measures what a code path reads, without pg_stat_statements and without wall-clock time.
import { createServer, connect, type Socket } from 'node:net';

export interface PgRowCounter {
  /** The database URL through the proxy (same credentials and database). */
  url: string;
  /** DataRow messages sent to clients since the last reset. */
  rows(): number;
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;

export async function startPgRowCounter(databaseUrl: string): Promise<PgRowCounter> {
  const target = new URL(databaseUrl);
  let rows = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    // The server's answer to an SSLRequest is one bare byte; every other message is type byte + int32 length.
    let sslAnswerPending = false;
    let firstClientChunk = true;
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      if (firstClientChunk && chunk.length >= 8 && chunk.readInt32BE(4) === SSL_REQUEST) sslAnswerPending = true;
      firstClientChunk = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (sslAnswerPending && pending.length > 0) {
        pending = pending.subarray(1);
        sslAnswerPending = false;
      }
      while (pending.length >= 5) {
        const len = pending.readInt32BE(1);
        if (pending.length < 1 + len) break;
        if (pending[0] === 0x44 /* 'D' DataRow */) rows += 1;
        pending = pending.subarray(1 + len);
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('row counter has no port');
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.toString(),
    rows: () => rows,
    reset: () => (rows = 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
