// The compiled runner: what a paper runner loads at start is only its own code, zod and pino; the live-trading
// adapter is a separate chunk reached by a dynamic import; the build is reused while the sources are unchanged.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { BUNDLE_ROOT, runnerBundle } from '../src/manager/runner-bundle.ts';

const LIVE_PACKAGES = /from\s*"(@polymarket\/clob-client-v2|kalshi-typescript|viem[^"]*|axios|ethers[^"]*|tsx[^"]*)"/;

/** Every file main.mjs loads statically (import … from "./chunk"), transitively. */
function staticClosure(dir: string, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(dir, file), 'utf8');
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"\.\/([^"]+)"/g))
    if (m[1]) staticClosure(dir, m[1], seen);
  for (const m of text.matchAll(/(?:^|\n)import\s*"\.\/([^"]+)"/g)) if (m[1]) staticClosure(dir, m[1], seen);
  return seen;
}

test('paper path loads no live-trading package; the Polymarket adapter is a lazily imported chunk', async () => {
  const entry = await runnerBundle();
  expect(entry.startsWith(BUNDLE_ROOT)).toBe(true);
  const dir = dirname(entry);
  const loaded = staticClosure(dir, 'main.mjs');
  for (const f of loaded) expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(LIVE_PACKAGES);
  const main = readFileSync(entry, 'utf8');
  const lazy = [...main.matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1] ?? '');
  expect(lazy.length).toBeGreaterThan(0);
  // The lazy chunks and what they load in turn (esbuild may split shared code into chunks of its own), minus what the
  // paper path has loaded already: that is where the live client lives.
  const lazyOnly = [...new Set(lazy.flatMap((f) => [...staticClosure(dir, f)]))].filter((f) => !loaded.has(f));
  const lazyText = lazyOnly.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  expect(lazyText).toMatch(/from\s*"@polymarket\/clob-client-v2"/);
  for (const f of lazy) expect(loaded.has(f)).toBe(false);
  // No TypeScript loader needed: the output is plain JavaScript with workspace packages inlined.
  expect(readdirSync(dir).every((f) => f.endsWith('.mjs'))).toBe(true);
  expect(main).not.toMatch(/from\s*"@polybot\//);
});

test('unchanged sources → the same build is reused', async () => {
  const a = await runnerBundle();
  const b = await runnerBundle();
  expect(b).toBe(a);
  const manifest = JSON.parse(readFileSync(join(BUNDLE_ROOT, 'current.json'), 'utf8')) as {
    hash: string;
    inputs: string[];
  };
  expect(a).toBe(join(BUNDLE_ROOT, manifest.hash, 'main.mjs'));
  expect(manifest.inputs).toContain('src/runner/main.ts');
});
