// ESLint rule: a relative import may not cross from one workspace into another. Workspaces meet only through their
// package names and `exports` (so each package decides what it exposes); '../../../packages/x/src/y.ts' reaches into
// files the other package never exported and bypasses its dependency list. A file's workspace is the folder of its
// nearest package.json; the import is resolved against the importing file, and its target's workspace (found the same
// way) must be the same folder. Plain JavaScript so eslint.config.mjs loads it without a TypeScript loader.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Nearest folder at or above `dir` whose package.json names a package (memoised: eslint asks for the same folders
 * repeatedly). Unnamed package.json files are not workspaces: Next writes `.next/package.json` ({"type":"commonjs"})
 * and the app's next-env.d.ts imports from `.next/types`.
 */
const workspaceCache = new Map();
export function workspaceOf(dir) {
  const cached = workspaceCache.get(dir);
  if (cached !== undefined) return cached;
  const parent = path.dirname(dir);
  const found = packageName(dir) !== null ? dir : parent === dir ? null : workspaceOf(parent);
  workspaceCache.set(dir, found);
  return found;
}

/** The `name` in dir/package.json, or null when there is none (or no readable package.json). */
function packageName(dir) {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return null;
  try {
    const name = JSON.parse(readFileSync(file, 'utf8')).name;
    return typeof name === 'string' && name !== '' ? name : null;
  } catch {
    return null;
  }
}

/** The workspace folder a relative specifier written in `filename` lands in, or null when it stays in its own. */
export function crossedWorkspace(filename, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '..' && specifier !== '.')
    return null;
  const from = workspaceOf(path.dirname(filename));
  const target = path.resolve(path.dirname(filename), specifier);
  // The target's folder: itself if the specifier names a folder, else its parent (the file may lack an extension).
  const targetDir = packageName(target) !== null ? target : path.dirname(target);
  const to = workspaceOf(targetDir);
  return from === to ? null : (to ?? targetDir);
}

/** @type {import('eslint').Rule.RuleModule} */
export const noCrossWorkspaceImport = {
  meta: {
    type: 'problem',
    docs: { description: 'disallow relative imports that reach into another workspace; import its package name' },
    schema: [],
    messages: {
      crossed:
        "'{{specifier}}' reaches into another workspace ({{target}}). Import it by package name through that " +
        "package's exports instead.",
    },
  },
  create(context) {
    const filename = context.filename;
    function check(node) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const target = crossedWorkspace(filename, node.value);
      if (target !== null) {
        context.report({
          node,
          messageId: 'crossed',
          data: { specifier: node.value, target: packageName(target) ?? target },
        });
      }
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      // `typeof import('../x')` in type positions.
      TSImportType: (node) => check(node.source ?? node.argument?.literal),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

/** The local plugin, registered in the root eslint.config.mjs as `polybot`. */
export default {
  meta: { name: 'eslint-plugin-polybot' },
  rules: { 'no-cross-workspace-import': noCrossWorkspaceImport },
};
