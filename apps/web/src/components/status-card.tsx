'use client';
// Live bot status: polls /api/status every 3 s (a Supabase Realtime channel would need the platform's realtime
// server; polling a cheap route works everywhere). Fixed-height card so updates never shift the layout. When a poll
// brings a new trade or opportunity, the page's server parts (trades, P&L, usage, opportunities) are re-rendered in
// place with router.refresh(): the dashboard is live as a whole, not only this card.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import type { StatusView } from '~/lib/status.ts';

function age(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  return s < 90 ? `${s}s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export function StatusCard({ initial }: { initial: StatusView }) {
  const router = useRouter();
  const [view, setView] = useState(initial);
  // The server's time for the first render (see StatusView.at), the browser's from the first poll on.
  const [now, setNow] = useState(() => Date.parse(initial.at));
  const [stale, setStale] = useState(false);
  // What the rendered page's lists show; a poll with something newer re-renders them.
  const shownLists = useRef(initial.listsVersion);
  useEffect(() => {
    let alive = true;
    const tick = async () => {
      try {
        const res = await fetch('/api/status', { cache: 'no-store' });
        if (!res.ok) throw new Error(String(res.status));
        const next = (await res.json()) as StatusView;
        if (alive) {
          setView(next);
          setStale(false);
          if (next.listsVersion !== shownLists.current) {
            shownLists.current = next.listsVersion;
            router.refresh();
          }
        }
      } catch {
        if (alive) setStale(true);
      }
      if (alive) setNow(Date.now());
    };
    // tick catches its own errors (the card turns stale), so nothing is lost by not awaiting it.
    const timer = setInterval(() => void tick(), 3000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [router]);
  const applied = view.appliedVersion !== null && view.appliedVersion === view.configVersion;
  return (
    <section className="card status-card stack" aria-labelledby="status-h" data-testid="bot-status">
      <div className="row">
        <h2 id="status-h" style={{ margin: 0 }}>
          Bot
        </h2>
        <span className={`badge ${view.mode === 'live' ? 'badge-live' : 'badge-paper'}`} data-testid="mode-badge">
          {view.mode === 'live' ? 'LIVE — real money' : 'PAPER — no real money'}
        </span>
      </div>
      <p style={{ margin: 0 }} aria-live="polite">
        <span className={`state state-${view.pause === 'paused' ? 'paused' : view.state}`} data-testid="bot-state">
          {view.stateLabel}
        </span>
        {view.pause === 'paused' ? <span className="muted"> by you</span> : null}
        {view.pause === 'pausing' ? <span className="muted"> · pausing as you asked…</span> : null}
        {view.reason ? (
          <span className="muted" data-testid="bot-reason">
            {' '}
            — {view.reason}
          </span>
        ) : null}
      </p>
      {view.advice ? (
        <p className="banner banner-warn" style={{ margin: 0 }} data-testid="bot-advice">
          {view.advice.text}{' '}
          <Link href={view.advice.href} style={{ whiteSpace: 'nowrap' }}>
            Open {view.advice.link}
          </Link>
        </p>
      ) : null}
      <p className="muted" style={{ margin: 0 }}>
        {view.state === 'suspended'
          ? 'Not running while suspended'
          : view.pause === 'paused'
            ? 'Not running while paused'
            : `Heartbeat ${age(view.heartbeatAt, now)}`}
        {view.startedAt ? (
          <span data-testid="bot-started" data-started-at={view.startedAt}>
            {' '}
            · started {age(view.startedAt, now)}
          </span>
        ) : null}{' '}
        · settings v<span data-testid="config-version">{view.configVersion ?? '—'}</span>
        {view.state === 'suspended'
          ? ''
          : view.pause === 'paused'
            ? ', used when you resume'
            : `, ${applied ? 'applied' : view.appliedVersion === null ? 'not yet picked up' : `bot on v${view.appliedVersion}`}`}
        {stale ? ' · connection lost, retrying' : ''}
      </p>
      <p style={{ margin: 0 }} data-testid="bot-plan">
        <Link href="/settings/billing">
          {view.planName} plan · {view.monthlyTradeLimit.toLocaleString('en-US')} trades/month
        </Link>
        {view.botPlanName ? (
          <span className="muted"> · your bot still runs on {view.botPlanName} and restarts with it in a moment</span>
        ) : null}
        {view.botOnPlan ? <span className="muted"> · your bot runs on it</span> : null}
      </p>
      {view.ignoredNewsRules > 0 ? (
        <p className="banner banner-warn" style={{ margin: 0 }} data-testid="ignored-rules-warning">
          {view.ignoredNewsRules} news rule{view.ignoredNewsRules === 1 ? '' : 's'} ignored — see{' '}
          <Link href="/settings/config#news-rules" style={{ whiteSpace: 'nowrap' }}>
            Settings → Config
          </Link>
        </p>
      ) : null}
      {view.problem ? (
        <p role="alert" className="banner banner-error" style={{ margin: 0 }} data-testid="bot-problem">
          {view.problem}
        </p>
      ) : null}
    </section>
  );
}
