// Reads a kustomization the way `kubectl apply -k` would need it to be (there is no kustomize binary here): every
// resource and patch it names exists and parses, every object is valid against the Kubernetes schemas, and what
// `images`/`replicas`/`patches` refer to exists. Returns the objects and every problem found, in words.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { kubernetesErrors, type K8sObject } from './kubernetes.ts';
import { readYaml } from './files.ts';

const KNOWN_KEYS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'labels',
  'resources',
  'images',
  'replicas',
  'patches',
  'commonAnnotations',
  'configMapGenerator',
  'secretGenerator',
]);

interface Kustomization {
  apiVersion?: unknown;
  kind?: unknown;
  resources?: string[];
  patches?: { path?: string }[];
  images?: { name: string }[];
  replicas?: { name: string; count: number }[];
  [key: string]: unknown;
}

export interface Loaded {
  objects: (K8sObject & { file: string })[];
  errors: string[];
}

export function loadKustomization(dir: string, root = dir): Loaded {
  const file = join(dir, 'kustomization.yaml');
  const where = relative(root, file) || file;
  if (!existsSync(file)) return { objects: [], errors: [`${where}: missing`] };
  const k = readYaml(file)[0] as Kustomization;
  const errors: string[] = [];
  const objects: Loaded['objects'] = [];
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || k.kind !== 'Kustomization')
    errors.push(`${where}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  for (const key of Object.keys(k)) if (!KNOWN_KEYS.has(key)) errors.push(`${where}: unknown field "${key}"`);

  for (const res of k.resources ?? []) {
    const path = join(dir, res);
    if (!existsSync(path)) {
      errors.push(`${where}: resource ${res} does not exist`);
    } else if (statSync(path).isDirectory()) {
      const sub = loadKustomization(path, root);
      objects.push(...sub.objects);
      errors.push(...sub.errors);
    } else {
      for (const doc of readYaml(path)) {
        errors.push(...kubernetesErrors(doc).map((e) => `${relative(root, path)}: ${e}`));
        objects.push({ ...(doc as K8sObject), file: path });
      }
    }
  }

  const named = (kind: string, name: string): boolean =>
    objects.some((o) => o.kind === kind && o.metadata.name === name);
  for (const p of k.patches ?? []) {
    const path = join(dir, p.path ?? '');
    if (!p.path || !existsSync(path)) {
      errors.push(`${where}: patch ${p.path ?? '(no path)'} does not exist`);
      continue;
    }
    for (const doc of readYaml(path) as K8sObject[])
      if (!named(doc.kind, doc.metadata.name))
        errors.push(`${where}: patch ${p.path} targets no ${doc.kind} named ${doc.metadata.name}`);
  }
  for (const r of k.replicas ?? [])
    if (!named('StatefulSet', r.name) && !named('Deployment', r.name))
      errors.push(`${where}: replicas names ${r.name}, which is no Deployment or StatefulSet`);
  const images = new Set(containersOf(objects).map((c) => c.image.replace(/[:@].*$/, '')));
  for (const i of k.images ?? [])
    if (!images.has(i.name)) errors.push(`${where}: images names ${i.name}, which no container uses`);
  return { objects, errors };
}

/** YAML files in a kustomization's directory that it does not list: a manifest written and never applied. */
export function unlistedManifests(dir: string): string[] {
  const listed = new Set((readYaml(join(dir, 'kustomization.yaml'))[0] as Kustomization).resources ?? []);
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== 'kustomization.yaml' && !listed.has(f));
}

export interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  securityContext?: Record<string, unknown>;
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
export interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  hostUsers?: boolean;
}
export const podSpecOf = (o: K8sObject): PodSpec | undefined =>
  (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;

export const containersOf = (objects: K8sObject[]): Container[] =>
  objects.flatMap((o) => podSpecOf(o)?.containers ?? []);
