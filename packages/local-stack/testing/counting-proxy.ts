// An HTTP proxy in front of a simulated venue that records every request: what the real venue would see (which
// wallets a copy-trading poll asked for, how many order-book requests a hub made), with requests held on demand.
import { createServer } from 'node:http';

export interface CountingProxy {
  origin: string;
  /** `METHOD /path` of every request, in arrival order. */
  requests: string[];
  /** The same requests with their query strings (which wallet a data-API poll asked for). */
  urls: string[];
  /** `METHOD /path STATUS` of every answered request, in answer order. */
  responses: string[];
  /** Each request's body as text (aligned with `requests`; '' without one): which order a `POST /order` was. */
  bodies: string[];
  /** Each request's answer status (aligned with `requests`; null until answered, 502 when the venue was unreachable). */
  statuses: Array<number | null>;
  /** Requests held back so far (see hold). */
  held: string[];
  /** From now on, hold matching requests before they reach the venue (an order in flight for as long as we like). */
  hold(when: (method: string, path: string) => boolean): void;
  /** Stop holding; every held request goes on to the venue. */
  release(): void;
  close(): Promise<void>;
}

/** An HTTP proxy in front of the simulator that records every request (method and path): what the venue would see. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const requests: string[] = [];
  const urls: string[] = [];
  const responses: string[] = [];
  const held: string[] = [];
  const bodies: string[] = [];
  const statuses: Array<number | null> = [];
  let holdWhen: ((method: string, path: string) => boolean) | null = null;
  const waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    const path = url.split('?')[0] ?? url;
    const index = requests.push(`${method} ${path}`) - 1;
    urls.push(`${method} ${url}`);
    bodies.push('');
    statuses.push(null);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      bodies[index] = body ? body.toString('utf8') : '';
      const forward = (): void => {
        fetch(`${target}${url}`, { method, headers, ...(body ? { body } : {}) }).then(
          async (r) => {
            const buf = Buffer.from(await r.arrayBuffer());
            responses.push(`${method} ${path} ${r.status}`);
            statuses[index] = r.status;
            res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(buf);
          },
          () => {
            responses.push(`${method} ${path} 502`);
            statuses[index] = 502;
            res.writeHead(502).end();
          },
        );
      };
      if (holdWhen?.(method, path)) {
        held.push(`${method} ${path}`);
        waiting.push(forward);
      } else {
        forward();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    urls,
    responses,
    bodies,
    statuses,
    held,
    hold: (when) => {
      holdWhen = when;
    },
    release: () => {
      holdWhen = null;
      for (const forward of waiting.splice(0)) forward();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
