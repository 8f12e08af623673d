import { classifyRunnerError, type BotErrorCode } from '@polybot/schemas';
import { describe, expect, it } from 'vitest';
import { adviseHalt, explainError } from './explain.ts';

// A runner's error as it reaches the dashboard: the text, and the code the runner classified it as.
const reported = (text: string) => ({ text, code: classifyRunnerError(text) });

describe('explainError', () => {
  it('turns runner errors into what the user should do, never echoing raw internals', () => {
    expect(explainError({ text: null, code: null })).toBeNull();
    expect(explainError(reported('kalshi: 401 authentication_error invalid signature'))).toMatch(
      /Rotate them on the API keys page/,
    );
    expect(explainError(reported('polymarket: insufficient balance for order'))).toMatch(/Add funds/);
    expect(explainError(reported('runner crashed 5 times, backoff exhausted'))).toMatch(/stopped unexpectedly/);
    expect(explainError(reported('connect ECONNREFUSED 10.0.0.1:443'))).toMatch(/could not be reached/);
    const odd = explainError(
      reported('TypeError: cannot read properties of undefined (reading "x") at /srv/app.js:12'),
    );
    expect(odd).not.toContain('TypeError');
    expect(odd).toMatch(/Pause and resume/);
  });

  it('decides by the code the manager wrote, not by the words beside it', () => {
    const words = 'bot stopped after 5 crashes in a row (last: runner killed: it used 401 MB of memory)';
    expect(explainError({ text: words, code: 'crash_loop' })).toMatch(/stopped unexpectedly/);
    expect(explainError({ text: 'invalid configuration (version 3): api key', code: 'invalid_config' })).toMatch(
      /Pause and resume/,
    );
    // a text without a code (a manager older than the codes) gets the generic words
    expect(explainError({ text: 'signature rejected', code: null })).toMatch(/Pause and resume/);
    const codes: BotErrorCode[] = ['runner_silent', 'runner_memory', 'runner_killed', 'runner_error'];
    for (const code of codes) expect(explainError({ text: 'x', code })).toMatch(/Pause and resume/);
  });
});

describe('adviseHalt', () => {
  it('says what to do for a running bot that cannot trade, by its code', () => {
    expect(adviseHalt(null)).toBeNull();
    expect(adviseHalt('max_positions_reached')).toEqual({
      text: 'Wait until a position closes, or raise Max open positions in Settings.',
      href: '/settings/config',
      link: 'Settings → Config',
    });
    expect(adviseHalt('no_venue_enabled')?.text).toBe('Turn on Polymarket or Kalshi in Settings.');
    expect(adviseHalt('live_keys_missing')).toMatchObject({ href: '/settings/keys', link: 'API keys' });
    expect(adviseHalt('live_not_in_plan')?.href).toBe('/settings/billing');
    // the status card already says what to do for a pause
    expect(adviseHalt('paused_by_user')).toBeNull();
  });
});
