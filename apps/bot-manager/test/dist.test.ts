// The production build: `npm run build` (src/build/dist.ts) compiles the manager and its runner into dist/, and
// `node dist/main.js` — no tsx, no esbuild, nothing a production install (no devDependencies) lacks — supervises
// runners forked from dist/runner/. The manager run from sources (every other suite) bundles its runner on demand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { APP_DIR } from '../src/build/esbuild-options.ts';
import { buildDist, DIST_MAIN, DIST_RUNNER } from '../src/build/dist.ts';
import { childrenOf, createUser, statusOf, until } from './harness.ts';
import { spawnManagerProcess } from './manager-process.ts';
import { useManagerStack } from './stack.ts';

const stack = useManagerStack();
let built: { external: string[]; inputs: string[] };

beforeAll(async () => {
  built = await buildDist();
});

interface Manifest {
  dependencies?: Record<string, string>;
}
const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Packages a production install brings: this app's dependencies and, through workspace packages, theirs. */
function productionPackages(): Set<string> {
  const out = new Set<string>();
  const visit = (m: Manifest): void => {
    for (const name of Object.keys(m.dependencies ?? {})) {
      if (out.has(name)) continue;
      out.add(name);
      if (name.startsWith('@polybot/'))
        visit(manifestOf(join(APP_DIR, '../../packages', name.slice('@polybot/'.length))));
    }
  };
  visit(manifestOf(APP_DIR));
  return out;
}

test('dist/ loads only production dependencies at run time, and bundles no test scaffolding', () => {
  const prod = productionPackages();
  const packages = built.external
    .filter((p) => !p.startsWith('node:'))
    .map((p) => (p.startsWith('@') ? p.split('/').slice(0, 2).join('/') : (p.split('/')[0] ?? p)));
  expect(packages.length).toBeGreaterThan(0);
  for (const p of packages) expect(prod, `${p} is imported at run time`).toContain(p);
  for (const tool of ['esbuild', 'tsx', 'vitest']) expect(packages).not.toContain(tool);
  expect(built.inputs.filter((f) => f.includes('local-stack') || /\.test\.ts$/.test(f))).toEqual([]);
});

test('node dist/main.js runs a user’s bot on the prebuilt runner and stops cleanly on SIGTERM', async () => {
  const u = await createUser(stack.db);
  const { proc, output, exited } = spawnManagerProcess([DIST_MAIN], {
    databaseUrl: stack.managerUrl,
    venueUrls: stack.urls,
    env: { LOG_LEVEL: 'warn' },
  });
  try {
    const mpid = proc.pid ?? 0;
    await until(
      async () => (await statusOf(stack.db.sql, u.id)).state === 'running',
      `running (output: ${output()})`,
      90_000,
    );
    const children = childrenOf(mpid);
    expect(children).toHaveLength(1);
    const argv = readFileSync(`/proc/${children[0]}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain(DIST_RUNNER);
    expect(readFileSync(`/proc/${mpid}/cmdline`, 'utf8').split('\0')).not.toContain('tsx');
    expect(argv.join(' ')).not.toMatch(/tsx|\.runner-bundle/);
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await statusOf(stack.db.sql, u.id)).state).toBe('stopped');
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  }
});
