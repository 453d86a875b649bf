// Rendered templates into Kubernetes manifests the way Helm's releaseutil does: split each file
// into YAML documents, set hooks (helm.sh/hook) apart with their weights and delete policies,
// and order the rest by Helm's InstallOrder of kinds (unknown kinds last, alphabetically; a
// stable sort, so ties keep file-name order and in-file order).

import { ChartError } from './errors';
import { isPlainObject } from './goJson';
import { parseYaml } from './yaml';

/** pkg/releaseutil InstallOrder (Helm 3.15+). */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList',
  'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController',
  'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob',
  'IngressClass', 'Ingress', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];

const ORDER = new Map(INSTALL_ORDER.map((k, i) => [k, i]));

export const HOOK_EVENTS = [
  'pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade',
  'pre-rollback', 'post-rollback', 'test',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface ManifestHead {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
}

export interface Manifest {
  /** The template it came from, e.g. mychart/templates/deployment.yaml. */
  name: string;
  content: string;
  head: ManifestHead;
}

export interface Hook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: HookEvent[];
  weight: number;
  deletePolicies: string[];
}

const SEPARATOR = /(?:^|\s*\n)---\s*/;

/** releaseutil.SplitManifests: documents in file order, trimmed, empty ones dropped. */
export function splitManifests(text: string): string[] {
  return text
    .trim()
    .split(SEPARATOR)
    .filter((d) => d !== '')
    .map((d) => d.trim());
}

/**
 * Parsed heads by document text. Parsing YAML is most of a warm render's cost and a document's
 * head depends only on its text, so re-rendering an unchanged chart reuses them.
 */
const headCache = new Map<string, { head: ManifestHead } | { error: string }>();
const HEAD_CACHE_LIMIT = 4000;

function readHead(doc: string, file: string): ManifestHead {
  let cached = headCache.get(doc);
  if (cached === undefined) {
    try {
      cached = { head: parseHead(doc) };
    } catch (err) {
      cached = { error: (err as Error).message };
    }
    if (headCache.size >= HEAD_CACHE_LIMIT) headCache.delete(headCache.keys().next().value as string);
    headCache.set(doc, cached);
  }
  if ('error' in cached) {
    throw new ChartError('MANIFEST_INVALID', `YAML parse error on ${file}: error converting YAML to JSON: ${cached.error}`, {
      file,
      hint: 'the template rendered text that is not valid YAML; check indentation (nindent/indent) around the line shown',
    });
  }
  return cached.head;
}

/** Clears the parsed-head cache (for benchmarks that measure cold parsing). */
export function clearManifestCache(): void {
  headCache.clear();
}

function parseHead(doc: string): ManifestHead {
  const parsed = parseYaml(doc);
  const head: ManifestHead = {};
  if (!isPlainObject(parsed)) return head;
  if (typeof parsed.apiVersion === 'string') head.apiVersion = parsed.apiVersion;
  if (typeof parsed.kind === 'string') head.kind = parsed.kind;
  if (isPlainObject(parsed.metadata)) {
    const m = parsed.metadata;
    head.metadata = {};
    if (typeof m.name === 'string') head.metadata.name = m.name;
    if (typeof m.namespace === 'string') head.metadata.namespace = m.namespace;
    if (isPlainObject(m.annotations)) {
      head.metadata.annotations = {};
      for (const [k, v] of Object.entries(m.annotations)) head.metadata.annotations[k] = typeof v === 'string' ? v : String(v);
    }
  }
  return head;
}

function lessByKind(a: string, b: string): number {
  const first = ORDER.get(a);
  const second = ORDER.get(b);
  if (first === undefined && second === undefined) return a === b ? 0 : a < b ? -1 : 1;
  if (first === undefined) return 1;
  if (second === undefined) return -1;
  return first - second;
}

/** Sorts by InstallOrder; Array.prototype.sort is stable, as Go's sort.SliceStable. */
export function sortByKind<T>(items: T[], kindOf: (t: T) => string): T[] {
  return items.sort((x, y) => lessByKind(kindOf(x), kindOf(y)));
}

/**
 * releaseutil.SortManifests: files sorted by name, partials and empty files skipped, documents
 * split, hooks separated (unknown hook types dropped, as Helm does), both lists sorted by kind.
 */
export function sortManifests(files: Map<string, string>): { manifests: Manifest[]; hooks: Hook[] } {
  const manifests: Manifest[] = [];
  const hooks: Hook[] = [];
  const names = [...files.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const file of names) {
    const content = files.get(file)!;
    if (file.slice(file.lastIndexOf('/') + 1).startsWith('_')) continue;
    if (content.trim() === '') continue;
    for (const doc of splitManifests(content)) {
      const head = readHead(doc, file);
      const annotations = head.metadata?.annotations;
      const hookTypes = annotations?.['helm.sh/hook'];
      if (hookTypes === undefined) {
        manifests.push({ name: file, content: doc, head });
        continue;
      }
      const events: HookEvent[] = [];
      let unknown = false;
      for (const t of hookTypes.split(',')) {
        const e = t.trim().toLowerCase();
        const ev = e === 'test-success' ? 'test' : e;
        if (!(HOOK_EVENTS as readonly string[]).includes(ev)) {
          unknown = true;
          break;
        }
        events.push(ev as HookEvent);
      }
      if (unknown) continue;
      const weightText = annotations?.['helm.sh/hook-weight'] ?? '';
      const weight = /^[+-]?\d+$/.test(weightText.trim()) && weightText.trim() === weightText ? Number(weightText) : 0;
      const policies = annotations?.['helm.sh/hook-delete-policy'];
      hooks.push({
        name: head.metadata?.name ?? '',
        kind: head.kind ?? '',
        path: file,
        manifest: doc,
        events,
        weight,
        deletePolicies: policies === undefined ? [] : policies.split(',').map((p) => p.trim().toLowerCase()),
      });
    }
  }
  sortByKind(manifests, (m) => m.head.kind ?? '');
  sortByKind(hooks, (h) => h.kind);
  return { manifests, hooks };
}
