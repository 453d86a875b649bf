// The API's write and read semantics, shared by the REST handler and the controllers: namespaces
// must exist, names, uids, generations and resourceVersions are assigned like the real server,
// objects are defaulted and validated, deletion is graceful for scheduled pods and honours
// finalizers and propagation policies.

import { randomBytes, randomUUID } from 'node:crypto';
import { ObjectStore, clone, type KubeObject } from './store';
import { byKind, apiVersionOf, type ResourceType } from './resources';
import { ApiError, alreadyExists, badRequest, conflict, notFound } from './status';
import { applyDefaults, type DefaultContext } from './defaults';
import { validateObject } from './validation';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { serverSideApply } from './apply';
import { recordUpdate, timestamp } from './managed-fields';
import { pruneUnknownFields } from './unknown-fields';
import { fieldSupported, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors';

export interface WriteOptions { manager?: string; dryRun?: boolean; subresource?: string }
export interface DeleteOptions { gracePeriodSeconds?: number; propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'; preconditions?: { uid?: string; resourceVersion?: string }; dryRun?: boolean }
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  const bytes = randomBytes(n);
  return [...bytes].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
}

/** Kinds whose spec changes bump metadata.generation (in v1.32 pods and services have none). */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet']);
/** Kinds with a status subresource: writes to the main resource keep the stored status. */
const hasStatus = (t: ResourceType) => t.subresources.includes('status');
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export class ApiCore implements DefaultContext {
  private usedIPs = new Set<string>();
  private nextIP = 10;
  private nextNodePort = 30000;
  private podDeadlines = new Map<string, NodeJS.Timeout>();
  /** Extra time the node gets to finalise a terminating pod before the server removes it. */
  podForceDeleteGraceMs = 5000;

  constructor(readonly store: ObjectStore) {}

  allocateClusterIP(): string {
    for (;;) {
      const n = this.nextIP++;
      const ip = `10.96.${Math.floor(n / 256) % 256}.${n % 256}`;
      if (n % 256 !== 0 && n % 256 !== 255 && !this.usedIPs.has(ip)) { this.usedIPs.add(ip); return ip; }
    }
  }
  allocateNodePort(): number { return this.nextNodePort++; }

  get(t: ResourceType, ns: string | undefined, name: string): KubeObject {
    const o = this.store.get(t, ns, name);
    if (!o) throw notFound(t.plural, t.group, name);
    return o;
  }

  tryGet(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(t, ns, name);
  }

  list(t: ResourceType, ns: string | undefined, labelSelector?: string | null, fieldSelector?: string | null): KubeObject[] {
    const ls = parseLabelSelector(labelSelector);
    const fs = parseFieldSelector(fieldSelector, fieldSupported(t.kind), t.kind);
    return this.store.list(t, ns).filter((o) => matchesLabels(ls, o.metadata.labels) && matchesFields(fs, o));
  }

  private requireNamespace(t: ResourceType, ns: string | undefined, forCreate: boolean): void {
    if (!t.namespaced) return;
    const nsObj = this.store.get(byKind('Namespace'), undefined, ns!);
    if (!nsObj) throw notFound('namespaces', '', ns!);
    if (forCreate && nsObj.metadata.deletionTimestamp) {
      throw new ApiError(403, 'Forbidden', `${t.plural}${t.group ? '.' + t.group : ''} "${''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, { kind: t.plural, group: t.group || undefined, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }] });
    }
  }

  private checkTypeMeta(t: ResourceType, body: any): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
    const want = apiVersionOf(t);
    if (body.apiVersion && body.apiVersion !== want) throw badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`);
    if (body.kind && body.kind !== t.kind) throw badRequest(`${body.kind} in version "${body.apiVersion ?? want}" cannot be handled as a ${t.kind}: the kind in the data (${body.kind}) does not match the expected kind (${t.kind})`);
    body.apiVersion = want; body.kind = t.kind;
    body.metadata ??= {};
  }

  create(t: ResourceType, ns: string | undefined, input: any, opts: WriteOptions = {}): KubeObject {
    const body = clone(input);
    this.checkTypeMeta(t, body);
    const md = body.metadata;
    if (t.namespaced) {
      if (md.namespace && ns && md.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      md.namespace = ns ?? md.namespace;
    } else delete md.namespace;
    this.requireNamespace(t, md.namespace, true);
    // Admission runs before the name is generated, so its messages name the generateName prefix.
    if (t.kind === 'Pod') this.admitServiceAccount(body);
    if (!md.name && md.generateName) {
      for (let i = 0; i < 10 && (!md.name || this.store.get(t, md.namespace, md.name)); i++) md.name = md.generateName + randomSuffix();
    }
    if (md.name && this.store.get(t, md.namespace, md.name)) throw alreadyExists(t.plural, t.group, md.name);
    if (md.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    md.uid = randomUUID();
    md.creationTimestamp = timestamp();
    delete md.deletionTimestamp; delete md.deletionGracePeriodSeconds;
    if (GENERATION_KINDS.has(t.kind)) md.generation = 1;
    if (hasStatus(t) && t.kind !== 'Node' && t.kind !== 'Namespace') delete body.status;
    pruneUnknownFields(t.kind, body);
    applyDefaults(t.kind, body, this, true);
    validateObject(t, body);
    if (opts.manager) recordUpdate(undefined, body, opts.manager, apiVersionOf(t));
    if (opts.dryRun) return body;
    if (t.kind === 'Service' && body.spec?.clusterIP) this.usedIPs.add(body.spec.clusterIP);
    return this.store.put(t, body, 'ADDED');
  }

  /**
   * The ServiceAccount admission plugin: a pod's service account must exist. The `default` one is
   * let through while the service-account controller is still creating it in a new namespace.
   * A pod that names no imagePullSecrets gets the account's (how a pull secret patched into the
   * `default` ServiceAccount reaches the pods of a chart that does not use `pullSecrets`).
   */
  private admitServiceAccount(pod: KubeObject): void {
    const sa = pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';
    const account = this.store.get(byKind('ServiceAccount'), pod.metadata.namespace, sa) as (KubeObject & { imagePullSecrets?: { name?: string }[] }) | undefined;
    if (!account) {
      if (sa === 'default') return;
      const name = pod.metadata.name ?? pod.metadata.generateName ?? '';
      throw new ApiError(403, 'Forbidden', `pods "${name}" is forbidden: error looking up service account ${pod.metadata.namespace}/${sa}: serviceaccount "${sa}" not found`, { name, kind: 'pods' });
    }
    if (pod.spec && !pod.spec.imagePullSecrets?.length && account.imagePullSecrets?.length) {
      pod.spec.imagePullSecrets = account.imagePullSecrets.map((s) => ({ name: s.name }));
    }
  }

  /** PUT: replaces the object (or only its status with subresource 'status'). */
  update(t: ResourceType, ns: string | undefined, name: string, input: any, opts: WriteOptions = {}): KubeObject {
    const body = clone(input);
    this.checkTypeMeta(t, body);
    if (body.metadata.name && body.metadata.name !== name) throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    body.metadata.name = name;
    if (t.namespaced) {
      if (body.metadata.namespace && body.metadata.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      body.metadata.namespace = ns;
    }
    const old = this.get(t, ns, name);
    if (body.metadata.resourceVersion && body.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(t.plural, t.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    return this.write(t, old, body, opts);
  }

  /** Shared tail of update and patch: keeps what the client may not change, defaults, validates, stores. */
  private write(t: ResourceType, old: KubeObject, body: any, opts: WriteOptions): KubeObject {
    // A uid in the body is a precondition (the kubelet sends one with every pod status patch, so a
    // late patch for a deleted pod cannot land on a new pod of the same name).
    if (body.metadata?.uid && body.metadata.uid !== old.metadata.uid) {
      throw conflict(t.plural, t.group, old.metadata.name, `Precondition failed: UID in precondition: ${body.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    let next: any;
    if (opts.subresource === 'status') {
      next = { ...clone(old), status: body.status };
      if (t.kind === 'Namespace') next.status = { ...body.status };
    } else {
      next = body;
      if (hasStatus(t) && t.kind !== 'Node') next.status = clone(old.status);
      else if (t.kind === 'Node') next.status = body.status ?? clone(old.status);
    }
    const md = next.metadata;
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace', 'generation'] as const) {
      if (old.metadata[k] === undefined) delete md[k]; else md[k] = old.metadata[k];
    }
    if (md.managedFields === undefined && old.metadata.managedFields) md.managedFields = clone(old.metadata.managedFields);
    if (old.metadata.deletionTimestamp && (md.finalizers ?? []).some((f: string) => !(old.metadata.finalizers ?? []).includes(f))) {
      throw new ApiError(422, 'Invalid', `${t.kind} "${old.metadata.name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`);
    }
    pruneUnknownFields(t.kind, next);
    applyDefaults(t.kind, next, this, false);
    if (GENERATION_KINDS.has(t.kind) && opts.subresource !== 'status' && JSON.stringify(next.spec) !== JSON.stringify(old.spec)) md.generation = (old.metadata.generation ?? 0) + 1;
    validateObject(t, next, old);
    if (opts.manager) recordUpdate(old, next, opts.manager, apiVersionOf(t), opts.subresource);
    const same = (a: any) => JSON.stringify({ ...a, metadata: { ...a.metadata, resourceVersion: '', managedFields: (a.metadata.managedFields ?? []).map((m: any) => ({ ...m, time: '' })) } });
    if (same(next) === same(old)) return old;
    if (opts.dryRun) return next;
    if (t.kind !== 'Namespace' && md.deletionTimestamp && (md.finalizers ?? []).length === 0 && !(t.kind === 'Pod' && old.spec?.nodeName && old.metadata.deletionGracePeriodSeconds > 0)) {
      this.store.put(t, next, 'MODIFIED');
      return this.store.remove(t, md.namespace, md.name)!;
    }
    return this.store.put(t, next, 'MODIFIED');
  }

  patch(t: ResourceType, ns: string | undefined, name: string, type: PatchType, patch: any, opts: WriteOptions & { force?: boolean } = {}): KubeObject {
    const old = this.store.get(t, ns, name);
    if (type === 'apply') {
      if (!opts.manager) throw badRequest('PATCH requests for apply must specify fieldManager');
      this.checkTypeMeta(t, patch);
      if (patch.metadata.name && patch.metadata.name !== name) throw badRequest(`the name of the object (${patch.metadata.name}) does not match the name on the URL (${name})`);
      if (t.namespaced && patch.metadata.namespace && patch.metadata.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      patch.metadata.name = name;
      if (t.namespaced) patch.metadata.namespace = ns;
      const { object } = serverSideApply(old, patch, opts.manager, !!opts.force, apiVersionOf(t), t);
      // Created by apply: one ADDED event, with this manager's Apply entry as the only owner.
      if (!old) return this.create(t, ns, object, { dryRun: opts.dryRun });
      if (patch.metadata.resourceVersion && patch.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(t.plural, t.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
      return this.write(t, old, object, { ...opts, manager: undefined });
    }
    if (!old) throw notFound(t.plural, t.group, name);
    let next: any;
    if (type === 'merge') next = mergePatch(old, patch);
    else if (type === 'json') next = jsonPatch(old, patch);
    else next = strategicMergePatch(old, patch);
    if (typeof next !== 'object' || next === null) throw badRequest('the patch did not produce an object');
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(t.plural, t.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    if (next.metadata?.name !== name) throw badRequest(`the name of the object (${next.metadata?.name}) does not match the name on the URL (${name})`);
    return this.write(t, old, next, opts);
  }

  /** DELETE. Returns the object when it still exists (terminating), else the removed object. */
  delete(t: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions = {}): { object: KubeObject; removed: boolean } {
    const obj = this.get(t, ns, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== obj.metadata.uid) throw conflict(t.plural, t.group, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) throw conflict(t.plural, t.group, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
    if (t.kind === 'Namespace' && PROTECTED_NAMESPACES.has(name)) throw new ApiError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' });
    if (opts.dryRun) return { object: obj, removed: false };
    const md = obj.metadata;
    const policy = opts.propagationPolicy ?? (md.finalizers?.includes('orphan') ? 'Orphan' : 'Background');
    if (policy === 'Orphan') this.orphanDependents(md.uid);

    if (t.kind === 'Namespace') {
      if (!md.deletionTimestamp) {
        md.deletionTimestamp = timestamp();
        md.deletionGracePeriodSeconds = 0;
        obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
        return { object: this.store.put(t, obj, 'MODIFIED'), removed: false };
      }
      return { object: obj, removed: false };
    }
    if (t.kind === 'Pod' && obj.spec?.nodeName && !['Succeeded', 'Failed'].includes(obj.status?.phase)) {
      const grace = opts.gracePeriodSeconds ?? obj.spec.terminationGracePeriodSeconds ?? 30;
      if (grace > 0) {
        // Graceful: the node stops the containers and finalises with gracePeriodSeconds=0.
        if (md.deletionTimestamp && md.deletionGracePeriodSeconds <= grace) return { object: obj, removed: false };
        md.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
        md.deletionGracePeriodSeconds = grace;
        const stored = this.store.put(t, obj, 'MODIFIED');
        this.schedulePodForceDelete(t, ns!, name, md.uid, grace * 1000 + this.podForceDeleteGraceMs);
        return { object: stored, removed: false };
      }
    }
    if (policy === 'Foreground') {
      if (!md.finalizers?.includes('foregroundDeletion')) md.finalizers = [...(md.finalizers ?? []), 'foregroundDeletion'];
    }
    if ((md.finalizers ?? []).length) {
      if (!md.deletionTimestamp) {
        md.deletionTimestamp = timestamp(); md.deletionGracePeriodSeconds = 0;
        return { object: this.store.put(t, obj, 'MODIFIED'), removed: false };
      }
      return { object: this.store.put(t, obj, 'MODIFIED'), removed: false };
    }
    return { object: this.removeNow(t, ns, name)!, removed: true };
  }

  removeNow(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const key = `${ns}/${name}`;
    clearTimeout(this.podDeadlines.get(key));
    this.podDeadlines.delete(key);
    const o = this.store.remove(t, ns, name);
    if (o && t.kind === 'Service' && o.spec?.clusterIP) this.usedIPs.delete(o.spec.clusterIP);
    return o;
  }

  private schedulePodForceDelete(t: ResourceType, ns: string, name: string, uid: string, ms: number): void {
    const key = `${ns}/${name}`;
    clearTimeout(this.podDeadlines.get(key));
    const timer = setTimeout(() => {
      this.podDeadlines.delete(key);
      const cur = this.store.get(t, ns, name);
      if (cur && cur.metadata.uid === uid) this.removeNow(t, ns, name);
    }, ms);
    timer.unref();
    this.podDeadlines.set(key, timer);
  }

  private orphanDependents(uid: string): void {
    for (const [t, o] of [...this.store.all()]) {
      const refs: any[] = o.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      const next = clone(o);
      next.metadata.ownerReferences = refs.filter((r) => r.uid !== uid);
      if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
      this.store.put(t, next, 'MODIFIED');
    }
  }

  /** Records an Event about `obj`, as a controller or the scheduler would. */
  recordEvent(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string): void {
    const t = byKind('Event');
    const ns = obj.metadata.namespace ?? 'default';
    if (!this.store.get(byKind('Namespace'), undefined, ns)) return;
    const ts = timestamp();
    try {
      this.create(t, ns, {
        metadata: { name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`, namespace: ns },
        involvedObject: { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion },
        reason, message, type, source: { component }, firstTimestamp: ts, lastTimestamp: ts, count: 1, reportingComponent: component, reportingInstance: '',
      });
    } catch { /* the namespace may be terminating */ }
  }

  dispose(): void {
    for (const t of this.podDeadlines.values()) clearTimeout(t);
    this.podDeadlines.clear();
  }
}
