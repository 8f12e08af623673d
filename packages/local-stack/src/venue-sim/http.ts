// HTTP helpers every simulated venue's routes share: JSON replies and size-capped request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The request body as text; past `maxBytes` it throws `tooLarge` instead of buffering a flood. */
export async function readBodyText(req: IncomingMessage, maxBytes: number, tooLarge: string): Promise<string> {
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
