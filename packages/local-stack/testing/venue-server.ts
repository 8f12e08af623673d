// Test helper: mounts one SimulatedVenue on a bare HTTP server on 127.0.0.1:0 (the real server.ts does more).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatedVenue } from '../src/venue-sim/types.ts';

export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

export async function serveVenue(venue: SimulatedVenue): Promise<TestServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    venue.handleHttp(req, res, url).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'not_found', message: `no route for ${url.pathname}` } }));
        }
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal', message: String(err) } }));
      },
    );
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!venue.handleUpgrade(req, socket, head, url)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      await venue.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
