'use client';
export default function GlobalError({ reset }: { error: Error; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <main style={{ maxWidth: 420, margin: '10vh auto', fontFamily: 'system-ui' }}>
          <h1>PolyBot is having trouble</h1>
          <p>Reload the page in a minute. Your bot keeps running on our servers either way.</p>
          <button type="button" onClick={reset}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}
