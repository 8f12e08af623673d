import { describe, expect, it } from 'vitest';
import { ignoredNewsRules } from './ignored-rules.ts';

const REASON = 'its instrument is not a listed Kalshi market';

describe('ignoredNewsRules', () => {
  it('reads the bot manager’s list, keeping only rules the user still has', () => {
    const stats = {
      ignored_news_rules: [
        { rule_id: 'r1', reason: REASON },
        { rule_id: 'gone', reason: 'x' },
      ],
    };
    expect(ignoredNewsRules(stats, ['r1', 'r2'])).toEqual({ r1: REASON });
  });

  it('treats an older row without the key, no row, or a malformed value as none ignored', () => {
    expect(ignoredNewsRules({ pnl_today_usd: 1 }, ['r1'])).toEqual({});
    expect(ignoredNewsRules(undefined, ['r1'])).toEqual({});
    expect(ignoredNewsRules({ ignored_news_rules: 'r1' }, ['r1'])).toEqual({});
    expect(ignoredNewsRules({ ignored_news_rules: [{ rule_id: 'r1' }] }, ['r1'])).toEqual({});
  });
});
