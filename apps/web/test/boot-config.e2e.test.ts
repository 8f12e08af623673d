// `next start` (production) refuses to run on a bad configuration: it exits at boot naming the variable, rather than
// serving 500s from a process that looks healthy (src/instrumentation.ts, src/env.ts; docs/SECURITY.md §9).
import { findFreePort } from '@polybot/local-stack/postgres';
import { expect, test } from 'vitest';
import { startWeb } from '../scripts/start-web.ts';

test('next start without APP_URL in production exits at boot, naming APP_URL', async () => {
  const port = await findFreePort();
  const started = startWeb({
    port,
    env: {
      // Never reached: the configuration is refused before any connection.
      DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:9/none',
      NEXT_PUBLIC_SUPABASE_URL: 'http://127.0.0.1:9',
      NEXT_PUBLIC_SUPABASE_ANON_KEY: 'x'.repeat(40),
      APP_URL: '',
    },
  });
  await expect(started).rejects.toThrow(/next start exited 1[\s\S]*not starting, bad configuration[\s\S]*APP_URL/);
});
