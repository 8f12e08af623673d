// The simulator server as a whole: both venues mounted, scenario time, stats, the stress scenario's update
// rate over the real WebSocket, and the CLI's ready line and clean SIGTERM exit.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { VenueSim } from './server.ts';
import { venueSimForSuite } from '../../testing/venue-sim-suite.ts';

describe('venue simulator server (arb-rich, both venues)', () => {
  let sim: VenueSim;
  venueSimForSuite('arb-rich', (s) => (sim = s));

  it('mounts Polymarket and Kalshi and reports both in /_sim/stats', async () => {
    expect(Object.keys(sim.urls)).toEqual(
      expect.arrayContaining(['polymarketClob', 'polymarketGamma', 'polymarketWs']),
    );
    const stats = (await (await fetch(`${sim.origin}/_sim/stats`)).json()) as { venues: Record<string, unknown> };
    expect(Object.keys(stats.venues).sort()).toEqual(['kalshi', 'polymarket']);
  });

  it('advances scenario time on request and applies scripted price paths', async () => {
    const up = '94242206871221370391055736153305071391564432448684801902267396130896523340261';
    const bestAsk = async (): Promise<string | undefined> =>
      ((await (await fetch(`${sim.origin}/book?token_id=${up}`)).json()) as { asks: { price: string }[] }).asks.at(-1)
        ?.price;
    expect(await bestAsk()).toBe('0.47');
    const res = await fetch(`${sim.origin}/_sim/advance`, { method: 'POST', body: JSON.stringify({ ms: 120_000 }) });
    expect(res.status).toBe(200);
    expect(await bestAsk()).toBe('0.5');
  });

  it('rejects a bad control body with 400 and unknown WebSocket paths with 404', async () => {
    const res = await fetch(`${sim.origin}/_sim/advance`, { method: 'POST', body: JSON.stringify({ ms: -1 }) });
    expect(res.status).toBe(400);
    const ws = new WebSocket(`${sim.origin.replace('http', 'ws')}/ws/nope`);
    const [err] = (await once(ws, 'error')) as [Error];
    expect(err.message).toMatch(/404/);
  });
});

describe('stress scenario', () => {
  let sim: VenueSim;
  venueSimForSuite('stress', (s) => (sim = s));

  it('has at least 5,000 Polymarket tokens and sends at least 200 book updates per scenario second', async () => {
    const markets: { tokens: { token_id: string }[] }[] = [];
    for (let cursor = 'MA=='; cursor !== 'LTE=';) {
      const page = (await (await fetch(`${sim.origin}/markets?next_cursor=${cursor}`)).json()) as {
        next_cursor: string;
        data: typeof markets;
      };
      markets.push(...page.data);
      cursor = page.next_cursor;
    }
    const tokens = markets.flatMap((m) => m.tokens.map((t) => t.token_id));
    expect(tokens.length).toBeGreaterThanOrEqual(5000);

    const ws = new WebSocket(sim.urls.polymarketWs ?? '');
    await once(ws, 'open');
    let books = 0;
    let changes = 0;
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as
        { event_type?: string; price_changes?: unknown[] } | { event_type: string }[];
      if (Array.isArray(msg)) books += msg.filter((m) => m.event_type === 'book').length;
      else if (msg.event_type === 'price_change') changes += msg.price_changes?.length ?? 0;
    });
    ws.send(JSON.stringify({ assets_ids: tokens, type: 'market' }));
    while (books < tokens.length) await once(ws, 'message');
    await fetch(`${sim.origin}/_sim/advance`, { method: 'POST', body: JSON.stringify({ ms: 1000 }) });
    while (changes < 200) await once(ws, 'message');
    expect(changes).toBeGreaterThanOrEqual(200);
    ws.close();
  });
});

describe('venue-sim CLI', () => {
  it('prints the base URLs when ready and exits 0 on SIGTERM', async () => {
    const cli = fileURLToPath(new URL('../cli/venue-sim.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--scenario', 'quiet', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('polymarketWs')) await once(child.stdout, 'data');
    const clob = /polymarketClob\s+(\S+)/.exec(out)?.[1] ?? '';
    expect((await fetch(`${clob}/time`)).status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
