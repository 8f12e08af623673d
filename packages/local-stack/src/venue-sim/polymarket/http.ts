// Small HTTP helpers shared by the simulator's route modules.
import type { IncomingMessage } from 'node:http';
import { readBodyText, sendJson } from '../http.ts';

export { sendJson };

const MAX_BODY = 1_000_000;

export function readBody(req: IncomingMessage): Promise<string> {
  return readBodyText(req, MAX_BODY, 'request body too large');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
