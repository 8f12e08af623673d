// One postgres.js pool per server process. User data is only ever read through withUser (RLS), see lib/session.ts.
import 'server-only';
import { createDb, type Db } from '@polybot/db';
import { serverEnv } from '~/env.ts';

// Survives Next's dev hot reloads, which re-evaluate modules and would otherwise leak a pool per edit.
const holder = globalThis as typeof globalThis & { polybotWebDb?: Db };

export function db(): Db {
  const env = serverEnv();
  holder.polybotWebDb ??= createDb(env.DATABASE_URL, { max: env.DB_POOL_MAX, applicationName: 'polybot-web' });
  return holder.polybotWebDb;
}
