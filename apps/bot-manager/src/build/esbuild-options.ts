// How the manager and the runner are compiled, in one place for both ways it happens: `npm run build` (build.ts, what
// production runs) and the on-demand runner bundle of a manager run from sources (manager/runner-bundle.ts).
// Workspace packages (@polybot/*, TypeScript sources) are bundled; third-party packages stay external and load from
// node_modules, so they must be `dependencies` (never devDependencies) of this app or of a workspace package it uses.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

export const APP_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const RUNNER_SOURCE = join(APP_DIR, 'src/runner/main.ts');
export const MANAGER_SOURCE = join(APP_DIR, 'src/main.ts');

const thirdPartyExternal: Esbuild.Plugin = {
  name: 'third-party-external',
  setup(b: Esbuild.PluginBuild) {
    // Bare specifiers other than our workspace packages load from node_modules at run time.
    b.onResolve({ filter: /^[^./]/ }, (args: Esbuild.OnResolveArgs) =>
      args.path.startsWith('@polybot/') || args.path.startsWith('node:')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/**
 * The production manager forks the prebuilt runner: the on-demand bundler (and esbuild with it) is replaced by a stub,
 * so that dist/main.js does not even mention a build tool. runner-entry.ts never calls it there.
 */
const noRuntimeBundler: Esbuild.Plugin = {
  name: 'no-runtime-bundler',
  setup(b: Esbuild.PluginBuild) {
    b.onResolve({ filter: /\/runner-bundle\.ts$/ }, () => ({ path: 'runner-bundle', namespace: 'prebuilt' }));
    b.onLoad({ filter: /.*/, namespace: 'prebuilt' }, () => ({
      contents: `export function runnerBundle() { throw new Error('this manager forks its prebuilt runner'); }`,
      loader: 'js',
    }));
  },
};

const common = {
  absWorkingDir: APP_DIR,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'silent',
  plugins: [thirdPartyExternal],
} satisfies Esbuild.BuildOptions;

/**
 * The runner, into `outdir` (main.mjs and chunks). Code splitting keeps lazily imported modules (live trading) in
 * chunks of their own, so a paper runner never loads them.
 */
export function runnerBuildOptions(outdir: string) {
  return {
    ...common,
    entryPoints: { main: RUNNER_SOURCE },
    outdir,
    splitting: true,
    outExtension: { '.js': '.mjs' },
  } satisfies Esbuild.BuildOptions;
}

/**
 * The manager CLI (src/main.ts) into `outdir`/main.js. `runnerPath` (relative to that file) is where build.ts put the
 * runner: manager/runner-entry.ts forks it instead of bundling the runner at run time (dead branches are dropped:
 * minifySyntax).
 */
export function managerBuildOptions(outdir: string, runnerPath: string) {
  return {
    ...common,
    entryPoints: { main: MANAGER_SOURCE },
    outdir,
    define: { POLYBOT_PREBUILT_RUNNER: JSON.stringify(runnerPath) },
    minifySyntax: true,
    plugins: [noRuntimeBundler, thirdPartyExternal],
  } satisfies Esbuild.BuildOptions;
}

/** esbuild's errors as one line: file:line: text for the first few. */
export function describeBuildError(e: unknown): string {
  const errors = (e as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
  if (errors?.length)
    return errors
      .slice(0, 5)
      .map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text))
      .join('; ');
  return e instanceof Error ? e.message : String(e);
}
