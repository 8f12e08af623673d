import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { sourceFingerprint } from './build-fingerprint.ts';

const root = mkdtempSync(path.join(tmpdir(), 'polybot-fp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

test('the build fingerprint follows the app, the workspace packages it ships and the lockfile; not tests or build output', () => {
  write('package-lock.json', '{}');
  write('apps/web/package.json', JSON.stringify({ dependencies: { '@polybot/a': '*', next: '16' } }));
  write('apps/web/src/page.tsx', 'export default 1;');
  write('apps/web/test/flow.test.ts', 'test');
  write('packages/a/package.json', JSON.stringify({ dependencies: { '@polybot/b': '*' } }));
  write('packages/a/src/index.ts', 'a');
  write('packages/b/package.json', '{}');
  write('packages/b/src/index.ts', 'b');
  write('packages/c/package.json', '{}');
  write('packages/c/src/index.ts', 'c');
  const web = path.join(root, 'apps/web');
  const first = sourceFingerprint(web);
  expect(sourceFingerprint(web)).toBe(first);

  // Not part of what gets built: tests, build output, packages the app does not depend on.
  write('apps/web/test/flow.test.ts', 'changed');
  write('apps/web/.next/BUILD_ID', 'x');
  write('packages/c/src/index.ts', 'changed');
  expect(sourceFingerprint(web)).toBe(first);

  // Part of it: the app's sources, a transitive workspace dependency, the lockfile.
  const changes: Array<[string, string]> = [
    ['apps/web/src/page.tsx', 'export default 2;'],
    ['packages/b/src/index.ts', 'b2'],
    ['package-lock.json', '{"v":2}'],
  ];
  let previous = first;
  for (const [file, text] of changes) {
    write(file, text);
    const next = sourceFingerprint(web);
    expect(next, file).not.toBe(previous);
    previous = next;
  }
});
