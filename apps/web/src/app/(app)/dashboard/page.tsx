// Dashboard: live bot status, P&L today and this month, usage vs plan, opportunities and trades.
import { getOwnConfig, listOwnTrades, TradeFilterSchema } from '@polybot/db/user';
import { getOwnBotStatus, TradeRowSchema } from '@polybot/db/user';
import { TradeStrategySchema, TradingModeSchema, VenueIdSchema } from '@polybot/schemas';
import Link from 'next/link';
import { z } from 'zod';
import { ActionForm, FieldErrors, Submit } from '~/components/form.tsx';
import { PnlChart } from '~/components/pnl-chart.tsx';
import { StatusCard } from '~/components/status-card.tsx';
import { TradesTable, type TradeFilters } from '~/components/trades-table.tsx';
import { label, money, STRATEGY_LABELS } from '~/lib/labels.ts';
import { loadPnlCard } from '~/lib/positions-view.ts';
import { asUser, requireClaims } from '~/lib/session.ts';
import { loadStatus } from '~/lib/status.ts';
import { setBotEnabled } from '~/app/actions/config.ts';

export const metadata = { title: 'Dashboard · PolyBot' };
export const dynamic = 'force-dynamic';

const PAGE = 25;
// Unknown filter values are dropped rather than failing the page: a stale bookmark should still open.
const QuerySchema = z.object({
  platform: VenueIdSchema.optional().catch(undefined),
  strategy: TradeStrategySchema.optional().catch(undefined),
  mode: TradingModeSchema.optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  notice: z.enum(['password-updated']).optional().catch(undefined),
});

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const q = QuerySchema.parse(await searchParams);
  const claims = await requireClaims('/dashboard');
  const now = new Date();
  const filter = TradeFilterSchema.parse({
    platform: q.platform,
    strategy: q.strategy,
    mode: q.mode,
    beforeId: q.before,
    limit: PAGE + 1,
  });
  // P&L from the same reads and the same module (pnl.ts) as the positions page, so the two never disagree.
  const { status, config, rows, pnl, bot } = await asUser(claims, async (tx) => ({
    status: await loadStatus(tx),
    config: await getOwnConfig(tx),
    rows: await listOwnTrades(tx, filter),
    pnl: await loadPnlCard(tx, now),
    bot: await getOwnBotStatus(tx),
  }));
  const trades = rows.slice(0, PAGE).map((r) => TradeRowSchema.parse(r));
  const nextBefore = rows.length > PAGE ? (trades.at(-1)?.id ?? null) : null;
  const { today, month, open } = pnl;
  const used = status.tradesThisMonth;
  const limit = status.monthlyTradeLimit;
  const opportunities = bot?.stats.recent_opportunities ?? [];
  const filters: TradeFilters = {
    ...(q.platform ? { platform: q.platform } : {}),
    ...(q.strategy ? { strategy: q.strategy } : {}),
    ...(q.mode ? { mode: q.mode } : {}),
  };

  return (
    <div className="stack">
      <h1>Dashboard</h1>
      {q.notice === 'password-updated' ? (
        <div role="status" className="banner banner-ok">
          Your password has been changed. Use the new one next time you sign in.
        </div>
      ) : null}
      <div className="grid">
        <div className="stack">
          <StatusCard initial={status} />
          {/* A suspended bot cannot run, so pausing or resuming it would promise what cannot happen: the status card
              says why and what to do instead. */}
          {status.state === 'suspended' ? null : (
            <ActionForm action={setBotEnabled} label={config?.bot_enabled ? 'Pause bot' : 'Resume bot'}>
              <input type="hidden" name="bot_enabled" value={config?.bot_enabled ? 'false' : 'true'} />
              <FieldErrors name="bot_enabled" />
              <Submit variant={config?.bot_enabled ? 'secondary' : undefined}>
                {config?.bot_enabled ? 'Pause bot' : 'Resume bot'}
              </Submit>
            </ActionForm>
          )}
        </div>
        <section className="card" aria-labelledby="pnl-h">
          <h2 id="pnl-h">Profit &amp; loss</h2>
          <div className="row" style={{ justifyContent: 'space-between' }}>
            <div>
              <div className="muted">Today</div>
              <div className={`stat ${today < 0 ? 'neg' : ''}`} data-testid="pnl-today">
                {money(today)}
              </div>
            </div>
            <div>
              <div className="muted">This month</div>
              <div className={`stat ${month < 0 ? 'neg' : ''}`} data-testid="pnl-month">
                {money(month)}
              </div>
            </div>
          </div>
          {open.count > 0 ? (
            <p className="hint" data-testid="pnl-marked">
              Realized P&amp;L is booked when a position is sold or its market resolves. Your {open.count} open position
              {open.count === 1 ? '' : 's'} cost {money(open.cost)} and are worth {money(open.markValue)} now:{' '}
              <span data-testid="pnl-unrealized">{money(open.unrealized)}</span> unrealized
              {open.lockedProfit !== 0 ? (
                <>
                  , of which <span data-testid="pnl-locked">{money(open.lockedProfit)}</span> is locked in by arbitrage
                  (paid whatever the outcome)
                </>
              ) : null}
              . <Link href="/positions">See positions</Link>
            </p>
          ) : null}
          <PnlChart days={pnl.days} now={now} />
        </section>
        <section className="card" aria-labelledby="usage-h">
          <h2 id="usage-h">Trades this month</h2>
          <p className="stat" data-testid="usage">
            {used.toLocaleString('en-US')} / {limit.toLocaleString('en-US')}
          </p>
          <div
            className="meter"
            role="meter"
            aria-valuemin={0}
            aria-valuemax={limit}
            aria-valuenow={used}
            aria-label="Trades used this month"
          >
            <span style={{ width: `${limit > 0 ? Math.min(100, (used / limit) * 100) : 100}%` }} />
          </div>
          <p className="hint">When you reach the limit your bot pauses until next month or until you upgrade.</p>
        </section>
      </div>
      <section className="card" aria-labelledby="opp-h">
        <h2 id="opp-h">Recent opportunities</h2>
        {opportunities.length === 0 ? (
          <p className="muted">
            No opportunities reported yet. Your bot lists what it finds here, including the ones it skipped.
          </p>
        ) : (
          <ul>
            {opportunities.map((o, i) => (
              <li key={i} data-testid="opportunity" data-skip-code={o.skip_code ?? undefined}>
                {label(STRATEGY_LABELS, o.strategy)}: {o.description} (expected {money(o.expected_profit_usd)})
                <span className="muted">
                  {' '}
                  {/* Neither taken nor skipped yet: the runner's decision on it was still in flight at its last heartbeat. */}
                  — {o.acted ? 'taken' : o.skip_reason ? `skipped: ${o.skip_reason}` : 'deciding now'}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <TradesTable trades={trades} filters={filters} nextBefore={nextBefore} paged={q.before !== undefined} />
    </div>
  );
}
