// The resource types this API server serves, with the names discovery reports for them.
// One table drives routing, discovery, RBAC messages and the OpenAPI stub.

export interface ResourceType {
  group: string;          // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources: string[]; // e.g. ['status', 'scale']
  /** Subresources that are streams proxied to the node (exec, log, …) rather than objects. */
  streams?: string[];
  /** Create-only review objects that are answered, never stored (SelfSubjectAccessReview). */
  review?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCE_TYPES: ResourceType[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'], subresources: ['status', 'finalize'] },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'binding'], streams: ['log', 'exec', 'attach', 'portforward'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'] },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, shortNames: ['ep'], subresources: [] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, subresources: [] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'], subresources: [] },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'], subresources: [] },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true, shortNames: ['ev'], subresources: [] },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', namespaced: true, shortNames: ['pvc'], subresources: ['status'] },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, shortNames: ['no'], subresources: ['status'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', singular: 'role', namespaced: true, subresources: [] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', namespaced: true, subresources: [] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', namespaced: false, subresources: [] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, subresources: [] },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, subresources: [], review: true },
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', singular: 'storageclass', namespaced: false, shortNames: ['sc'], subresources: [] },
];

export const GROUP_VERSIONS: { group: string; version: string }[] = [
  { group: 'apps', version: 'v1' },
  { group: 'rbac.authorization.k8s.io', version: 'v1' },
  { group: 'storage.k8s.io', version: 'v1' },
  { group: 'authorization.k8s.io', version: 'v1' },
];

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function findKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
}

export function byKind(kind: string, group = ''): ResourceType {
  const t = RESOURCE_TYPES.find((r) => r.kind === kind && r.group === group);
  if (!t) throw new Error(`unknown kind ${kind}`);
  return t;
}

/** APIResourceList entries as `kubectl api-resources` and client discovery read them. */
export function discoveryResources(group: string, version: string): unknown[] {
  const out: unknown[] = [];
  for (const t of RESOURCE_TYPES.filter((r) => r.group === group && r.version === version)) {
    const verbs = t.review ? ['create'] : ALL_VERBS;
    const entry: Record<string, unknown> = { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs };
    if (t.shortNames) entry.shortNames = t.shortNames;
    if (t.categories) entry.categories = t.categories;
    out.push(entry);
    for (const sub of t.subresources) {
      const subKind = sub === 'scale' ? 'Scale' : sub === 'binding' ? 'Binding' : t.kind;
      const subVerbs = sub === 'binding' ? ['create'] : sub === 'finalize' ? ['update'] : ['get', 'patch', 'update'];
      const e: Record<string, unknown> = { name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: subKind, verbs: subVerbs };
      if (sub === 'scale') { e.group = 'autoscaling'; e.version = 'v1'; }
      out.push(e);
    }
    for (const s of t.streams ?? []) {
      out.push({ name: `${t.plural}/${s}`, singularName: '', namespaced: true, kind: s === 'log' ? 'Pod' : s === 'portforward' ? 'PodPortForwardOptions' : s === 'exec' ? 'PodExecOptions' : 'PodAttachOptions', verbs: s === 'log' ? ['get'] : ['create', 'get'] });
    }
  }
  return out;
}
