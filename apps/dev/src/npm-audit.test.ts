// CI's dependency audit (.ci/npm-audit.mjs, docs/SECURITY.md §10.3) decides from npm's JSON report, because npm's exit
// code cannot tell "advisories found" from "the advisory service could not be asked". Here `npm` is a stub on PATH
// printing a report, so each decision is checked without the registry (which refuses the bulk-advisory POST here).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../.ci/npm-audit.mjs');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function audit(report: unknown, env: Record<string, string> = {}): { code: number | null; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'npm-audit-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report));
  const stub = path.join(dir, 'npm');
  writeFileSync(stub, `#!/bin/sh\ncat "${path.join(dir, 'report.json')}"\nexit 1\n`);
  chmodSync(stub, 0o755);
  const run = spawnSync(process.execPath, [SCRIPT], {
    encoding: 'utf8',
    env: { ...process.env, NPM_AUDIT_REQUIRED: '', ...env, PATH: `${dir}:${process.env.PATH ?? ''}` },
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

const counts = (high: number, moderate: number) => ({
  info: 0,
  low: 0,
  moderate,
  high,
  critical: 0,
  total: high + moderate,
});
const advisory = (severity: string) => ({
  name: 'left-pad',
  severity,
  range: '<1.3.0',
  via: [{ title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-test' }],
  fixAvailable: true,
});

describe('the CI dependency audit', () => {
  test('a high advisory in a production dependency fails the run and is listed', () => {
    const r = audit({ vulnerabilities: { 'left-pad': advisory('high') }, metadata: { vulnerabilities: counts(1, 0) } });
    expect(r.code).toBe(1);
    expect(r.out).toContain('high: left-pad <1.3.0 — Prototype pollution');
  });

  test('only moderate advisories pass', () => {
    const r = audit({
      vulnerabilities: { 'left-pad': advisory('moderate') },
      metadata: { vulnerabilities: counts(0, 1) },
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain('0 high');
  });

  test('an advisory service that cannot be asked is said loudly, and fails only where it is required', () => {
    const refused = { error: { code: 'E405', summary: '405 Method Not Allowed - POST .../advisories/bulk' } };
    const lenient = audit(refused);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain('npm audit could NOT check the production dependencies: 405 Method Not Allowed');
    expect(audit(refused, { NPM_AUDIT_REQUIRED: '1' }).code).toBe(1);
  });
});
