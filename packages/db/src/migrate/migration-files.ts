// Reads supabase/migrations the way the Supabase CLI does: `<version>_<name>.sql`, applied in filename order.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { splitStatements, type SqlStatement } from './split-statements.ts';

export interface MigrationFile {
  /** The digits before the first underscore, e.g. 20261125000100. */
  version: string;
  /** The rest of the file name without `.sql`, e.g. create_profiles. */
  name: string;
  path: string;
  statements: SqlStatement[];
}

const MIGRATION_NAME = /^(\d+)_(.+)\.sql$/;

export async function readMigrationFiles(dir: string): Promise<MigrationFile[]> {
  const entries = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const m = MIGRATION_NAME.exec(entry);
    if (!m || m[1] === undefined || m[2] === undefined) {
      throw new Error(`migration file ${entry} does not match <version>_<name>.sql (the Supabase CLI would skip it)`);
    }
    const [, version, name] = m;
    const clash = seen.get(version);
    if (clash) throw new Error(`migrations ${clash} and ${entry} share version ${version}`);
    seen.set(version, entry);
    const full = path.join(dir, entry);
    files.push({ version, name, path: full, statements: splitStatements(await readFile(full, 'utf8')) });
  }
  return files;
}
