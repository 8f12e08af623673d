export { applyMigrations, MigrationError, type MigrationReport } from './apply-migrations.ts';
export { readMigrationFiles, type MigrationFile } from './migration-files.ts';
export { splitStatements, type SqlStatement } from './split-statements.ts';
export { applySeed } from './apply-seed.ts';
