// While the dashboard's data loads: the real heading and placeholders the size of the cards that follow, so the
// page does not jump when they arrive.
export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading">
      <h1>Dashboard</h1>
      <p className="sr-only" role="status">
        Loading your dashboard…
      </p>
      <div className="grid">
        <div className="skeleton skeleton-card" />
        <div className="skeleton skeleton-card" />
        <div className="skeleton skeleton-card" />
      </div>
      <div className="skeleton" style={{ height: '120px' }} />
      <div className="skeleton" style={{ height: '220px' }} />
    </div>
  );
}
