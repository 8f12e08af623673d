export default function Loading() {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading">
      <div className="skeleton" style={{ height: '2rem', width: '40%' }} />
      <div className="grid">
        <div className="skeleton" style={{ height: '170px' }} />
        <div className="skeleton" style={{ height: '170px' }} />
        <div className="skeleton" style={{ height: '170px' }} />
      </div>
    </div>
  );
}
