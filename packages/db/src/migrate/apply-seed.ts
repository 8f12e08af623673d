// Seeds are not migrations: the CLI runs supabase/seed.sql after migrations on `db reset` and records its hash in
// supabase_migrations.seed_files, so we do the same.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Sql } from 'postgres';

export async function applySeed(sql: Sql, seedPath: string, recordedPath = 'supabase/seed.sql'): Promise<void> {
  const text = await readFile(seedPath, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex');
  await sql.begin(async (tx) => {
    await tx.unsafe(text).simple();
    await tx`
      insert into supabase_migrations.seed_files (path, hash) values (${recordedPath}, ${hash})
      on conflict (path) do update set hash = excluded.hash`;
  });
}
