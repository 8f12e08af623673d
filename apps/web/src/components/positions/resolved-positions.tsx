// Resolved positions: how each market ended for the user (won, lost, 50-50, voided), what it paid and the realized
// P&L, and for live money where the payout stands: Polymarket winnings to redeem (with how), Kalshi's payout
// reconciled with the venue's own settlement record.
import Link from 'next/link';
import type { SettlementRow } from '@polybot/db/user';
import { label, MODE_LABELS, money, PLATFORM_LABELS, utc } from '~/lib/labels.ts';
import { pnlClass, price, size } from './format.ts';

const RULE_LABELS: Record<SettlementRow['rule'], string> = {
  won: 'Won',
  lost: 'Lost',
  split: '50-50',
  voided: 'Voided: money back',
};

/** Where the money of a settlement stands: nothing to do (paper), to redeem, redeemed, or checked with Kalshi. */
function PayoutState({ s }: { s: SettlementRow }) {
  if (s.mode === 'paper') return <span className="muted">Paper: nothing to collect</span>;
  if (s.platform === 'polymarket') {
    if (s.redeem_status === 'redeemed')
      return <span>Redeemed{s.venue_reference ? ` (${s.venue_reference})` : ''}</span>;
    if (s.redeem_status === 'redeemable')
      return (
        <details className="redeem" data-testid="redeemable">
          <summary>Redeemable: {money(s.payout_usd)}</summary>
          <p>
            Polymarket does not pay winnings out by itself: the winning shares wait in your wallet until they are
            redeemed, with no deadline. Open polymarket.com with the wallet whose key you gave PolyBot and redeem this
            market from your portfolio (each winning share becomes $1.00: {money(s.payout_usd)} here). Developers can
            call the Conditional Tokens contract&apos;s <code>redeemPositions</code> with the market&apos;s condition id{' '}
            <code className="cond-id">{s.market_id}</code>.
          </p>
        </details>
      );
    return <span className="muted">Nothing to redeem</span>;
  }
  if (s.reconciled_at)
    return (
      <span data-testid="reconciled">
        Reconciled with Kalshi: paid {money(s.venue_payout_usd)}
        {s.venue_payout_usd !== null && Math.abs(s.venue_payout_usd - s.payout_usd) >= 0.005 ? (
          <strong className="neg"> (we expected {money(s.payout_usd)})</strong>
        ) : null}
      </span>
    );
  return <span className="muted">Waiting for Kalshi&apos;s settlement record</span>;
}

export function ResolvedPositions(props: {
  settlements: SettlementRow[];
  filtered: boolean;
  olderHref: string | null;
}) {
  const { settlements, filtered, olderHref } = props;
  return (
    <section className="card stack" aria-labelledby="resolved-h">
      <h2 id="resolved-h">Resolved positions</h2>
      {settlements.length === 0 ? (
        <p className="muted" data-testid="resolved-empty">
          {filtered
            ? 'No resolved positions match these filters.'
            : 'Nothing resolved yet. When a market you hold resolves, the position closes here at its payout — won, lost, 50-50 or voided (money back) — with its realized profit or loss. Markets resolve when the event they ask about is decided, from minutes to months after your bot bought.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="resolved">
            <thead>
              <tr>
                <th className="hide-sm">Resolved (UTC)</th>
                <th>Market</th>
                <th>Outcome</th>
                <th className="num hide-sm">Size</th>
                <th className="num hide-sm">Payout</th>
                <th className="num">Realized</th>
                <th className="hide-sm">Payout status</th>
              </tr>
            </thead>
            <tbody>
              {settlements.map((s) => (
                <tr key={s.id} data-settlement-id={s.id} data-rule={s.rule}>
                  <td className="hide-sm">{utc(s.settled_at).slice(5, 16)}</td>
                  <td className="market" title={s.market_title ?? s.market_id}>
                    <span className="market-title">{s.market_title ?? s.market_id.slice(0, 24)}</span>
                    <span className="muted market-sub">
                      {label(PLATFORM_LABELS, s.platform)} · {s.outcome ?? s.instrument_id} ·{' '}
                      {label(MODE_LABELS, s.mode)}
                      <span className="show-sm">
                        {size(s.size)} × {price(s.payout_per_contract)} = {money(s.payout_usd)} ·{' '}
                        {utc(s.settled_at).slice(5)}
                      </span>
                      {/* Live money's next step must reach a phone too (the column is hidden there). */}
                      {s.mode === 'live' ? (
                        <span className="show-sm">
                          <PayoutState s={s} />
                        </span>
                      ) : null}
                    </span>
                  </td>
                  <td className="wrap" data-testid="settlement-rule">
                    {RULE_LABELS[s.rule]}
                  </td>
                  <td className="num hide-sm">{size(s.size)}</td>
                  <td className="num hide-sm" data-testid="settlement-payout">
                    {money(s.payout_usd)}
                    <span className="muted mark-when">{price(s.payout_per_contract)} each</span>
                  </td>
                  <td className={`num ${pnlClass(s.realized_pnl_usd)}`} data-testid="settlement-realized">
                    {money(s.realized_pnl_usd)}
                  </td>
                  <td className="hide-sm payout-state">
                    <PayoutState s={s} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {olderHref ? <Link href={olderHref}>Older resolved positions →</Link> : null}
    </section>
  );
}
