// Where the deployment artefacts live, and reading them. Tests only: no network, no cluster, no Docker daemon.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root and this workspace (deploy/). */
export const REPO_DIR = fileURLToPath(new URL('../../../', import.meta.url));
export const DEPLOY_DIR = fileURLToPath(new URL('../../', import.meta.url));

export const readText = (path: string): string => readFileSync(path, 'utf8');

/** Every document of a YAML file (a `---`-separated stream); a syntax error throws naming the file. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  return parseAllDocuments(text).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${file}, document ${i + 1}: ${doc.errors[0]?.message ?? ''}`);
    return doc.toJS() as unknown;
  });
}

export const readYaml = (path: string): unknown[] => parseYamlDocuments(readText(path), path);

/** The variable names an env.ts's zod object declares (`NAME: …` keys of its zod object). */
export function envNamesOf(envTs: string): Set<string> {
  return new Set([...envTs.matchAll(/^ {2,4}([A-Z][A-Z0-9_]*): /gm)].map((m) => m[1] ?? ''));
}
