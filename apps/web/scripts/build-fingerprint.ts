// What a `next build` was made from: a hash over the web app's sources and those of every workspace package it ships
// (followed through their production dependencies), plus the lockfile. `npm start` rebuilds when it differs, so a
// checkout that moved on (git pull, a branch switch) never serves yesterday's build.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIP = new Set(['node_modules', '.next', '.turbo', 'test', 'test-artifacts']);

export function sourceFingerprint(webDir: string): string {
  const root = path.resolve(webDir, '../..');
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const dir of [webDir, ...workspaceDependencies(root, webDir)]) collect(dir, files);
  const lockfile = path.join(root, 'package-lock.json');
  if (existsSync(lockfile)) files.push(lockfile);
  for (const file of files.sort()) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Directories of the @polybot/* packages `dir` depends on in production, transitively. */
function workspaceDependencies(root: string, dir: string, seen = new Set<string>()): string[] {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (!name.startsWith('@polybot/')) continue;
    const depDir = path.join(root, 'packages', name.slice('@polybot/'.length));
    if (seen.has(depDir) || !existsSync(depDir)) continue;
    seen.add(depDir);
    workspaceDependencies(root, depDir, seen);
  }
  return [...seen];
}

function collect(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry) || entry.endsWith('.test.ts')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) collect(full, out);
    else out.push(full);
  }
}
