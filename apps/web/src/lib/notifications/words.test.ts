import { describe, expect, it } from 'vitest';
import { deliveryWords, failureWords, testResultWords } from './words.ts';

describe('test send results in words', () => {
  it('says where a success went', () => {
    expect(testResultWords('webhook', { ok: true })).toBe('Delivered: your endpoint accepted the test message.');
    expect(testResultWords('email', { ok: true, providerId: 'x' })).toContain('mail server accepted');
  });

  it('explains refusals and failures', () => {
    expect(failureWords('refused_address: 127.0.0.2 resolves to 127.0.0.2 (loopback): not allowed', false)).toBe(
      'Refused: the address is private or reserved (127.0.0.2 resolves to 127.0.0.2 (loopback): not allowed). Use a public https address.',
    );
    expect(failureWords('bad_url: http: URLs are not allowed; use https', false)).toBe(
      'Refused: http: URLs are not allowed; use https.',
    );
    expect(failureWords('HTTP 404: no such hook', false)).toBe(
      'Not delivered: your endpoint answered HTTP 404 (no such hook).',
    );
    expect(failureWords('HTTP 503', true)).toBe('Not delivered: your endpoint answered HTTP 503. Try again later.');
    expect(failureWords('timeout: no answer within 5000 ms', true)).toContain('within 5 seconds');
    expect(failureWords('550 mailbox unavailable', false)).toBe('Not delivered: 550 mailbox unavailable');
  });
});

describe('delivery states in words', () => {
  it('names attempts and the last error', () => {
    expect(deliveryWords({ status: 'sent', attempts: 1, last_error: null })).toBe('Sent');
    expect(deliveryWords({ status: 'retrying', attempts: 3, last_error: 'HTTP 500' })).toBe(
      'Attempt 3 failed, trying again: HTTP 500',
    );
    expect(deliveryWords({ status: 'dead', attempts: 1, last_error: 'HTTP 404' })).toBe(
      'Gave up after 1 attempt: HTTP 404',
    );
  });
});
