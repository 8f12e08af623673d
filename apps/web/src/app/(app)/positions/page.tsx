// Positions: what the user holds (grouped by basket, valued by the P&L module), what resolved and how, and realized
// P&L by day and by strategy — from the same reads and the same module as the dashboard's P&L card.
import { listOwnPositionsToValue, listOwnRealizedBuckets, listOwnSettlements } from '@polybot/db/user';
import { TradingModeSchema, VenueIdSchema } from '@polybot/schemas';
import Link from 'next/link';
import { z } from 'zod';
import { OpenPositions } from '~/components/positions/open-positions.tsx';
import { PnlByDay, PnlByStrategy } from '~/components/positions/pnl-breakdown.tsx';
import { PositionsSummary } from '~/components/positions/summary.tsx';
import { ResolvedPositions } from '~/components/positions/resolved-positions.tsx';
import { MODE_LABELS, PLATFORM_LABELS } from '~/lib/labels.ts';
import { openView, realizedView } from '~/lib/positions-view.ts';
import { asUser, requireClaims } from '~/lib/session.ts';

export const metadata = { title: 'Positions · PolyBot' };
export const dynamic = 'force-dynamic';

const RESOLVED_PAGE = 50;
// Open positions listed by default (baskets count once); every one of them counts in the totals either way. A user
// with a thousand open positions gets a page in a fraction of a second, and "Show all" when they want the list.
const OPEN_SHOWN = 100;
const DAYS_SHOWN = 30;
// Unknown filter values are dropped rather than failing the page: a stale bookmark should still open.
const QuerySchema = z.object({
  platform: VenueIdSchema.optional().catch(undefined),
  mode: TradingModeSchema.optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  open: z.literal('all').optional().catch(undefined),
});

function FilterSelect(props: { name: string; label: string; value?: string; options: Record<string, string> }) {
  return (
    <div className="field">
      <label htmlFor={`pf-${props.name}`}>{props.label}</label>
      <select id={`pf-${props.name}`} name={props.name} defaultValue={props.value ?? ''}>
        <option value="">All</option>
        {Object.entries(props.options).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}

export default async function PositionsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const q = QuerySchema.parse(await searchParams);
  const claims = await requireClaims('/positions');
  const now = new Date();
  const filter = { platform: q.platform, mode: q.mode };
  const { rows, settlements, buckets } = await asUser(claims, async (tx) => ({
    rows: await listOwnPositionsToValue(tx, { mode: q.mode }),
    settlements: await listOwnSettlements(tx, { ...filter, beforeId: q.before, limit: RESOLVED_PAGE + 1 }),
    buckets: await listOwnRealizedBuckets(tx, filter),
  }));
  const open = openView(rows, q.platform);
  const realized = realizedView(buckets, open);
  const shown = settlements.slice(0, RESOLVED_PAGE);
  const filtered = Boolean(q.platform || q.mode);
  const params = (extra: Record<string, string>) =>
    new URLSearchParams({
      ...(q.platform ? { platform: q.platform } : {}),
      ...(q.mode ? { mode: q.mode } : {}),
      ...extra,
    }).toString();
  const olderHref =
    settlements.length > RESOLVED_PAGE ? `/positions?${params({ before: String(shown.at(-1)?.id ?? 0) })}` : null;

  return (
    <div className="stack">
      <h1>Positions</h1>
      <form method="get" className="row" aria-label="Filter positions" style={{ alignItems: 'flex-end' }}>
        <FilterSelect name="platform" label="Venue" value={q.platform} options={PLATFORM_LABELS} />
        <FilterSelect name="mode" label="Mode" value={q.mode} options={MODE_LABELS} />
        <button type="submit" className="btn btn-secondary">
          Filter
        </button>
        {filtered ? <Link href="/positions">Show all</Link> : null}
      </form>
      <PositionsSummary open={open} realized={realized.total} />
      <OpenPositions
        open={open}
        now={now}
        filtered={filtered}
        shown={q.open === 'all' ? open.baskets.length : OPEN_SHOWN}
        allHref={`/positions?${params({ open: 'all' })}`}
      />
      <ResolvedPositions settlements={shown} filtered={filtered || q.before !== undefined} olderHref={olderHref} />
      <div className="grid">
        <PnlByDay realized={realized} days={DAYS_SHOWN} />
        <PnlByStrategy realized={realized} />
      </div>
    </div>
  );
}
