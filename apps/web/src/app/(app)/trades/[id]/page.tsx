// One trade. The id comes from the URL, so RLS decides: another user's trade is simply not found.
import { notFound } from 'next/navigation';
import { z } from 'zod';
import { getOwnTrade } from '../../../../lib/data.ts';
import { asUser, requireClaims } from '../../../../lib/session.ts';

export default async function TradePage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse((await params).id);
  if (!parsed.success) notFound();
  const claims = await requireClaims();
  const trade = await asUser(claims, (tx) => getOwnTrade(tx, parsed.data));
  if (!trade) notFound();
  return (
    <section className="card stack">
      <h1>Trade #{trade.id}</h1>
      <dl>
        {Object.entries(trade).map(([k, v]) => (
          <div key={k} className="row">
            <dt className="muted">{k}</dt>
            <dd style={{ margin: 0 }}>{v instanceof Date ? v.toISOString() : String(v ?? '—')}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
