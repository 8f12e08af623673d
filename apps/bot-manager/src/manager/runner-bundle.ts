// The runner runs as precompiled JavaScript, not through tsx: loading tsx's loader and compiling TypeScript in every
// child costs tens of MB and seconds per runner. src/runner/main.ts is bundled once with esbuild into a gitignored
// directory named by a hash of every source file it was built from; a manager (re)start whose sources are unchanged
// reuses it. Workspace packages (@polybot/*, TypeScript sources) are bundled; third-party packages stay external and
// load from node_modules. Code splitting keeps lazily imported modules (live trading) in chunks of their own, so a
// paper runner never loads them.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';
import { z } from 'zod';

const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_ENTRY = join(APP_DIR, 'src/runner/main.ts');
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
  let result: Esbuild.BuildResult<{ metafile: true }>;
  try {
    result = await esbuild.build({
      entryPoints: { main: SOURCE_ENTRY },
      absWorkingDir: APP_DIR,
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outExtension: { '.js': '.mjs' },
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'third-party-external',
          setup(b: Esbuild.PluginBuild) {
            // Bare specifiers other than our workspace packages load from node_modules at run time.
            b.onResolve({ filter: /^[^./]/ }, (args: Esbuild.OnResolveArgs) =>
              args.path.startsWith('@polybot/') || args.path.startsWith('node:')
                ? undefined
                : { path: args.path, external: true },
            );
          },
        },
      ],
    });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    await esbuild.stop();
    const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
    const detail = errors?.length
      ? errors
          .slice(0, 5)
          .map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text))
          .join('; ')
      : e instanceof Error
        ? e.message
        : String(e);
    throw new RunnerBundleError(`bundling the runner (${SOURCE_ENTRY}) with esbuild failed: ${detail}`);
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
