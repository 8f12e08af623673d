import { describe, expect, it } from 'vitest';
import { explainError } from './explain.ts';

describe('explainError', () => {
  it('turns runner errors into what the user should do, never echoing raw internals', () => {
    expect(explainError(null)).toBeNull();
    expect(explainError('kalshi: 401 authentication_error invalid signature')).toMatch(
      /Rotate them on the API keys page/,
    );
    expect(explainError('polymarket: insufficient balance for order')).toMatch(/Add funds/);
    expect(explainError('runner crashed 5 times, backoff exhausted')).toMatch(/stopped unexpectedly/);
    expect(explainError('connect ECONNREFUSED 10.0.0.1:443')).toMatch(/could not be reached/);
    const odd = explainError('TypeError: cannot read properties of undefined (reading "x") at /srv/app.js:12');
    expect(odd).not.toContain('TypeError');
    expect(odd).toMatch(/Pause and resume/);
  });
});
