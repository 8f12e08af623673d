import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpTarget } from '../../test/http-target.ts';
import { startHttpTarget } from '../../test/http-target.ts';
import { generateWebhookSecret, sendStandardWebhook, signStandardWebhook } from './standard.ts';

let target: HttpTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

describe('Standard Webhooks signing', () => {
  const body = JSON.stringify({ type: 'polybot.bot_stopped', timestamp: '2026-12-05T10:00:00.000Z', data: {} });

  it('verifies with the reference library, and fails for a changed body, id or secret', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = signStandardWebhook({ id: 'delivery-1', timestamp: new Date(), body, secrets: [secret] });
    expect(headers['webhook-id']).toBe('delivery-1');
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(body.replace('stopped', 'started'), headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'delivery-2' })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('signs with both secrets during a rotation, so a receiver holding either verifies', () => {
    const [previous, next] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signStandardWebhook({ id: 'd', timestamp: new Date(), body, secrets: [next, previous] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
  });

  it('a POST arrives with headers a receiver verifies; webhook-id is the idempotency key on every retry', async () => {
    target = await startHttpTarget();
    const secret = generateWebhookSecret();
    const options = { allowHttp: true, exemptRanges: ['127.0.0.1/32'] };
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await sendStandardWebhook(
        { url: `${target.origin}/hook`, idempotencyKey: 'evt-9:channel-3', body, secrets: [secret] },
        options,
      );
      expect(result).toEqual({ ok: true });
    }
    expect(target.received).toHaveLength(2);
    for (const req of target.received) {
      expect(req.headers['webhook-id']).toBe('evt-9:channel-3');
      expect(new Webhook(secret).verify(req.body, req.headers as Record<string, string>)).toEqual(JSON.parse(body));
    }
  });
});
