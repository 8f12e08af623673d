// Cumulative realized P&L over the month as an SVG line: no chart library, fixed viewBox (no layout shift).

/** Realized P&L of one UTC day (`YYYY-MM-DD`), as pnl.ts summarizePnl(…, 'day') gives it. */
export interface PnlDay {
  day: string;
  pnl: number;
}

export function PnlChart({ days, now }: { days: PnlDay[]; now: Date }) {
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const today = now.getUTCDate();
  const byDay = new Map(days.map((d) => [Number(d.day.slice(8, 10)), d.pnl]));
  const points: number[] = [];
  let total = 0;
  for (let d = 1; d <= today; d++) {
    total += byDay.get(d) ?? 0;
    points.push(total);
  }
  const W = 600;
  const H = 160;
  // A month that is flat at zero draws its line mid-chart, not along the bottom edge.
  const flat = points.every((v) => v === 0);
  const min = flat ? -1 : Math.min(0, ...points);
  const max = flat ? 1 : Math.max(0, ...points);
  const span = max - min;
  const x = (i: number) => (i / Math.max(1, daysInMonth - 1)) * W;
  const y = (v: number) => H - ((v - min) / span) * (H - 10) - 5;
  const path = points.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  // The month's first and last day under the chart, so a line that stops mid-width reads as "so far this month".
  const month = now.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const axis = (
    <div className="chart-axis muted" aria-hidden="true">
      <span>{month} 1</span>
      <span>
        {month} {daysInMonth}
      </span>
    </div>
  );
  // Same height as the chart, so the card does not jump when the first trade arrives.
  if (days.length === 0) {
    return (
      <div>
        <div className="chart chart-empty muted" data-testid="pnl-empty">
          No realized P&amp;L this month yet. It is booked when a position is sold or its market resolves; the running
          total appears here.
        </div>
        {axis}
      </div>
    );
  }
  return (
    <div>
      <svg
        className="chart"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Cumulative P&L this month: $${total.toFixed(2)}`}
      >
        <line x1="0" x2={W} y1={y(0)} y2={y(0)} stroke="currentColor" strokeOpacity="0.25" strokeDasharray="4 4" />
        {points.length > 0 ? (
          <path d={path} fill="none" stroke="var(--accent)" strokeWidth="2.5" vectorEffect="non-scaling-stroke" />
        ) : null}
      </svg>
      {axis}
    </div>
  );
}
