// The Prometheus alert rules (deploy/prometheus/alerts.yaml): rule-file shape, every expression parsed by Prometheus's
// own PromQL grammar, every metric they name exported by the bot-manager (or by Prometheus itself).
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DEPLOY_DIR, parseYamlDocuments, readText, REPO_DIR } from './support/files.ts';
import { baseMetricName, promqlProblems } from './support/promql.ts';

/**
 * The lease metrics helper B adds to apps/bot-manager/src/manager/metrics.ts on branch mm-coord (contract15's list),
 * accepted until that merges; afterwards metrics.ts names them and this list is redundant.
 */
const CONTRACT_LEASE_METRICS = [
  'polybot_lease_shards_owned',
  'polybot_lease_users_owned',
  'polybot_lease_renewals_total',
  'polybot_lease_losses_total',
  'polybot_lease_failovers_total',
  'polybot_lease_takeover_seconds',
  'polybot_lease_shard_moves_total',
  'polybot_coordination_queries_total',
  'polybot_lease_last_renewal_timestamp_seconds',
];
/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = ['up'];

const known = new Set([
  ...[...readText(join(REPO_DIR, 'apps/bot-manager/src/manager/metrics.ts')).matchAll(/name: '(polybot_\w+)'/g)].map(
    (m) => m[1] ?? '',
  ),
  ...CONTRACT_LEASE_METRICS,
  ...PROMETHEUS_SERIES,
]);

interface Rule {
  alert?: string;
  expr?: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string };
}

/** Everything wrong with a rule file, in words. */
function ruleFileProblems(text: string): string[] {
  const [doc] = parseYamlDocuments(text, 'alerts.yaml') as [{ groups?: { name?: string; rules?: Rule[] }[] }];
  const problems: string[] = [];
  if (!doc.groups?.length) return ['no groups'];
  const names = new Set<string>();
  for (const g of doc.groups)
    for (const r of g.rules ?? []) {
      const id = r.alert ?? '(no alert name)';
      if (!r.alert || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(r.alert)) problems.push(`${id}: alert name missing or invalid`);
      if (names.has(id)) problems.push(`${id}: defined twice`);
      names.add(id);
      if (r.for !== undefined && !/^(\d+(ms|s|m|h|d|w|y))+$/.test(r.for)) problems.push(`${id}: bad duration ${r.for}`);
      if (!['critical', 'warning'].includes(r.labels?.severity ?? ''))
        problems.push(`${id}: severity critical|warning`);
      if (!r.annotations?.summary || !r.annotations.description) problems.push(`${id}: summary and description`);
      const { errors, metrics } = promqlProblems(r.expr ?? '');
      if (!r.expr) problems.push(`${id}: no expr`);
      problems.push(...errors.map((e) => `${id}: ${e}`));
      for (const m of metrics)
        if (!known.has(baseMetricName(m)) && !known.has(m)) problems.push(`${id}: no metric ${m} is exported`);
      if (r.expr && metrics.length === 0) problems.push(`${id}: selects no metric`);
    }
  return problems;
}

const ALERTS = readText(join(DEPLOY_DIR, 'prometheus/alerts.yaml'));

test('every alert rule parses and names only metrics the managers export', () => {
  expect(ruleFileProblems(ALERTS)).toEqual([]);
});

test('the alerts issue 15 asks for are there', () => {
  const rules = (parseYamlDocuments(ALERTS, 'alerts.yaml')[0] as { groups: { rules: Rule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );
  const exprOf = (alert: string): string => rules.find((r) => r.alert === alert)?.expr ?? '';
  expect(exprOf('PolybotManagerDown')).toContain('up{job="polybot-bot-manager"} == 0');
  expect(exprOf('PolybotLeaseHeartbeatMissing')).toContain(
    'time() - polybot_lease_last_renewal_timestamp_seconds > 30',
  );
  expect(exprOf('PolybotRunnerCrashLoop')).toContain('polybot_runner_restarts_total');
  expect(exprOf('PolybotLeaseFailover')).toContain('increase(polybot_lease_failovers_total[5m])');
  expect(exprOf('PolybotLeaseChurn')).toContain('rate(polybot_lease_shard_moves_total[10m])');
  expect(exprOf('PolybotLeaseLost')).toContain('polybot_lease_losses_total');
  expect(exprOf('PolybotDatabaseUnreachable')).toContain('polybot_database_reachable == 0');
  expect(exprOf('PolybotListenDown')).toContain('polybot_listen_connected == 0');
});

test('the scrape job the alerts select is the one the scrape config defines', () => {
  const config = parseYamlDocuments(
    readText(join(DEPLOY_DIR, 'prometheus/scrape-config.yaml')),
    'scrape-config',
  )[0] as {
    scrape_configs: { job_name: string }[];
  };
  expect(config.scrape_configs.map((c) => c.job_name)).toEqual(['polybot-bot-manager']);
  expect(ALERTS).toContain('job="polybot-bot-manager"');
});

test('a broken rule is caught: bad PromQL, an unknown metric, a bad duration, a missing severity', () => {
  const edit = (from: string, to: string): string[] => {
    const text = ALERTS.replace(from, to);
    if (text === ALERTS) throw new Error(`the edit ${from} changed nothing`);
    return ruleFileProblems(text);
  };
  expect(edit('expr: polybot_database_reachable == 0', 'expr: polybot_database_reachable ==')).toEqual([
    expect.stringMatching(/^PolybotDatabaseUnreachable: syntax error/),
  ]);
  expect(edit('rate(polybot_lease_shard_moves_total[10m])', 'rate(polybot_lease_shard_move_total[10m])')).toEqual([
    'PolybotLeaseChurn: no metric polybot_lease_shard_move_total is exported',
  ]);
  expect(
    edit('sum(increase(polybot_lease_failovers_total[5m]))', 'sum(increase(polybot_lease_failovers_total[5m)))'),
  ).toEqual(expect.arrayContaining([expect.stringMatching(/^PolybotLeaseFailover: syntax error/)]));
  expect(edit('for: 2m', 'for: two minutes')).toEqual([expect.stringMatching(/bad duration two minutes/)]);
  expect(edit('severity: critical', 'severity: page')).toEqual(['PolybotManagerDown: severity critical|warning']);
});
