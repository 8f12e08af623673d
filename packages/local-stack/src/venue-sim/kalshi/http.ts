// Small HTTP helpers shared by the Kalshi routes: JSON bodies and Kalshi's error envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyText, sendJson } from '../http.ts';

export { sendJson };

const MAX_BODY_BYTES = 1 << 20;

/** Kalshi answers errors as `{"error":{"code","message","service"}}`; the SDK surfaces it as the AxiosError body. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message, service: 'sim' } });
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(req, MAX_BODY_BYTES, 'body too large');
  return text.length === 0 ? {} : JSON.parse(text);
}

/** Opaque cursor over an offset, like the venue's (empty string = no more pages). */
export function pageOf<T>(
  items: readonly T[],
  url: URL,
  defaultLimit: number,
  maxLimit: number,
): { page: T[]; cursor: string } {
  const limit = Math.min(maxLimit, Math.max(1, Number(url.searchParams.get('limit') ?? defaultLimit) || defaultLimit));
  const raw = url.searchParams.get('cursor');
  const offset = raw ? Number(Buffer.from(raw, 'base64url').toString('utf8')) || 0 : 0;
  const page = items.slice(offset, offset + limit);
  const next = offset + limit;
  return { page, cursor: next < items.length ? Buffer.from(String(next)).toString('base64url') : '' };
}

/** "0.56" / "0.5600" → 56; null if not a whole cent in (0, 1). */
export function parsePriceCents(s: string): number | null {
  if (!/^0?\.\d{1,6}$|^0$|^1(\.0+)?$/.test(s)) return null;
  const cents = Number(s) * 100;
  const rounded = Math.round(cents);
  return Math.abs(cents - rounded) < 1e-6 ? rounded : null;
}

/** "10" / "10.5" / "10.00" → hundredths of a contract; null if malformed. */
export function parseCountHundredths(s: string): number | null {
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  return Math.round(Number(s) * 100);
}
