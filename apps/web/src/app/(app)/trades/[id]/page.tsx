// One trade. The id comes from the URL, so RLS decides: another user's trade is simply not found.
import { getOwnTrade } from '@polybot/db/user';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { z } from 'zod';
import { label, MODE_LABELS, money, PLATFORM_LABELS, STATUS_LABELS, STRATEGY_LABELS, utc } from '~/lib/labels.ts';
import { asUser, requireClaims } from '~/lib/session.ts';

export const metadata = { title: 'Trade · PolyBot' };

export default async function TradePage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = z.coerce
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .safeParse((await params).id);
  if (!parsed.success) notFound();
  const claims = await requireClaims();
  const t = await asUser(claims, (tx) => getOwnTrade(tx, parsed.data));
  if (!t) notFound();
  const rows: [string, ReactNode][] = [
    ['When', utc(t.created_at)],
    ['Venue', label(PLATFORM_LABELS, t.platform)],
    ['Market', t.market_title ?? <code key="m">{t.market_id}</code>],
    ...(t.market_title ? ([['Market id', <code key="m">{t.market_id}</code>]] as [string, ReactNode][]) : []),
    ['Instrument', <code key="i">{t.instrument_id}</code>],
    ['Order', `${t.side === 'buy' ? 'Buy' : 'Sell'} ${t.outcome ?? ''}`.trim()],
    ['Strategy', label(STRATEGY_LABELS, t.strategy)],
    ['Mode', label(MODE_LABELS, t.mode)],
    ['Status', label(STATUS_LABELS, t.status)],
    ['Average price', t.price === null ? '—' : `$${t.price.toFixed(3)} per contract`],
    ['Filled', `${t.filled_size} of ${t.size} contracts`],
    ['Notional', money(t.notional_usd)],
    ['Fees', money(t.fee)],
    ['Realized P&L', t.realized_pnl_usd === null ? 'Not known yet' : money(t.realized_pnl_usd)],
  ];
  return (
    <div className="stack">
      <p>
        <Link href="/dashboard">← All trades</Link>
      </p>
      <section className="card stack" aria-labelledby="trade-h">
        <h1 id="trade-h">Trade #{t.id}</h1>
        <dl className="detail">
          {rows.map(([k, v]) => (
            <div key={k} style={{ display: 'contents' }}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
