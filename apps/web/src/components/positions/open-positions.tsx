// Open positions, grouped by basket: an arbitrage's legs sit together under one line that states the profit the
// basket locked in (valued as a basket, not as legs each marked at its bid), a position on its own stands alone.
import Link from 'next/link';
import { label, MODE_LABELS, money, PLATFORM_LABELS, STRATEGY_LABELS } from '~/lib/labels.ts';
import type { BasketView, LegView, OpenView } from '~/lib/positions-view.ts';
import { ago, pnlClass, price, size } from './format.ts';

function MarketCell({ leg }: { leg: LegView }) {
  const r = leg.row;
  return (
    <td className="market" title={r.market_title ?? r.market_id}>
      <span className="market-title">{r.market_title ?? r.market_id.slice(0, 24)}</span>
      <span className="muted market-sub">
        {label(PLATFORM_LABELS, r.platform)} · {r.outcome ?? r.instrument_id} · {label(MODE_LABELS, r.mode)}
        <span className="show-sm">
          {size(r.size)} @ {price(r.avg_price)} · cost {money(r.cost_basis_usd)}
        </span>
      </span>
    </td>
  );
}

function LegRow({ leg, now }: { leg: LegView; now: Date }) {
  const r = leg.row;
  return (
    <tr data-position-id={r.id} className={leg.inBasket > 0 ? 'basket-leg' : undefined}>
      <MarketCell leg={leg} />
      <td className="num hide-sm">{size(r.size)}</td>
      <td className="num hide-sm">{price(r.avg_price)}</td>
      <td className="num hide-sm">{money(r.cost_basis_usd)}</td>
      <td className="num" data-testid="position-mark">
        {price(leg.mark)}
        <span className="muted mark-when">
          {leg.markSource === 'mark' ? `marked ${ago(r.marked_at, now)}` : 'no price yet: at entry'}
        </span>
      </td>
      <td className={`num ${leg.inBasket >= r.size ? '' : pnlClass(leg.unrealized)}`} data-testid="position-unrealized">
        {leg.inBasket >= r.size ? <span className="muted">in basket</span> : money(leg.unrealized)}
      </td>
    </tr>
  );
}

function BasketHead({ basket }: { basket: BasketView }) {
  const locked = basket.locked;
  if (!locked) return null;
  return (
    <tr className="basket-head" data-testid="basket" data-leg-group={basket.legGroupId ?? undefined}>
      <td colSpan={6}>
        <strong>{basket.strategy ? label(STRATEGY_LABELS, basket.strategy) : 'Arbitrage'} basket</strong>{' '}
        <span className="muted">
          {basket.legs.length} legs · {size(locked.sets)} complete sets pay {money(locked.payout)} whatever the outcome,
          cost {money(locked.cost)}
        </span>{' '}
        · locked-in {locked.profit < 0 ? 'loss' : 'profit'}{' '}
        <strong className={pnlClass(locked.profit)} data-testid="basket-locked">
          {money(locked.profit)}
        </strong>
      </td>
    </tr>
  );
}

export function OpenPositions(props: {
  open: OpenView;
  now: Date;
  filtered: boolean;
  /** Baskets listed (newest first); the totals above always count them all. */
  shown: number;
  allHref: string;
}) {
  const { open, now, filtered, shown, allHref } = props;
  // Newest first: what the bot just bought is what a user looks for.
  const listed = open.baskets.slice(-shown).reverse();
  return (
    <section className="card stack" aria-labelledby="open-h">
      <h2 id="open-h">Open positions</h2>
      {open.baskets.length === 0 ? (
        <p className="muted" data-testid="open-empty">
          {filtered
            ? 'No open positions match these filters.'
            : 'No open positions. When your bot buys, each position appears here with its size, cost and current value; the legs of an arbitrage appear together as one basket with the profit it locked in.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Market</th>
                <th className="num hide-sm">Size</th>
                <th className="num hide-sm">Avg price</th>
                <th className="num hide-sm">Cost</th>
                <th className="num">Mark</th>
                <th className="num">Unrealized</th>
              </tr>
            </thead>
            {listed.map((b) => (
              <tbody key={b.key} className={b.locked ? 'basket' : undefined}>
                <BasketHead basket={b} />
                {b.legs.map((leg) => (
                  <LegRow key={leg.row.id} leg={leg} now={now} />
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
      {listed.length < open.baskets.length ? (
        <p className="hint" data-testid="open-more">
          The newest {listed.length} of {open.baskets.length} (baskets count once); the totals above count them all.{' '}
          <Link href={allHref}>Show all open positions</Link>
        </p>
      ) : null}
    </section>
  );
}
