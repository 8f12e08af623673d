import { afterEach, describe, expect, it } from 'vitest';
import type { HttpTarget } from '../../test/http-target.ts';
import { startHttpTarget } from '../../test/http-target.ts';
import { sendDiscordMessage, sendSlackMessage } from './chat-hooks.ts';

let target: HttpTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});
const LOCAL = { allowHttp: true, exemptRanges: ['127.0.0.1/32'] };

describe('Slack and Discord incoming webhooks', () => {
  it('Slack gets the Block Kit body as sent; a revoked hook (404 no_service) is permanent', async () => {
    target = await startHttpTarget('127.0.0.1', (req, res) =>
      req.url === '/revoked' ? res.writeHead(404).end('no_service') : res.writeHead(200).end('ok'),
    );
    const message = {
      text: 'Bot stopped',
      blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*x*' } }],
    };
    expect(await sendSlackMessage(`${target.origin}/T0/B0/x`, message, LOCAL)).toEqual({ ok: true });
    expect(JSON.parse(target.received[0]?.body ?? '')).toEqual(message);
    expect(await sendSlackMessage(`${target.origin}/revoked`, message, LOCAL)).toMatchObject({
      ok: false,
      retryable: false,
    });
  });

  it('Discord never lets a message mention anyone', async () => {
    target = await startHttpTarget('127.0.0.1', (_req, res) => res.writeHead(204).end());
    const result = await sendDiscordMessage(`${target.origin}/api/webhooks/1/t`, { content: '@everyone hi' }, LOCAL);
    expect(result).toEqual({ ok: true });
    expect(JSON.parse(target.received[0]?.body ?? '')).toEqual({
      content: '@everyone hi',
      allowed_mentions: { parse: [] },
    });
  });

  it('uses the SSRF guard: a hook URL on a private address is refused', async () => {
    expect(await sendSlackMessage('http://192.168.0.10/hook', { text: 'x' }, LOCAL)).toMatchObject({
      ok: false,
      retryable: false,
      error: expect.stringContaining('refused_address') as unknown,
    });
  });
});
