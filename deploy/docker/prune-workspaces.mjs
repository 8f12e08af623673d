// Image build only: reduces the monorepo's manifests to the workspaces one app needs at run time, without their
// devDependencies, so `npm install --omit=dev` (the lockfile still pins every version) installs production packages
// only. Plain `npm ci --omit=dev --workspace <app>` does not: npm keeps every workspace in the tree, so the dev-only
// local stack's own dependencies (embedded Postgres, Deno, the venue SDKs twice over) would ship too.
// Usage: node prune-workspaces.mjs <workspace dir>...   (run in the repository root, inside the build container)
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const keep = process.argv.slice(2);
if (keep.length === 0) throw new Error('usage: node prune-workspaces.mjs <workspace dir>...');

const rewrite = (file, edit) => {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
};

rewrite('package.json', (root) => {
  root.workspaces = keep;
  delete root.devDependencies;
  // The root's postinstall runs patch-package (a devDependency, gone here): the Dockerfile copies the patched packages
  // from the build stage instead (patches/: see the prod-deps stage).
  delete root.scripts;
});
for (const dir of keep) rewrite(`${dir}/package.json`, (pkg) => delete pkg.devDependencies);
