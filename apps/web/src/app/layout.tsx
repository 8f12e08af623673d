import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'PolyBot', description: 'Your prediction-market trading bot' };
export const viewport = { width: 'device-width', initialScale: 1, colorScheme: 'light dark' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
