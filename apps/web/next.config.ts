import type { NextConfig } from 'next';

// The @polybot/* workspace packages export TypeScript sources (with explicit `.ts` import extensions), so Next
// compiles them (@polybot/supabase: its shared billing module, which @polybot/billing re-exports). The venue SDKs
// stay external: they are plain Node packages, and bundling them only slows the build.
const config: NextConfig = {
  transpilePackages: ['@polybot/billing', '@polybot/db', '@polybot/schemas', '@polybot/supabase', '@polybot/venues'],
  serverExternalPackages: [
    'postgres',
    '@polymarket/clob-client-v2',
    'kalshi-typescript',
    'viem',
    'ws',
    'axios',
    'stripe',
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
