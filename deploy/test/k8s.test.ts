// The Kubernetes manifests (deploy/k8s) against the official schemas, the kustomizations' references, and the rules
// that matter here: the bot-manager's securityContext exactly as docs/SECURITY.md §8 states it, every other
// container non-root, probes and identity as ARCHITECTURE §7.8/§7.9 need them, env names the apps actually read.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DEPLOY_DIR, envNamesOf, readText, readYaml, REPO_DIR } from './support/files.ts';
import { kubernetesErrors, type K8sObject } from './support/kubernetes.ts';
import { containersOf, loadKustomization, podSpecOf, unlistedManifests } from './support/kustomize.ts';

const K8S = join(DEPLOY_DIR, 'k8s');
const BASE = join(K8S, 'base');

/** Lease settings helper B adds to apps/bot-manager/src/env.ts on branch mm-coord (contract15); until that merges. */
const LEASE_ENV = ['LEASE_TTL_MS', 'LEASE_RENEW_MS', 'LEASE_SAFETY_MS'];

const base = loadKustomization(BASE);
const find = (kind: string, name: string): K8sObject => {
  const o = base.objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} in the base`);
  return o;
};
const manager = find('StatefulSet', 'bot-manager');
const managerPod = podSpecOf(manager);
const managerContainer = managerPod?.containers[0];
const configData = (name: string): Record<string, string> =>
  (find('ConfigMap', name) as K8sObject & { data: Record<string, string> }).data;

test('the base: every resource exists, every object is valid against the Kubernetes schemas, none is left out', () => {
  expect(base.errors).toEqual([]);
  expect(base.objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
    'ConfigMap/bot-manager-config',
    'ConfigMap/web-config',
    'Deployment/web',
    'HorizontalPodAutoscaler/web',
    'Namespace/polybot',
    'PodDisruptionBudget/bot-manager',
    'PodDisruptionBudget/web',
    'Service/bot-manager',
    'Service/web',
    'StatefulSet/bot-manager',
  ]);
  expect(unlistedManifests(BASE)).toEqual([]);
});

test('the example overlay builds on the base and its patches, images and replicas refer to what exists', () => {
  const overlay = loadKustomization(join(K8S, 'overlays/example'));
  expect(overlay.errors).toEqual([]);
  expect(overlay.objects).toHaveLength(base.objects.length);
});

test('the Secret example is valid and holds exactly the keys the workloads read from each Secret', () => {
  const secrets = readYaml(join(K8S, 'secrets.example.yaml')) as (K8sObject & { stringData: object })[];
  expect(secrets.flatMap(kubernetesErrors)).toEqual([]);
  for (const s of secrets) {
    const read = containersOf(base.objects)
      .flatMap((c) => c.env ?? [])
      .filter(
        (e) => (e.valueFrom as { secretKeyRef?: { name: string } } | undefined)?.secretKeyRef?.name === s.metadata.name,
      )
      .map((e) => e.name);
    expect(Object.keys(s.stringData).sort(), s.metadata.name).toEqual(read.sort());
  }
});

test('the bot-manager container is exactly docs/SECURITY.md §8: root only to switch uids, nothing else', () => {
  expect(managerContainer?.securityContext).toEqual({
    runAsUser: 0,
    runAsGroup: 0,
    runAsNonRoot: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'], add: ['SETUID', 'SETGID', 'KILL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  });
  expect(managerPod?.hostUsers).toBe(false);
  expect(managerContainer?.env?.find((e) => e.name === 'RUNNER_USER')?.value).toBe('65534');
});

test('every other container runs as non-root, read-only, without capabilities or privilege escalation', () => {
  const others = base.objects.filter((o) => podSpecOf(o) && o !== manager);
  expect(others.length).toBeGreaterThan(0);
  for (const o of others) {
    const pod = podSpecOf(o);
    for (const c of pod?.containers ?? []) {
      const sc = { ...pod?.securityContext, ...c.securityContext };
      expect(sc, `${o.metadata.name}/${c.name}`).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect((sc.capabilities as { add?: unknown }).add, `${o.metadata.name}/${c.name}`).toBeUndefined();
      expect(sc.runAsUser, `${o.metadata.name}/${c.name}`).not.toBe(0);
    }
  }
});

test('managers: named by their pod, reachable by the probes, Parallel, and given time to drain', () => {
  const env = managerContainer?.env ?? [];
  expect(env.find((e) => e.name === 'BOT_MANAGER_ID')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
  expect(env.find((e) => e.name === 'BOT_MANAGER_HTTP_HOST')?.value).toBe('0.0.0.0');
  expect(managerContainer?.readinessProbe?.httpGet?.path).toBe('/healthz');
  expect(managerContainer?.livenessProbe?.httpGet?.path).toBe('/livez');
  const spec = manager.spec as { podManagementPolicy: string; serviceName: string; replicas: number };
  expect(spec.podManagementPolicy).toBe('Parallel');
  expect(spec.replicas).toBeGreaterThan(1);
  // Drain = each runner's stop (STOP_GRACE_MS: the decision in flight, then cancel-all) + release + leave; the
  // kubelet must not SIGKILL before that, or every shard waits for its lease to expire instead of moving at once.
  const stopGraceS = Number(configData('bot-manager-config').STOP_GRACE_MS) / 1000;
  expect(managerPod?.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(stopGraceS + 20);
  // The headless Service of the StatefulSet, the PDB and Prometheus's annotations point at the manager's pods.
  const svc = find('Service', 'bot-manager').spec as { clusterIP: string; selector: Record<string, string> };
  expect(spec.serviceName).toBe('bot-manager');
  expect(svc.clusterIP).toBe('None');
  const podLabels = (
    manager.spec as { template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> } } }
  ).template.metadata;
  expect(podLabels.labels).toMatchObject(svc.selector);
  const pdb = find('PodDisruptionBudget', 'bot-manager').spec as { selector: { matchLabels: Record<string, string> } };
  expect(podLabels.labels).toMatchObject(pdb.selector.matchLabels);
  expect(podLabels.annotations['prometheus.io/scrape']).toBe('true');
  expect(podLabels.annotations['prometheus.io/port']).toBe(env.find((e) => e.name === 'BOT_MANAGER_HTTP_PORT')?.value);
});

test('every container has resource requests and a memory limit', () => {
  for (const c of containersOf(base.objects)) {
    expect(c.resources?.requests?.cpu, c.name).toBeDefined();
    expect(c.resources?.requests?.memory, c.name).toBeDefined();
    expect(c.resources?.limits?.memory, c.name).toBeDefined();
  }
});

test('every variable the manifests set is one the app reads (its env.ts)', () => {
  const managerEnv = envNamesOf(readText(join(REPO_DIR, 'apps/bot-manager/src/env.ts')));
  for (const name of LEASE_ENV) managerEnv.add(name);
  const webEnv = envNamesOf(readText(join(REPO_DIR, 'apps/web/src/env.ts')));
  expect(managerEnv.has('DATABASE_URL') && webEnv.has('APP_URL')).toBe(true);
  const setBy = (o: K8sObject, config: string): string[] => [
    ...Object.keys(configData(config)),
    ...(podSpecOf(o)?.containers ?? []).flatMap((c) => (c.env ?? []).map((e) => e.name)),
  ];
  expect(setBy(manager, 'bot-manager-config').filter((n) => !managerEnv.has(n))).toEqual([]);
  expect(setBy(find('Deployment', 'web'), 'web-config').filter((n) => !webEnv.has(n))).toEqual([]);
});

// The checks above must be able to fail: a copy of the base, broken one way at a time.
let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});
function brokenBase(file: string, from: string | RegExp, to: string): string[] {
  scratch = mkdtempSync(join(tmpdir(), 'polybot-k8s-'));
  cpSync(BASE, scratch, { recursive: true });
  const path = join(scratch, file);
  const text = readFileSync(path, 'utf8');
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`the edit of ${file} changed nothing`);
  writeFileSync(path, edited);
  return loadKustomization(scratch).errors;
}

test('a broken manifest or kustomization is caught', () => {
  expect(brokenBase('bot-manager-statefulset.yaml', 'containerPort: 9464', 'containerPort: "ninety"')).toEqual([
    expect.stringMatching(/bot-manager-statefulset\.yaml: StatefulSet bot-manager: .*containerPort must be integer/),
  ]);
  expect(brokenBase('bot-manager-pdb.yaml', 'maxUnavailable: 1', 'maxUnavailable: [1]')).toEqual([
    expect.stringMatching(/PodDisruptionBudget bot-manager: .*maxUnavailable/),
  ]);
  expect(brokenBase('web-hpa.yaml', 'apiVersion: autoscaling/v2', 'apiVersion: autoscaling/v9')).toEqual([
    expect.stringMatching(/autoscaling\/v9 HorizontalPodAutoscaler: no schema known/),
  ]);
  expect(brokenBase('kustomization.yaml', '- web-pdb.yaml', '- web-pdbs.yaml')).toEqual([
    'kustomization.yaml: resource web-pdbs.yaml does not exist',
  ]);
  expect(brokenBase('kustomization.yaml', 'resources:', 'resource:')).toContain(
    'kustomization.yaml: unknown field "resource"',
  );
  expect(brokenBase('kustomization.yaml', /\n {2}- web-hpa\.yaml/, '')).toEqual([]);
  expect(unlistedManifests(scratch ?? '')).toEqual(['web-hpa.yaml']);
});

test('the manifests are the only YAML parsed here without error', () => {
  // A YAML syntax error is reported with its file rather than passing as an empty document.
  expect(() => readYaml(join(BASE, 'kustomization.yaml'))).not.toThrow();
  scratch = mkdtempSync(join(tmpdir(), 'polybot-k8s-'));
  writeFileSync(join(scratch, 'bad.yaml'), 'kind: Service\n  metadata: [\n');
  expect(() => readYaml(join(scratch ?? '', 'bad.yaml'))).toThrow(/bad\.yaml, document 1/);
});
