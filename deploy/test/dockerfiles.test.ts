// The images' Dockerfiles (deploy/docker): linted, and held to what issue 15 asks of them — multi-stage, non-root,
// production dependencies only — and to the workspaces each app really needs at run time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEPLOY_DIR, readText, REPO_DIR } from './support/files.ts';
import { dockerfileProblems, prunedWorkspaces } from './support/dockerfile.ts';

const IMAGES = { 'bot-manager': 'apps/bot-manager', web: 'apps/web' } as const;
const dockerfile = (image: keyof typeof IMAGES): string => readText(join(DEPLOY_DIR, `docker/${image}.Dockerfile`));

test.each(Object.keys(IMAGES) as (keyof typeof IMAGES)[])('%s.Dockerfile passes the linter and our checks', (image) => {
  expect(dockerfileProblems(dockerfile(image))).toEqual([]);
});

/** Workspace directories by package name (the root package.json's workspace globs, one level deep). */
function workspaceDirs(): Map<string, string> {
  const globs = (JSON.parse(readText(join(REPO_DIR, 'package.json'))) as { workspaces: string[] }).workspaces;
  const dirs = globs.flatMap((g) =>
    g.endsWith('/*')
      ? readdirSync(join(REPO_DIR, g.slice(0, -2)), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => `${g.slice(0, -2)}/${d.name}`)
      : [g],
  );
  const out = new Map<string, string>();
  for (const dir of dirs) {
    try {
      out.set((JSON.parse(readFileSync(join(REPO_DIR, dir, 'package.json'), 'utf8')) as { name: string }).name, dir);
    } catch {
      // not a package (no package.json)
    }
  }
  return out;
}

/** An app and the workspaces its production dependencies reach (never devDependencies). */
function productionWorkspaces(appDir: string): string[] {
  const dirs = workspaceDirs();
  const seen = new Set<string>([appDir]);
  const visit = (dir: string): void => {
    const pkg = JSON.parse(readText(join(REPO_DIR, dir, 'package.json'))) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      const d = dirs.get(name);
      if (d && !seen.has(d)) {
        seen.add(d);
        visit(d);
      }
    }
  };
  visit(appDir);
  return [...seen].sort();
}

/** Where a Dockerfile's production install and the app's production workspaces disagree, in words. */
function workspaceProblems(text: string, appDir: string): string[] {
  const kept = prunedWorkspaces(text);
  const needed = productionWorkspaces(appDir);
  return [
    ...needed.filter((d) => !kept.includes(d)).map((d) => `${d} is needed at run time but not installed`),
    ...kept.filter((d) => !needed.includes(d)).map((d) => `${d} is installed but not needed at run time`),
    ...kept.filter((d) => !text.includes(`COPY ${d}/package.json ${d}/`)).map((d) => `${d}/package.json is not copied`),
  ];
}

test.each(Object.entries(IMAGES))(
  '%s: the production install keeps exactly the workspaces the app depends on, and copies their manifests',
  (image, appDir) => {
    expect(workspaceProblems(dockerfile(image as keyof typeof IMAGES), appDir)).toEqual([]);
  },
);

/** The manager's Dockerfile with one edit; the edit must change something. */
function broken(from: string | RegExp, to: string): string[] {
  const text = dockerfile('bot-manager');
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`the edit ${String(from)} changed nothing`);
  return dockerfileProblems(edited);
}

test('a broken Dockerfile is caught', () => {
  expect(broken(/^USER node\n/m, '')).toEqual(['final stage has no USER: it would run as root']);
  expect(broken(/^USER node$/m, 'USER root')).toEqual(['final stage runs as root']);
  expect(broken('COPY --from=prod-deps /src/node_modules', 'COPY --from=build /src/node_modules')).toEqual([
    'final stage copies node_modules from build, not from a --omit=dev install',
  ]);
  expect(broken('npm install --omit=dev', 'npm install')).toEqual([
    'final stage copies node_modules from prod-deps, not from a --omit=dev install',
  ]);
  expect(broken(/^CMD \["node", "dist\/main.js"\]$/m, 'CMD ["npx", "tsx", "src/main.ts"]')).toEqual([
    'final stage mentions a build tool: CMD ["npx", "tsx", "src/main.ts"]',
  ]);
  expect(broken(/FROM node:20.20-bookworm-slim AS runtime/, 'FROM node:latest AS runtime')).toEqual([
    'stage runtime: base node:latest is not pinned to a version tag',
    'stages use different base images',
  ]);
  expect(broken('EXPOSE 9464', 'EXPOSE metrics')).toEqual([
    expect.stringMatching(/^line \d+: Invalid containerPort: metrics$/),
  ]);
  expect(broken(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, '')).toEqual(['final stage has no HEALTHCHECK']);
  expect(dockerfileProblems('FROM node:20.20-bookworm-slim\nUSER node\nCMD ["node", "x.js"]\n')).toEqual([
    'not multi-stage: build tools would ship in the image',
  ]);
});

test('a Dockerfile whose production install misses or adds a workspace is caught', () => {
  const text = dockerfile('bot-manager');
  expect(workspaceProblems(text.replace(' packages/venues \\', ' \\'), 'apps/bot-manager')).toEqual([
    'packages/venues is needed at run time but not installed',
  ]);
  expect(
    workspaceProblems(text.replace('COPY packages/db/package.json packages/db/\n', ''), 'apps/bot-manager'),
  ).toEqual(['packages/db/package.json is not copied']);
  expect(
    workspaceProblems(text.replace(' packages/venues \\', ' packages/venues apps/web \\'), 'apps/bot-manager'),
  ).toEqual(['apps/web is installed but not needed at run time', 'apps/web/package.json is not copied']);
});

/** The packages patches/ fixes, by name (patch-package's file names: `<name>+<version>.patch`, scopes as `@s+name`). */
function patchedPackages(): string[] {
  return readdirSync(join(REPO_DIR, 'patches'))
    .filter((f) => f.endsWith('.patch'))
    .map((f) => f.replace(/\+[^+]+\.patch$/, '').replace(/^(@[^+]+)\+/, '$1/'));
}

test.each(Object.keys(IMAGES) as Array<keyof typeof IMAGES>)(
  'the %s image ships the patched packages (patches/), not the registry copies',
  (image) => {
    const text = dockerfile(image);
    const patched = patchedPackages();
    expect(patched).toContain('postgres');
    for (const name of patched)
      expect(text, `${image}: ${name} is patched (patches/) but the image installs the registry copy`).toContain(
        `COPY --from=build /src/node_modules/${name} node_modules/${name}`,
      );
  },
);
