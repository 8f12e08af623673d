// The rule against a throwaway tree of workspaces (root, packages/a, packages/b, packages/a/nested), so the cases do
// not depend on how the real repository is laid out.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { noCrossWorkspaceImport } from './no-cross-workspace-import.mjs';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = mkdtempSync(path.join(tmpdir(), 'cross-workspace-'));
for (const dir of [
  '',
  'packages/a/src',
  'packages/a/nested',
  'packages/a/.next/types',
  'packages/b/src',
  'supabase/functions',
]) {
  mkdirSync(path.join(root, dir), { recursive: true });
}
for (const [ws, name] of [
  ['', 'root'],
  ['packages/a', 'a'],
  ['packages/a/nested', 'nested'],
  ['packages/b', 'b'],
  ['supabase', 'supabase'],
]) {
  writeFileSync(path.join(root, ws as string, 'package.json'), JSON.stringify({ name }));
}
// Next's build output carries an unnamed package.json ({"type":"commonjs"}); it is not a workspace.
writeFileSync(path.join(root, 'packages/a/.next/package.json'), JSON.stringify({ type: 'commonjs' }));
const inA = path.join(root, 'packages/a/src/file.ts');

new RuleTester({ languageOptions: { parser: tseslint.parser } }).run(
  'no-cross-workspace-import',
  noCrossWorkspaceImport,
  {
    valid: [
      { filename: inA, code: "import { x } from './sibling.ts';" },
      { filename: inA, code: "import { x } from '../index.ts';" },
      { filename: inA, code: "import { x } from '@polybot/b';" },
      { filename: inA, code: "import { x } from 'node:fs';" },
      { filename: inA, code: "export * from './sibling.ts';" },
      { filename: inA, code: "const m = await import('./lazy.ts');" },
      { filename: inA, code: "type T = typeof import('./types.ts');" },
      { filename: path.join(root, 'packages/a/next-env.d.ts'), code: "import './.next/types/routes.d.ts';" },
    ],
    invalid: [
      {
        filename: inA,
        code: "import { x } from '../../b/src/file.ts';",
        errors: [{ messageId: 'crossed', data: { specifier: '../../b/src/file.ts', target: 'b' } }],
      },
      {
        // Leaving for the repository root is crossing too.
        filename: inA,
        code: "import { x } from '../../../supabase/functions/shared.ts';",
        errors: [
          { messageId: 'crossed', data: { specifier: '../../../supabase/functions/shared.ts', target: 'supabase' } },
        ],
      },
      {
        // Entering a workspace nested inside one's own folder.
        filename: inA,
        code: "export { x } from '../nested/index.ts';",
        errors: [{ messageId: 'crossed', data: { specifier: '../nested/index.ts', target: 'nested' } }],
      },
      {
        filename: inA,
        code: "export * from '../../b';",
        errors: [{ messageId: 'crossed', data: { specifier: '../../b', target: 'b' } }],
      },
      {
        filename: inA,
        code: "const m = await import('../../b/src/lazy.ts');",
        errors: [{ messageId: 'crossed', data: { specifier: '../../b/src/lazy.ts', target: 'b' } }],
      },
      {
        filename: inA,
        code: "type T = typeof import('../../b/src/types.ts');",
        errors: [{ messageId: 'crossed', data: { specifier: '../../b/src/types.ts', target: 'b' } }],
      },
      {
        filename: path.join(root, 'bench.ts'),
        code: "import { x } from './packages/a/src/file.ts';",
        errors: [{ messageId: 'crossed', data: { specifier: './packages/a/src/file.ts', target: 'a' } }],
      },
    ],
  },
);
