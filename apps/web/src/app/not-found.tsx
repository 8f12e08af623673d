import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="auth-card card">
      <h1>Not found</h1>
      <p>This page does not exist, or it belongs to another account.</p>
      <p>
        <Link href="/dashboard">Go to your dashboard</Link>
      </p>
    </main>
  );
}
