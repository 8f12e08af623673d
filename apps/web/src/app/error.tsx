'use client';
// Something broke on our side. Say so plainly, offer a retry, and give the reference the log has.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="auth-card card" role="alert">
      <h1>Something went wrong</h1>
      <p>Your data is safe and nothing was half-saved. Try again; if it keeps happening, contact support with this reference.</p>
      {error.digest ? <p className="muted">Reference: {error.digest}</p> : null}
      <button className="btn" type="button" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
