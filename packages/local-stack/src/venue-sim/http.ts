// HTTP helpers every simulated venue's routes share: JSON replies and size-capped request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Every venue is offered each request in turn (server.ts), and a venue may read the body before it knows the route
 * is not its own: the body is read from the socket once and every later reader of the same request gets it too.
 */
const bodies = new WeakMap<IncomingMessage, Promise<string>>();

/** The request body as text; past `maxBytes` it throws `tooLarge` instead of buffering a flood. */
export function readBodyText(req: IncomingMessage, maxBytes: number, tooLarge: string): Promise<string> {
  let body = bodies.get(req);
  if (!body) {
    body = collect(req, maxBytes, tooLarge);
    bodies.set(req, body);
  }
  return body;
}

async function collect(req: IncomingMessage, maxBytes: number, tooLarge: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > maxBytes) throw new Error(tooLarge);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
