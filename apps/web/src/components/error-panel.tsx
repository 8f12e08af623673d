'use client';
// What an error page says: something broke on our side, nothing was half-saved, what to do, and the reference the
// server log has. retry() fetches the page again from the server (reset() would only re-render what had failed).
import Link from 'next/link';

export function ErrorPanel({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <div className="auth-card card stack" role="alert">
      <h1>Something went wrong</h1>
      <p>
        Your data is safe and nothing was half-saved, and your bot keeps running on our servers. Try again in a moment.
      </p>
      <p>If it keeps happening, contact support and quote this reference.</p>
      {error.digest ? (
        <p className="muted" data-testid="error-reference">
          Reference: {error.digest}
        </p>
      ) : null}
      <div className="row" style={{ gap: '1rem' }}>
        <button className="btn" type="button" onClick={() => retry()}>
          Try again
        </button>
        <Link href="/dashboard">Go to your dashboard</Link>
      </div>
    </div>
  );
}
