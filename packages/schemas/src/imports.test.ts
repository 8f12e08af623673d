// The stripe-webhook edge function (Deno) imports this package's TypeScript source through its deno.json import map,
// which maps `zod` and nothing else this package could need. Any other import (node:*, another workspace, an npm
// package) would break the function's bundle: every source file here may import only zod and its own siblings.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./', import.meta.url);
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

describe('@polybot/schemas imports only zod and its own files', () => {
  it('has sources to check', () => expect(sources.length).toBeGreaterThan(5));
  for (const file of sources) {
    it(file, () => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const specifiers = [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? '');
      const foreign = specifiers.filter((s) => s !== 'zod' && !/^\.\/[\w.-]+\.ts$/.test(s));
      expect(foreign).toEqual([]);
    });
  }
});
