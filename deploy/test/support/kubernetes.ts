// Validates Kubernetes objects against the official OpenAPI schemas, as compiled into kubernetes-models (one class per
// apiVersion/kind, whose validate() runs ajv over the schema generated from the Kubernetes OpenAPI spec).
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

type Model = new (data: never) => { validate(): void };

/** The kinds these manifests use. Another kind fails validation until it is added here (with its model). */
const MODELS: Record<string, Model> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** Schema errors of one object, in words ([] = valid). */
export function kubernetesErrors(doc: unknown): string[] {
  const o = doc as Partial<K8sObject> | null;
  if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string')
    return ['not a Kubernetes object (apiVersion and kind are required)'];
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) return [`${o.apiVersion} ${o.kind}: no schema known here (add its kubernetes-models class)`];
  if (typeof o.metadata?.name !== 'string') return [`${o.kind}: metadata.name is required`];
  try {
    new Model(o as never).validate();
    return [];
  } catch (e) {
    return [`${o.kind} ${o.metadata.name}: ${e instanceof Error ? e.message : String(e)}`];
  }
}
