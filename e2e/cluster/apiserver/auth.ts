// Authentication (static bearer tokens) and authorisation (RBAC evaluated over the Role,
// ClusterRole and binding objects in the store, like the real RBAC authorizer).

import { randomBytes } from 'node:crypto';
import type { ApiCore } from './api-core';
import { byKind } from './resources';
import { ApiError } from './status';

export interface User { name: string; groups: string[] }

export interface Tokens { admin: string; limited: string; node: string }

export function generateTokens(): Tokens {
  const t = () => randomBytes(16).toString('hex');
  return { admin: `admin-${t()}`, limited: `limited-${t()}`, node: `node-${t()}` };
}

export function authenticate(tokens: Tokens, header: string | undefined): User | undefined {
  const m = header?.match(/^Bearer\s+(.+)$/i);
  if (!m) return undefined;
  const token = m[1].trim();
  if (token === tokens.admin) return { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
  if (token === tokens.node) return { name: 'system:node:test-node', groups: ['system:nodes', 'system:masters', 'system:authenticated'] };
  if (token === tokens.limited) return { name: 'limited', groups: ['system:authenticated'] };
  return undefined;
}

export interface Attributes { verb: string; group: string; resource: string; subresource?: string; namespace?: string; name?: string }

interface Rule { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }

function ruleAllows(r: Rule, a: Attributes): boolean {
  const has = (list: string[] | undefined, v: string) => !!list && (list.includes('*') || list.includes(v));
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return has(r.verbs, a.verb) && has(r.apiGroups, a.group)
    && (has(r.resources, res) || (!!a.subresource && !!r.resources?.includes(`*/${a.subresource}`)))
    && (!r.resourceNames?.length || (!!a.name && r.resourceNames.includes(a.name)));
}

function subjectMatches(subjects: any[] | undefined, user: User): boolean {
  return (subjects ?? []).some((s) => (s.kind === 'User' && s.name === user.name) || (s.kind === 'Group' && user.groups.includes(s.name)));
}

export function authorize(core: ApiCore, user: User, a: Attributes): boolean {
  if (user.groups.includes('system:masters')) return true;
  const rolesOf = (ref: any, ns: string | undefined): Rule[] => {
    const t = ref.kind === 'ClusterRole' ? byKind('ClusterRole', 'rbac.authorization.k8s.io') : byKind('Role', 'rbac.authorization.k8s.io');
    return (core.tryGet(t, ref.kind === 'ClusterRole' ? undefined : ns, ref.name)?.rules ?? []) as Rule[];
  };
  for (const b of core.store.list(byKind('ClusterRoleBinding', 'rbac.authorization.k8s.io'))) {
    if (subjectMatches(b.subjects, user) && rolesOf(b.roleRef, undefined).some((r) => ruleAllows(r, a))) return true;
  }
  if (a.namespace) {
    for (const b of core.store.list(byKind('RoleBinding', 'rbac.authorization.k8s.io'), a.namespace)) {
      if (subjectMatches(b.subjects, user) && rolesOf(b.roleRef, a.namespace).some((r) => ruleAllows(r, a))) return true;
    }
  }
  return false;
}

/** The real message: `pods is forbidden: User "limited" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbidden(user: User, a: Attributes): ApiError {
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  return new ApiError(403, 'Forbidden', `${subject} is forbidden: User "${user.name}" cannot ${a.verb} resource "${res}" in API group "${a.group}" ${where}`, { name: a.name, group: a.group || undefined, kind: a.resource });
}

/** Objects created at start so the `limited` user may do everything in namespace `limited` only. */
export function seedRbac(core: ApiCore): void {
  const g = 'rbac.authorization.k8s.io';
  core.create(byKind('ClusterRole', g), undefined, { metadata: { name: 'cluster-admin', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] });
  core.create(byKind('ClusterRole', g), undefined, { metadata: { name: 'test-namespace-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
  core.create(byKind('ClusterRoleBinding', g), undefined, { metadata: { name: 'cluster-admin' }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ apiGroup: g, kind: 'Group', name: 'system:masters' }] });
  // As in a real cluster, every authenticated user may ask what it may do.
  core.create(byKind('ClusterRole', g), undefined, { metadata: { name: 'system:basic-user', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: [{ apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] }] });
  core.create(byKind('ClusterRoleBinding', g), undefined, { metadata: { name: 'system:basic-user' }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'system:basic-user' }, subjects: [{ apiGroup: g, kind: 'Group', name: 'system:authenticated' }] });
  core.create(byKind('RoleBinding', g), 'limited', { metadata: { name: 'limited-admin' }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'test-namespace-admin' }, subjects: [{ apiGroup: g, kind: 'User', name: 'limited' }] });
}
