// The positions page's headline: realized to date, what the open positions are worth against their cost, and how
// much of that is profit an arbitrage basket has locked in whatever the outcome.
import { money } from '~/lib/labels.ts';
import type { OpenView } from '~/lib/positions-view.ts';
import { pnlClass } from './format.ts';

function Stat({ title, value, testId, hint }: { title: string; value: number; testId: string; hint?: string }) {
  return (
    <div>
      <div className="muted">{title}</div>
      <div className={`stat ${pnlClass(value)}`} data-testid={testId}>
        {money(value)}
      </div>
      {hint ? <div className="hint">{hint}</div> : null}
    </div>
  );
}

export function PositionsSummary({ open, realized }: { open: OpenView; realized: number }) {
  return (
    <section className="card" aria-labelledby="summary-h">
      <h2 id="summary-h" className="sr-only">
        Summary
      </h2>
      <div className="row summary">
        <Stat title="Realized" value={realized} testId="pos-realized" hint="sales and resolved markets" />
        <Stat
          title="Unrealized"
          value={open.unrealized}
          testId="pos-unrealized"
          hint={`${open.count} open position${open.count === 1 ? '' : 's'}, cost ${money(open.cost)}`}
        />
        {open.lockedProfit !== 0 ? (
          <Stat
            title="Locked in by arbitrage"
            value={open.lockedProfit}
            testId="pos-locked"
            hint="paid whatever the outcome; part of unrealized"
          />
        ) : null}
      </div>
    </section>
  );
}
