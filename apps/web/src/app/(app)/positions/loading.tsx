// While the positions page loads: the real heading and placeholders the size of its sections (summary, open
// positions, resolved positions, P&L by day and strategy), so the page does not jump when they arrive.
export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading">
      <h1>Positions</h1>
      <p className="sr-only" role="status">
        Loading your positions…
      </p>
      <div className="skeleton" style={{ height: '110px' }} />
      <div className="skeleton" style={{ height: '260px' }} />
      <div className="skeleton" style={{ height: '220px' }} />
      <div className="grid">
        <div className="skeleton skeleton-card" />
        <div className="skeleton skeleton-card" />
      </div>
    </div>
  );
}
