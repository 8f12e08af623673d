import type { ReactNode } from 'react';
import { connection } from 'next/server';
import './globals.css';

export const metadata = { title: 'PolyBot', description: 'Your prediction-market trading bot' };
export const viewport = { width: 'device-width', initialScale: 1, colorScheme: 'light dark' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, so its scripts carry that response's CSP nonce (src/proxy.ts): a page prerendered
  // at build time would have none, and the browser would refuse to run it.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
