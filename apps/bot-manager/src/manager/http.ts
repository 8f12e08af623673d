// /healthz (readiness), /livez (liveness) and /metrics on 127.0.0.1 (or the configured host).
// /healthz is 503 while the manager cannot do its job (its LISTEN connection or its database is gone: health.ts);
// /livez only proves this process's event loop still answers. A Kubernetes readinessProbe uses /healthz, the
// livenessProbe /livez: restarting a manager because the database is down would not bring the database back and would
// kill every runner it hosts (README "Health").
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export async function startHttp(opts: {
  host: string;
  port: number;
  registry: Registry;
  health: () => Record<string, unknown> & { ok: boolean };
}): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') {
      const h = opts.health();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h));
      return;
    }
    if (path === '/livez') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      return;
    }
    if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `no route ${path}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
