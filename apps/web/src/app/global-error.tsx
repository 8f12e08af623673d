'use client';
// The root layout itself failed: no stylesheet to rely on, so inline styles only.
export default function GlobalError({ retry }: { error: Error; retry: () => void }) {
  return (
    <html lang="en">
      <body>
        <main style={{ maxWidth: 420, margin: '10vh auto', padding: '0 1rem', fontFamily: 'system-ui' }}>
          <h1>PolyBot is having trouble</h1>
          <p>Reload the page in a minute. Your bot keeps running on our servers either way.</p>
          <button type="button" onClick={() => retry()}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
