import type { NextConfig } from 'next';
import { SECURITY_HEADERS } from './src/lib/security-headers.ts';

// The @polybot/* workspace packages export TypeScript sources (with explicit `.ts` import extensions), so Next
// compiles them (@polybot/supabase: its shared billing module, which @polybot/billing re-exports). The venue SDKs
// stay external: they are plain Node packages, and bundling them only slows the build.
const config: NextConfig = {
  transpilePackages: [
    '@polybot/billing',
    '@polybot/db',
    '@polybot/notify',
    '@polybot/schemas',
    '@polybot/supabase',
    '@polybot/venues',
  ],
  serverExternalPackages: [
    'postgres',
    '@polymarket/clob-client-v2',
    'kalshi-typescript',
    'viem',
    'ws',
    'axios',
    'stripe',
    'grammy',
    'nodemailer',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  // Every path, static files included; the per-request Content-Security-Policy is the proxy's (src/proxy.ts).
  headers: async () => [{ source: '/:path*', headers: [...SECURITY_HEADERS] }],
};

export default config;
