// The runner runs as precompiled JavaScript, not through tsx: loading tsx's loader and compiling TypeScript in every
// child costs tens of MB and seconds per runner. In production it was built with the manager (`npm run build`,
// runner-entry.ts); a manager run from sources (tsx, tests, `npm start`) bundles src/runner/main.ts here, with the
// same options (build/esbuild-options.ts), into a gitignored directory named by a hash of every source file it was
// built from; a manager (re)start whose sources are unchanged reuses it.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as Esbuild from 'esbuild';
import { z } from 'zod';
import { APP_DIR, describeBuildError, RUNNER_SOURCE, runnerBuildOptions } from '../build/esbuild-options.ts';
/** Gitignored (apps/bot-manager/.gitignore). Inside the app so that Node finds node_modules from the bundle. */
export const BUNDLE_ROOT = join(APP_DIR, '.runner-bundle');
const MANIFEST = join(BUNDLE_ROOT, 'current.json');
/** Builds other managers may still fork from (or load lazy chunks from) are kept this long. */
const KEEP_OLD_MS = 24 * 3600_000;

const ManifestSchema = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), inputs: z.array(z.string()).min(1) });

export class RunnerBundleError extends Error {
  override readonly name = 'RunnerBundleError';
}

async function hashInputs(inputs: readonly string[]): Promise<string | null> {
  const h = createHash('sha256');
  for (const file of [...inputs].sort()) {
    try {
      h.update(file)
        .update('\0')
        .update(await readFile(resolve(APP_DIR, file)))
        .update('\0');
    } catch {
      return null; // an input vanished: rebuild
    }
  }
  return h.digest('hex');
}

async function cached(): Promise<string | null> {
  try {
    const m = ManifestSchema.parse(JSON.parse(await readFile(MANIFEST, 'utf8')));
    const entry = join(BUNDLE_ROOT, m.hash, 'main.mjs');
    if (!existsSync(entry)) return null;
    return (await hashInputs(m.inputs)) === m.hash ? entry : null;
  } catch {
    return null;
  }
}

async function build(): Promise<string> {
  // Imported here, not statically: without esbuild the manager still starts and says why it cannot fork.
  let esbuild: typeof Esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new RunnerBundleError(
      `cannot bundle the runner: esbuild is not installed (${e instanceof Error ? e.message : String(e)}); run npm ci`,
    );
  }
  await mkdir(BUNDLE_ROOT, { recursive: true });
  const tmp = join(BUNDLE_ROOT, `tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  let result: Esbuild.BuildResult<ReturnType<typeof runnerBuildOptions>>;
  try {
    result = await esbuild.build(runnerBuildOptions(tmp));
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    await esbuild.stop();
    throw new RunnerBundleError(`bundling the runner (${RUNNER_SOURCE}) with esbuild failed: ${describeBuildError(e)}`);
  }
  // One build per manager: its esbuild service process is not kept as an idle child beside the runners.
  await esbuild.stop();
  const inputs = Object.keys(result.metafile.inputs);
  const hash = await hashInputs(inputs);
  if (!hash)
    throw new RunnerBundleError('bundling the runner: a source file changed while it was being bundled; try again');
  const dir = join(BUNDLE_ROOT, hash);
  if (existsSync(join(dir, 'main.mjs'))) {
    await rm(tmp, { recursive: true, force: true }); // another manager built the same sources meanwhile
  } else {
    await rename(tmp, dir);
  }
  const manifestTmp = `${MANIFEST}.${process.pid}.tmp`;
  await writeFile(manifestTmp, JSON.stringify({ hash, inputs }));
  await rename(manifestTmp, MANIFEST);
  await pruneOld(hash);
  return join(dir, 'main.mjs');
}

async function pruneOld(keep: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(BUNDLE_ROOT).catch(() => [] as string[])) {
    if (name === keep || name === 'current.json') continue;
    const path = join(BUNDLE_ROOT, name);
    const s = await stat(path).catch(() => null);
    if (s && now - s.mtimeMs > KEEP_OLD_MS) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

let pending: Promise<string> | null = null;

/**
 * Path of the runner's compiled entry (main.mjs), building it if the sources changed. One build per process at a
 * time; a failed build is retried on the next call.
 */
export function runnerBundle(): Promise<string> {
  pending ??= (async () => (await cached()) ?? build())();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}
