// Trades with filters (a plain GET form, so filters live in the URL) and keyset pagination ("older").
import Link from 'next/link';
import type { TradeRow } from '@polybot/db/user';
import { label, MODE_LABELS, money, PLATFORM_LABELS, STRATEGY_LABELS } from '~/lib/labels.ts';

export interface TradeFilters {
  platform?: string;
  strategy?: string;
  mode?: string;
}

const pnlClass = (v: number | null) => (v === null || v === 0 ? '' : v < 0 ? 'neg' : 'pos');
const options = (labels: Record<string, string>): [string, string][] => Object.entries(labels);

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: [string, string][];
}) {
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

export function TradesTable(props: {
  trades: TradeRow[];
  filters: TradeFilters;
  nextBefore: number | null;
  paged?: boolean;
}) {
  const { trades, filters, nextBefore, paged = false } = props;
  const filtered = paged || Object.values(filters).some(Boolean);
  const qs = (extra: Record<string, string>) =>
    new URLSearchParams({ ...(filters as Record<string, string>), ...extra }).toString();
  return (
    <section className="card stack" aria-labelledby="trades-h">
      <h2 id="trades-h">Trades</h2>
      <form method="get" className="row" aria-label="Filter trades" style={{ alignItems: 'flex-end' }}>
        <Select name="platform" label="Venue" value={filters.platform} options={options(PLATFORM_LABELS)} />
        <Select name="strategy" label="Strategy" value={filters.strategy} options={options(STRATEGY_LABELS)} />
        <Select name="mode" label="Mode" value={filters.mode} options={options(MODE_LABELS)} />
        <button type="submit" className="btn btn-secondary">
          Filter
        </button>
      </form>
      {trades.length === 0 ? (
        filtered ? (
          <p className="muted" data-testid="trades-empty">
            No trades match {paged ? 'here' : 'these filters'}. <Link href="/dashboard">Show all trades</Link>
          </p>
        ) : (
          <p className="muted" data-testid="trades-empty">
            No trades yet. When your bot finds an opportunity within your limits, its trades appear here.
          </p>
        )
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th className="hide-sm">Venue</th>
                <th>Market</th>
                <th className="hide-sm">Side</th>
                <th className="hide-sm">Strategy</th>
                <th className="hide-sm">Mode</th>
                <th className="num hide-sm">Price</th>
                <th className="num hide-sm">Filled</th>
                <th className="num">P&amp;L</th>
              </tr>
            </thead>
            <tbody>
              {trades.map((t) => (
                <tr key={t.id} data-trade-id={t.id}>
                  <td>
                    <Link href={`/trades/${t.id}`}>{t.created_at.toISOString().slice(5, 16).replace('T', ' ')}</Link>
                  </td>
                  <td className="hide-sm">{label(PLATFORM_LABELS, t.platform)}</td>
                  <td className="market" title={t.market_title ?? t.market_id}>
                    <span className="market-title">{t.market_title ?? t.market_id.slice(0, 24)}</span>
                    {/* At phone width the venue and side columns are hidden: they ride under the market instead. */}
                    <span className="show-sm muted market-sub">
                      {label(PLATFORM_LABELS, t.platform)} · {t.side} {t.outcome ?? ''}
                    </span>
                  </td>
                  <td className="hide-sm">
                    {t.side} {t.outcome ?? ''}
                  </td>
                  <td className="hide-sm">{label(STRATEGY_LABELS, t.strategy)}</td>
                  <td className="hide-sm">{label(MODE_LABELS, t.mode)}</td>
                  <td className="num hide-sm">{t.price?.toFixed(3) ?? '—'}</td>
                  <td className="num hide-sm">{t.filled_size}</td>
                  <td className={`num ${pnlClass(t.realized_pnl_usd)}`}>{money(t.realized_pnl_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="row">
        {nextBefore !== null ? (
          <Link href={`/dashboard?${qs({ before: String(nextBefore) })}`}>Older trades →</Link>
        ) : null}
      </div>
    </section>
  );
}
