// The bot's words: data escaped for Telegram's HTML parse mode, numbers in the dashboard's money format.
import { describe, expect, it } from 'vitest';
import type { PnlCardView } from '../positions-view.ts';
import type { StatusView } from '../status.ts';
import { pnlReply, replies, statusReply, toggleReply } from './replies.ts';

const STATUS: StatusView = {
  state: 'error',
  stateLabel: 'Stopped by an error',
  pause: null,
  reason: 'market <b>"A & B"</b> failed',
  advice: { text: 'Check <keys> & retry', href: '/settings/keys', link: 'API keys' },
  mode: 'live',
  botEnabled: true,
  heartbeatAt: '2026-12-05T10:02:33.000Z',
  startedAt: null,
  configVersion: 3,
  appliedVersion: 3,
  appliedAt: null,
  problem: null,
  tradesThisMonth: 12,
  monthlyTradeLimit: 100,
  planName: 'Pro & more',
  botPlanName: null,
  botOnPlan: true,
  ignoredNewsRules: 0,
  latestTradeId: null,
  listsVersion: '',
  at: '2026-12-05T10:03:00.000Z',
};

describe('Telegram replies', () => {
  it('status: the dashboard view in words, its data escaped', () => {
    expect(statusReply(STATUS)).toBe(
      [
        '<b>Your bot: Stopped by an error</b>',
        'Mode: live trading · Plan: Pro &amp; more',
        'Trades this month: 12 of 100',
        'Why it is not trading: market &lt;b&gt;&quot;A &amp; B&quot;&lt;/b&gt; failed',
        'Check &lt;keys&gt; &amp; retry',
        'Last heartbeat: 2026-12-05 10:02 UTC',
      ].join('\n'),
    );
    expect(
      statusReply({
        ...STATUS,
        state: 'stopped',
        stateLabel: 'Paused',
        pause: 'paused',
        reason: null,
        advice: null,
        heartbeatAt: null,
      }),
    ).toMatch(/^<b>Your bot: Paused<\/b> by you\n/);
  });

  it('P&L: realized today and this month, the open positions as the dashboard values them', () => {
    const card = {
      days: [],
      today: -1.5,
      month: 3.25,
      open: {
        count: 2,
        cost: 4,
        markValue: 4.6,
        unrealized: 0.6,
        lockedProfit: 0.2,
        baskets: [],
        unrealizedByStrategy: new Map(),
      },
    } as PnlCardView;
    expect(pnlReply(card)).toBe(
      '<b>Profit &amp; loss</b> (realized)\nToday: −$1.50\nThis month: $3.25\n' +
        'Open positions: 2, cost $4.00, worth $4.60 now: $0.60 unrealized, of which $0.20 is locked in by arbitrage',
    );
    expect(pnlReply({ ...card, open: { ...card.open, count: 0 } })).toContain('No open positions.');
  });

  it('pause and resume: every outcome in a sentence, the database words escaped', () => {
    expect(toggleReply(false, { ok: true, changed: true, configVersion: 8 })).toContain(
      'Pause requested (settings v8)',
    );
    expect(toggleReply(true, { ok: true, changed: true, configVersion: 9 })).toContain(
      'Resume requested (settings v9)',
    );
    expect(toggleReply(false, { ok: true, changed: false, configVersion: 9 })).toContain('already paused');
    expect(toggleReply(true, { ok: false, refused: 'suspended' })).toContain('suspended');
    expect(toggleReply(true, { ok: false, refused: 'too_many_toggles', message: '6 toggles in <1 hour' })).toBe(
      '6 toggles in &lt;1 hour',
    );
  });

  it('links carry the app URL escaped; unknown commands are echoed escaped', () => {
    expect(replies.notLinked('https://app.example')).toContain(
      '<a href="https://app.example/settings/notifications">Notifications settings</a>',
    );
    expect(replies.unknown('/x <i>&')).toContain('“/x &lt;i&gt;&amp;”');
  });
});
