// The package boundary (docs/ARCHITECTURE.md, Boundaries): strategies do no I/O, read no clock, and import only
// @polybot/schemas.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('./', import.meta.url);
const production = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('strategies package boundary', () => {
  it('has production modules to check', () => {
    expect(production).toContain('basket.ts');
    expect(production).toContain('index.ts');
  });
  it.each(production)('%s imports only @polybot/schemas and its own modules, and reads no clock', (file) => {
    const src = readFileSync(new URL(file, dir), 'utf8');
    const specifiers = [...src.matchAll(/^\s*(?:import|export)\b[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);
    for (const s of specifiers) expect(s === '@polybot/schemas' || s?.startsWith('./')).toBe(true);
    expect(src).not.toMatch(/Date\.now|new Date\(|setTimeout|setInterval|performance\.now|process\.|fetch\(/);
  });
});
