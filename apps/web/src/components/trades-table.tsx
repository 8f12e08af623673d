// Trades with filters (a plain GET form, so filters live in the URL) and keyset pagination ("older").
import Link from 'next/link';
import type { TradeRow } from '../lib/data.ts';

export interface TradeFilters {
  platform?: string;
  strategy?: string;
  mode?: string;
}

const money = (v: number | null) => (v === null ? '—' : `${v < 0 ? '−' : ''}$${Math.abs(v).toFixed(2)}`);

function Select({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: [string, string][] }) {
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name} defaultValue={value ?? ''}>
        <option value="">All</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TradesTable({ trades, filters, nextBefore }: { trades: TradeRow[]; filters: TradeFilters; nextBefore: number | null }) {
  const qs = (extra: Record<string, string>) => new URLSearchParams({ ...(filters as Record<string, string>), ...extra }).toString();
  return (
    <section className="card stack" aria-labelledby="trades-h">
      <h2 id="trades-h">Trades</h2>
      <form method="get" className="row" aria-label="Filter trades" style={{ alignItems: 'flex-end' }}>
        <Select name="platform" label="Venue" value={filters.platform} options={[['polymarket', 'Polymarket'], ['kalshi', 'Kalshi']]} />
        <Select
          name="strategy"
          label="Strategy"
          value={filters.strategy}
          options={[['single_platform', 'Single-platform'], ['cross_platform', 'Cross-platform'], ['overlapping', 'Overlapping'], ['news', 'News'], ['copy_trading', 'Copy'], ['unwind', 'Unwind']]}
        />
        <Select name="mode" label="Mode" value={filters.mode} options={[['paper', 'Paper'], ['live', 'Live']]} />
        <button type="submit" className="btn btn-secondary">
          Filter
        </button>
      </form>
      {trades.length === 0 ? (
        <p className="muted" data-testid="trades-empty">
          No trades yet. When your bot finds an opportunity within your limits, its trades appear here.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Venue</th>
                <th>Market</th>
                <th>Side</th>
                <th>Strategy</th>
                <th>Mode</th>
                <th className="num">Price</th>
                <th className="num">Filled</th>
                <th className="num">P&amp;L</th>
              </tr>
            </thead>
            <tbody>
              {trades.map((t) => (
                <tr key={t.id} data-trade-id={t.id}>
                  <td>
                    <Link href={`/trades/${t.id}`}>{t.created_at.toISOString().slice(5, 16).replace('T', ' ')}</Link>
                  </td>
                  <td>{t.platform}</td>
                  <td title={t.market_id}>{t.market_id.slice(0, 24)}</td>
                  <td>
                    {t.side} {t.outcome ?? ''}
                  </td>
                  <td>{t.strategy}</td>
                  <td>{t.mode}</td>
                  <td className="num">{t.price?.toFixed(3) ?? '—'}</td>
                  <td className="num">{t.filled_size}</td>
                  <td className={`num ${(t.realized_pnl_usd ?? 0) < 0 ? 'neg' : 'pos'}`}>{money(t.realized_pnl_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        {nextBefore !== null ? <Link href={`/dashboard?${qs({ before: String(nextBefore) })}`}>Older trades →</Link> : null}
      </div>
    </section>
  );
}
