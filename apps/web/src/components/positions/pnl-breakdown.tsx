// Realized P&L by day (sales and settlements), and realized + unrealized by strategy and by venue and mode.
import { label, MODE_LABELS, money, PLATFORM_LABELS, STRATEGY_LABELS } from '~/lib/labels.ts';
import type { RealizedView } from '~/lib/positions-view.ts';
import { pnlClass } from './format.ts';

const Money = ({ v, testId }: { v: number; testId?: string }) => (
  <td className={`num ${pnlClass(v)}`} data-testid={testId}>
    {money(v)}
  </td>
);

export function PnlByDay({ realized, days }: { realized: RealizedView; days: number }) {
  const rows = realized.byDay.slice(-days).reverse();
  return (
    <section className="card stack" aria-labelledby="byday-h">
      <h2 id="byday-h">Realized P&amp;L by day</h2>
      {rows.length === 0 ? (
        <p className="muted" data-testid="byday-empty">
          No realized P&amp;L yet. It is booked when your bot sells a position or a market you hold resolves; each day
          with either appears here.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Day (UTC)</th>
                <th className="num">Sales</th>
                <th className="num">Resolutions</th>
                <th className="num">Total</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.day} data-day={d.day}>
                  <td>{d.day}</td>
                  <Money v={d.sales} />
                  <Money v={d.settlements} />
                  <Money v={d.total} testId="day-total" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {realized.byDay.length > days ? <p className="hint">The last {days} days with realized P&amp;L.</p> : null}
    </section>
  );
}

export function PnlByStrategy({ realized }: { realized: RealizedView }) {
  return (
    <section className="card stack" aria-labelledby="bystrategy-h">
      <h2 id="bystrategy-h">By strategy</h2>
      {realized.byStrategy.length === 0 ? (
        <p className="muted" data-testid="bystrategy-empty">
          Each strategy your bot trades gets a line here with what it realized and what its open positions are worth.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Strategy</th>
                <th className="num">Realized</th>
                <th className="num">Unrealized</th>
              </tr>
            </thead>
            <tbody>
              {realized.byStrategy.map((s) => (
                <tr key={s.strategy ?? 'none'} data-strategy={s.strategy ?? 'none'}>
                  <td>{s.strategy ? label(STRATEGY_LABELS, s.strategy) : 'Not recorded'}</td>
                  <Money v={s.realized} testId="strategy-realized" />
                  <Money v={s.unrealized} testId="strategy-unrealized" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {realized.byVenueMode.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="By venue and mode">
            <thead>
              <tr>
                <th>Venue · mode</th>
                <th className="num">Realized</th>
              </tr>
            </thead>
            <tbody>
              {realized.byVenueMode.map((v) => (
                <tr key={`${v.platform}-${v.mode}`} data-venue-mode={`${v.platform}-${v.mode}`}>
                  <td>
                    {label(PLATFORM_LABELS, v.platform)} · {label(MODE_LABELS, v.mode)}
                  </td>
                  <Money v={v.realized} testId="venue-mode-realized" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
