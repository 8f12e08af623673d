import { expect, test } from 'vitest';
import { isAuthFailure, isAuthRejection, KeyRejectedReporter } from './key-rejected.ts';

const httpError = (status: number, message: string) => Object.assign(new Error(message), { status });

test('401/403 (own status, axios response, or a cause) is an auth failure; 429, 500 and plain errors are not', () => {
  expect(isAuthFailure(httpError(401, 'Unauthorized/Invalid api key'))).toBe(true);
  expect(isAuthFailure({ response: { status: 403 } })).toBe(true);
  expect(isAuthFailure(new Error('outcome unknown', { cause: httpError(401, 'x') }))).toBe(true);
  for (const e of [httpError(429, 'slow down'), httpError(500, 'oops'), new Error('socket hang up')])
    expect(isAuthFailure(e)).toBe(false);
  expect(isAuthRejection({ status: 'rejected', rejectReason: 'authentication_error: unknown api key' })).toMatch(
    /auth/,
  );
  expect(isAuthRejection({ status: 'rejected', rejectReason: 'market closed' })).toBeNull();
  expect(isAuthRejection({ status: 'filled', rejectReason: null })).toBeNull();
});

test('a watched client reports an auth-rejected order and a thrown 401 once per venue per cooldown; results pass through', async () => {
  const sent: Array<[string, string]> = [];
  const r = new KeyRejectedReporter((venue, reason) => sent.push([venue, reason]), 60_000);
  const client = {
    venue: 'kalshi',
    placeOrder: () => Promise.resolve({ status: 'rejected', rejectReason: 'authentication_error: unknown api key' }),
    balance: () => Promise.reject(httpError(401, 'unknown api key')),
  };
  const watched = r.wrap('kalshi', client);
  expect(watched.venue).toBe('kalshi');
  expect(await watched.placeOrder()).toEqual({
    status: 'rejected',
    rejectReason: 'authentication_error: unknown api key',
  });
  await expect(watched.balance()).rejects.toThrow('unknown api key');
  expect(sent).toEqual([['kalshi', 'authentication_error: unknown api key']]);
  r.report('polymarket', 'Unauthorized/Invalid api key');
  expect(sent).toHaveLength(2);
});
