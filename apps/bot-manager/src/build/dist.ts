// The production manager, compiled (`npm run build`, main.ts). dist/main.js is the manager CLI (`npm start` = node
// dist/main.js) and dist/runner/ the runner it forks (main.mjs and its lazy chunks): plain JavaScript, run by node
// without tsx or esbuild, so a production install needs no devDependencies. Build-time only.
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { APP_DIR, describeBuildError, managerBuildOptions, runnerBuildOptions } from './esbuild-options.ts';

export const DIST_DIR = join(APP_DIR, 'dist');
export const DIST_MAIN = join(DIST_DIR, 'main.js');
export const DIST_RUNNER = join(DIST_DIR, 'runner', 'main.mjs');

/**
 * Builds both bundles into dist/ (emptied first). Returns the bare imports they leave to node_modules (`external`)
 * and the source files they were built from (`inputs`, relative to the app).
 */
export async function buildDist(): Promise<{ external: string[]; inputs: string[] }> {
  await rm(DIST_DIR, { recursive: true, force: true });
  try {
    const runner = await build(runnerBuildOptions(join(DIST_DIR, 'runner')));
    const manager = await build(managerBuildOptions(DIST_DIR, `./${relative(DIST_DIR, DIST_RUNNER)}`));
    const external = new Set<string>();
    for (const out of [...Object.values(runner.metafile.outputs), ...Object.values(manager.metafile.outputs)])
      for (const i of out.imports) if (i.external) external.add(i.path);
    const inputs = new Set([...Object.keys(runner.metafile.inputs), ...Object.keys(manager.metafile.inputs)]);
    return { external: [...external].sort(), inputs: [...inputs].sort() };
  } catch (e) {
    throw new Error(`building the bot-manager into ${DIST_DIR} failed: ${describeBuildError(e)}`, { cause: e });
  }
}
