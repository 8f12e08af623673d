import { afterEach, describe, expect, it } from 'vitest';
import type { HttpTarget, Responder } from '../../test/http-target.ts';
import { startHttpTarget } from '../../test/http-target.ts';
import { postJson, retryAfterMs } from './post.ts';

const targets: HttpTarget[] = [];
async function answering(respond: Responder) {
  const t = await startHttpTarget('127.0.0.1', respond);
  targets.push(t);
  return t;
}
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});
const LOCAL = { allowHttp: true, exemptRanges: ['127.0.0.1/32'] };

describe('postJson classifies what happened', () => {
  it('2xx is delivered, with the JSON content type', async () => {
    const t = await answering((_req, res) => res.writeHead(204).end());
    expect(await postJson(`${t.origin}/`, '{}', {}, LOCAL)).toEqual({ ok: true });
    expect(t.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('5xx and 408 are retryable; 429 keeps its Retry-After; other 4xx are permanent', async () => {
    const cases: Array<[number, Record<string, string>, object]> = [
      [503, {}, { ok: false, retryable: true }],
      [408, {}, { ok: false, retryable: true }],
      [429, { 'retry-after': '7' }, { ok: false, retryable: true, retryAfterMs: 7000 }],
      [404, {}, { ok: false, retryable: false }],
      [410, {}, { ok: false, retryable: false }],
    ];
    for (const [status, headers, expected] of cases) {
      const t = await answering((_req, res) => res.writeHead(status, headers).end('nope'));
      const result = await postJson(`${t.origin}/`, '{}', {}, LOCAL);
      expect(result).toMatchObject(expected);
      expect(result).toMatchObject({ error: `HTTP ${status}: nope` });
    }
  });

  it('a refused address is permanent; a closed port (provider down) is retryable', async () => {
    expect(await postJson('http://10.0.0.1/', '{}', {}, LOCAL)).toMatchObject({ ok: false, retryable: false });
    const t = await answering((_req, res) => res.end());
    await t.close();
    expect(await postJson(`${t.origin}/`, '{}', {}, LOCAL)).toMatchObject({ ok: false, retryable: true });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-12-05T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sat, 05 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
