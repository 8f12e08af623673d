// Where the repository's Supabase project lives, wherever the caller runs from.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../supabase/migrations', import.meta.url));
export const SEED_FILE = fileURLToPath(new URL('../../../../supabase/seed.sql', import.meta.url));
/** Persistent local state for `npm start` (gitignored). */
export const LOCAL_STATE_DIR = fileURLToPath(new URL('../../../../.local', import.meta.url));
