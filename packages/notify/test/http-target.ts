// Real HTTP servers that webhook tests post to, recording every request they receive, plus a count of every outgoing
// TCP connection this process opens (Node's `net.client.socket` diagnostics channel): "the target received nothing"
// is proven by both the server's log and the fact that no socket was even opened.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpTarget {
  /** `http://<host>:<port>` (IPv6 bracketed). */
  origin: string;
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export type Responder = (req: ReceivedRequest, res: http.ServerResponse) => void;

export async function startHttpTarget(host = '127.0.0.1', respond?: Responder): Promise<HttpTarget> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      if (respond) respond(entry, res);
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Counts TCP client sockets created while `fn` runs. */
export async function countConnections<T>(fn: () => Promise<T>): Promise<{ result: T | Error; sockets: number }> {
  let sockets = 0;
  const onSocket = () => void sockets++;
  subscribe('net.client.socket', onSocket);
  try {
    const result = await fn().catch((error: unknown) => error as Error);
    return { result, sockets };
  } finally {
    unsubscribe('net.client.socket', onSocket);
  }
}
