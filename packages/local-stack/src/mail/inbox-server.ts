// The sink's HTTP side: the browser inbox (`/`, `/messages/<id>`) and the JSON API (`/api/messages`, filterable by
// `?to=` and `?subject=`; `/api/messages/<id>`; `DELETE /api/messages` empties the inbox). Local use only: it binds
// to loopback and sends a CSP that lets inbox pages run no script at all.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { renderInbox, renderMessage, renderNotFound } from './inbox-pages.ts';
import type { MailFilter, SinkMessage } from './store.ts';

export interface InboxSource {
  messages(filter?: MailFilter): SinkMessage[];
  clear(): void;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'";

export function createInboxServer(source: InboxSource): Server {
  return createServer((req, res) => {
    try {
      route(source, req, res);
    } catch (error) {
      send(res, 500, 'application/json', JSON.stringify({ error: String(error) }));
    }
  });
}

function route(source: InboxSource, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://inbox');
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const byId = (id: string): SinkMessage | undefined => source.messages().find((m) => m.id === id);

  if (path === '/api/messages') {
    if (method === 'DELETE') {
      source.clear();
      res.statusCode = 204;
      res.end();
      return;
    }
    if (method !== 'GET') return methodNotAllowed(res);
    const filter: MailFilter = {};
    const to = url.searchParams.get('to');
    const subject = url.searchParams.get('subject');
    if (to) filter.to = to;
    if (subject) filter.subject = subject;
    return sendJson(res, 200, { messages: source.messages(filter) });
  }
  if (method !== 'GET') return methodNotAllowed(res);
  const apiMessage = /^\/api\/messages\/([^/]+)$/.exec(path);
  if (apiMessage) {
    const message = byId(decode(apiMessage[1] ?? ''));
    return message ? sendJson(res, 200, message) : sendJson(res, 404, { error: 'no such message' });
  }
  if (path === '/') return sendHtml(res, 200, renderInbox(source.messages()));
  const pageMessage = /^\/messages\/([^/]+)$/.exec(path);
  const message = pageMessage ? byId(decode(pageMessage[1] ?? '')) : undefined;
  if (message) return sendHtml(res, 200, renderMessage(message));
  return sendHtml(res, 404, renderNotFound());
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

function methodNotAllowed(res: ServerResponse): void {
  sendJson(res, 405, { error: 'method not allowed' });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  send(res, status, 'text/html; charset=utf-8', html);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}
