import { NotificationEventKindSchema, NotificationPayloadSchema } from '@polybot/schemas';
import { describe, expect, it } from 'vitest';
import { PAYLOADS, trade } from '../../test/payloads.ts';
import { renderNotification } from './index.ts';

const ctx = { appUrl: 'https://app.polybot.example', occurredAt: new Date('2026-12-05T10:02:40Z') };
const EVIL = '<script>alert("x")</script> & *bold* @everyone <@U123>';

describe('renderNotification', () => {
  for (const kind of NotificationEventKindSchema.options) {
    it(`renders ${kind} in every format`, () => {
      const payload = NotificationPayloadSchema.parse(PAYLOADS[kind]);
      const r = renderNotification(payload, ctx);
      expect(r.subject.length).toBeGreaterThan(5);
      expect(r.text).toContain('https://app.polybot.example/');
      expect(r.html).toContain('<a href="https://app.polybot.example/');
      expect(r.telegram).toContain(`<b>${r.subject.replace(/&/g, '&amp;')}</b>`);
      expect(r.slack.text.length).toBeGreaterThan(0);
      expect(r.discord.embeds?.[0]?.timestamp).toBe('2026-12-05T10:02:40.000Z');
      expect(r.webhook).toEqual({ type: `polybot.${kind}`, timestamp: '2026-12-05T10:02:40.000Z', data: payload });
    });
  }

  it('says one trade as a sentence, in the money format of the web app', () => {
    const r = renderNotification(PAYLOADS.trade_executed, ctx);
    expect(r.subject).toBe('Your bot bought 12 at $0.41');
    expect(r.text).toContain(
      'Your bot bought 12 contracts at $0.41 on “Will it rain in NYC on Dec 6?” (Polymarket, paper trading, 2026-12-05 10:02 UTC).',
    );
    expect(r.text).toContain('See your trades: https://app.polybot.example/trades');
  });

  it('lists a burst and says how many were left out', () => {
    const trades = Array.from({ length: 20 }, (_, i) =>
      trade({ side: 'sell', size: 1.5, market_title: `Market ${i}` }),
    );
    const r = renderNotification({ kind: 'trade_executed', count: 25, trades }, ctx);
    expect(r.subject).toBe('Your bot made 25 trades');
    expect(r.text).toContain('- Sold 1.5 contracts at $0.41 on “Market 0”');
    expect(r.text).toContain('…and 5 more trades on your trades page.');
  });

  it('words the daily summary with signed money and the day in full', () => {
    const r = renderNotification(PAYLOADS.daily_summary, ctx);
    expect(r.subject).toBe('Your PolyBot day: −$1.05 on 2026-12-04');
    expect(r.text).toContain('Friday, December 4, 2026 (America/New_York)');
    expect(r.text).toContain('Trades this month: 37 of 500');
    expect(r.discord.embeds?.[0]?.fields).toContainEqual({ name: 'Realized P&L', value: '−$1.05', inline: true });
  });

  it('names the venue and mode of a rejected key, and links to the keys page', () => {
    const r = renderNotification(PAYLOADS.key_invalid, ctx);
    expect(r.subject).toBe('Your Kalshi live key was rejected');
    expect(r.text).toContain('Kalshi rejected your API key (401).');
    expect(r.text).toContain('Code: auth_failed');
    expect(r.telegram).toContain('<a href="https://app.polybot.example/settings/keys">');
  });

  it('treats market titles as text in every markup', () => {
    const r = renderNotification({ kind: 'trade_executed', count: 1, trades: [trade({ market_title: EVIL })] }, ctx);
    for (const html of [r.html, r.telegram]) {
      expect(html).not.toContain('<script>');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; *bold*');
    }
    const slack = JSON.stringify(r.slack);
    expect(slack).not.toContain('<@U123>');
    expect(slack).toContain('&lt;@U123&gt;');
    const discord = r.discord.embeds?.[0]?.description ?? '';
    expect(discord).toContain('\\*bold\\*');
    expect(discord).not.toContain('@everyone');
    expect(r.text).toContain(EVIL);
  });

  it('keeps within Telegram, Discord and Slack limits with the largest burst', () => {
    const trades = Array.from({ length: 20 }, () => trade({ market_title: 'x'.repeat(300) }));
    const r = renderNotification({ kind: 'trade_executed', count: 20, trades }, ctx);
    expect(r.telegram.length).toBeLessThanOrEqual(4096);
    expect(r.telegram).toMatch(/…and \d+ more/);
    expect(r.discord.embeds?.[0]?.description?.length).toBeLessThanOrEqual(4096);
    for (const block of r.slack.blocks ?? []) {
      if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000);
    }
  });
});
