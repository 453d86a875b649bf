// Validation: the Kubernetes OpenAPI schemas (through kubernetes-models) plus the semantic checks
// the real server makes on the fields the app uses. Answers 422 Invalid with field causes, or 400
// for values that would not even decode (a string where an integer belongs).

import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as storage from 'kubernetes-models/storage.k8s.io/v1';
import type { ResourceType } from './resources';
import type { KubeObject } from './store';
import { ApiError, invalid, type FieldError } from './status';
import { fromObjectSelector, matchesLabels } from './selectors';

type ModelCtor = new (data: any) => { validate(): void };
const MODELS: Record<string, ModelCtor> = {
  Namespace: core.Namespace, Pod: core.Pod, Service: core.Service, Endpoints: core.Endpoints, Secret: core.Secret,
  ConfigMap: core.ConfigMap, ServiceAccount: core.ServiceAccount, Event: core.Event, PersistentVolumeClaim: core.PersistentVolumeClaim,
  Node: core.Node, Deployment: apps.Deployment, ReplicaSet: apps.ReplicaSet, DaemonSet: apps.DaemonSet, Role: rbac.Role, RoleBinding: rbac.RoleBinding,
  ClusterRole: rbac.ClusterRole, ClusterRoleBinding: rbac.ClusterRoleBinding, StorageClass: storage.StorageClass,
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
/** RBAC names are only checked to be valid path segments. */
const PATH_NAMED = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

function schemaErrors(kind: string, obj: KubeObject): FieldError[] {
  const Model = MODELS[kind];
  if (!Model) return [];
  try {
    new Model(obj).validate();
    return [];
  } catch (e: any) {
    const errs: any[] = e?.errors ?? [];
    const out: FieldError[] = [];
    for (const er of errs) {
      const base = jsonPointerToField(er.instancePath ?? '');
      if (er.keyword === 'required') out.push({ type: 'FieldValueRequired', field: join(base, er.params.missingProperty) });
      else if (er.keyword === 'type') {
        // The real server cannot even decode such a body.
        const value = valueAt(obj, er.instancePath);
        throw new ApiError(400, 'BadRequest', `${kind} in version "${obj.apiVersion}" cannot be handled as a ${kind}: json: cannot unmarshal ${jsonType(value)} into Go struct field .${base} of type ${er.params.type}`);
      } else if (er.keyword === 'enum') out.push({ type: 'FieldValueNotSupported', field: base, value: valueAt(obj, er.instancePath), detail: `supported values: ${(er.params.allowedValues ?? []).map((v: string) => `"${v}"`).join(', ')}` });
      else if (er.keyword === 'additionalProperties' || er.keyword === 'oneOf' || er.keyword === 'anyOf') continue;
      else out.push({ type: 'FieldValueInvalid', field: base, value: valueAt(obj, er.instancePath), detail: er.message });
    }
    return out;
  }
}

function jsonType(v: unknown): string { return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v; }

function jsonPointerToField(p: string): string {
  let out = '';
  for (const seg of p.split('/').slice(1)) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(s) ? `[${s}]` : (out ? '.' : '') + s;
  }
  return out;
}
function join(base: string, key: string): string { return base ? `${base}.${key}` : key; }
function valueAt(obj: any, pointer: string): unknown {
  let cur = obj;
  for (const seg of pointer.split('/').slice(1)) cur = cur?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return cur;
}

function validateName(kind: string, name: string | undefined, field: string, errs: FieldError[]): void {
  if (!name) return;
  if (PATH_NAMED.has(kind)) {
    if (name === '.' || name === '..' || name.includes('/') || name.includes('%')) errs.push({ type: 'FieldValueInvalid', field, value: name, detail: `may not contain '/'` });
    return;
  }
  const label = LABEL_NAMED.has(kind);
  if (!(label ? DNS1123_LABEL : DNS1123_SUBDOMAIN).test(name) || name.length > (label ? 63 : 253)) {
    errs.push({ type: 'FieldValueInvalid', field, value: name, detail: label ? LABEL_MSG : SUBDOMAIN_MSG });
  }
}

function validateLabels(labels: Record<string, string> | undefined, field: string, errs: FieldError[]): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name) || name.length > 63) errs.push({ type: 'FieldValueInvalid', field, value: k, detail: "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character" });
    if (typeof v !== 'string' || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v) || v.length > 63) errs.push({ type: 'FieldValueInvalid', field: `${field}`, value: v, detail: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character" });
  }
}

function validatePodSpec(spec: any, path: string, errs: FieldError[], inTemplate: boolean): void {
  if (!spec) return;
  const volumeNames = new Set<string>();
  (spec.volumes ?? []).forEach((v: any, i: number) => {
    const f = `${path}.volumes[${i}].name`;
    if (!v.name) errs.push({ type: 'FieldValueRequired', field: f });
    else if (volumeNames.has(v.name)) errs.push({ type: 'FieldValueDuplicate', field: f, value: v.name });
    else if (!DNS1123_LABEL.test(v.name)) errs.push({ type: 'FieldValueInvalid', field: f, value: v.name, detail: LABEL_MSG });
    volumeNames.add(v.name);
  });
  const names = new Set<string>();
  const check = (list: any[] | undefined, key: string) => (list ?? []).forEach((c: any, i: number) => {
    const p = `${path}.${key}[${i}]`;
    if (!c.name) errs.push({ type: 'FieldValueRequired', field: `${p}.name` });
    else if (names.has(c.name)) errs.push({ type: 'FieldValueDuplicate', field: `${p}.name`, value: c.name });
    else if (!DNS1123_LABEL.test(c.name)) errs.push({ type: 'FieldValueInvalid', field: `${p}.name`, value: c.name, detail: LABEL_MSG });
    if (c.name) names.add(c.name);
    if (!c.image || (typeof c.image === 'string' && c.image.trim() === '')) errs.push({ type: 'FieldValueRequired', field: `${p}.image` });
    if (c.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy)) errs.push({ type: 'FieldValueNotSupported', field: `${p}.imagePullPolicy`, value: c.imagePullPolicy, detail: 'supported values: "Always", "IfNotPresent", "Never"' });
    const portNames = new Set<string>();
    (c.ports ?? []).forEach((port: any, j: number) => {
      const pp = `${p}.ports[${j}]`;
      if (typeof port.containerPort === 'number' && (port.containerPort < 1 || port.containerPort > 65535)) errs.push({ type: 'FieldValueInvalid', field: `${pp}.containerPort`, value: port.containerPort, detail: 'must be between 1 and 65535, inclusive' });
      if (port.name !== undefined) {
        if (!IANA_SVC_NAME.test(port.name) || port.name.length > 15) errs.push({ type: 'FieldValueInvalid', field: `${pp}.name`, value: port.name, detail: 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)' });
        else if (portNames.has(port.name)) errs.push({ type: 'FieldValueDuplicate', field: `${pp}.name`, value: port.name });
        portNames.add(port.name);
      }
      if (port.protocol && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) errs.push({ type: 'FieldValueNotSupported', field: `${pp}.protocol`, value: port.protocol, detail: 'supported values: "SCTP", "TCP", "UDP"' });
    });
    (c.volumeMounts ?? []).forEach((m: any, j: number) => {
      if (m.name && !volumeNames.has(m.name)) errs.push({ type: 'FieldValueInvalid' as const, field: `${p}.volumeMounts[${j}].name`, value: m.name, detail: 'volume not found' });
      if (!m.mountPath) errs.push({ type: 'FieldValueRequired', field: `${p}.volumeMounts[${j}].mountPath` });
    });
    (c.env ?? []).forEach((e: any, j: number) => { if (!e.name) errs.push({ type: 'FieldValueRequired', field: `${p}.env[${j}].name` }); });
  });
  if (!spec.containers || spec.containers.length === 0) errs.push({ type: 'FieldValueRequired', field: `${path}.containers` });
  check(spec.initContainers, 'initContainers');
  check(spec.containers, 'containers');
  const policies = inTemplate ? ['Always'] : ['Always', 'OnFailure', 'Never'];
  if (spec.restartPolicy && !policies.includes(spec.restartPolicy)) errs.push({ type: 'FieldValueNotSupported', field: `${path}.restartPolicy`, value: spec.restartPolicy, detail: `supported values: ${policies.map((p) => `"${p}"`).join(', ')}` });
}

function validateWorkload(obj: any, old: any | undefined, errs: FieldError[]): void {
  const s = obj.spec ?? {};
  if (typeof s.replicas === 'number' && s.replicas < 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.replicas', value: s.replicas, detail: 'must be greater than or equal to 0' });
  if (!s.selector) errs.push({ type: 'FieldValueRequired', field: 'spec.selector' });
  else {
    const sel = fromObjectSelector(s.selector);
    if (sel.length === 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: s.selector, detail: 'empty selector is invalid for deployment' });
    else if (!matchesLabels(sel, s.template?.metadata?.labels)) errs.push({ type: 'FieldValueInvalid', field: 'spec.template.metadata.labels', value: s.template?.metadata?.labels ?? {}, detail: '`selector` does not match template `labels`' });
  }
  if (old && (obj.kind === 'Deployment' || obj.kind === 'DaemonSet') && JSON.stringify(old.spec?.selector) !== JSON.stringify(s.selector)) errs.push({ type: 'FieldValueInvalid', field: 'spec.selector', value: s.selector, detail: 'field is immutable' });
  if (!s.template) errs.push({ type: 'FieldValueRequired', field: 'spec.template' });
  else { validateLabels(s.template.metadata?.labels, 'spec.template.metadata.labels', errs); validatePodSpec(s.template.spec, 'spec.template.spec', errs, true); }
  if (obj.kind === 'Deployment') {
    const st = s.strategy;
    if (st?.type && !['RollingUpdate', 'Recreate'].includes(st.type)) errs.push({ type: 'FieldValueNotSupported', field: 'spec.strategy.type', value: st.type, detail: 'supported values: "Recreate", "RollingUpdate"' });
    if (st?.type === 'Recreate' && st.rollingUpdate) errs.push({ type: 'FieldValueForbidden', field: 'spec.strategy.rollingUpdate', detail: 'may not be specified when strategy `type` is \'Recreate\'' });
  }
  if (obj.kind === 'DaemonSet') {
    const st = s.updateStrategy;
    if (st?.type && !['RollingUpdate', 'OnDelete'].includes(st.type)) errs.push({ type: 'FieldValueNotSupported', field: 'spec.updateStrategy.type', value: st.type, detail: 'supported values: "OnDelete", "RollingUpdate"' });
  }
}

function validateService(obj: any, old: any | undefined, errs: FieldError[]): void {
  const s = obj.spec ?? {};
  const ports: any[] = s.ports ?? [];
  if (s.type !== 'ExternalName' && s.clusterIP !== 'None' && ports.length === 0) errs.push({ type: 'FieldValueRequired', field: 'spec.ports' });
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].port`, value: p.port, detail: 'must be between 1 and 65535, inclusive' });
    if (ports.length > 1 && !p.name) errs.push({ type: 'FieldValueRequired', field: `spec.ports[${i}].name` });
    if (p.name) { if (names.has(p.name)) errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].name`, value: p.name }); names.add(p.name); }
    if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535)) errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].targetPort`, value: p.targetPort, detail: 'must be between 1 and 65535, inclusive' });
  });
  if (s.type && !['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(s.type)) errs.push({ type: 'FieldValueNotSupported', field: 'spec.type', value: s.type, detail: 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"' });
  if (old && old.spec?.clusterIP && s.clusterIP !== old.spec.clusterIP && old.spec.type !== 'ExternalName' && s.type !== 'ExternalName') errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', value: s.clusterIP ?? '', detail: 'may not change once set' });
}

function validateDataKeys(data: Record<string, unknown> | undefined, field: string, errs: FieldError[]): void {
  for (const k of Object.keys(data ?? {})) if (!CONFIG_KEY.test(k)) errs.push({ type: 'FieldValueInvalid', field: `${field}`, value: k, detail: "a valid config key must consist of alphanumeric characters, '-', '_' or '.'" });
}

/** Typed Secrets must carry their keys (pkg/apis/core/validation ValidateSecret). */
function validateSecretType(obj: any, errs: FieldError[]): void {
  const data: Record<string, string> = obj.data ?? {};
  const decoded = (k: string) => Buffer.from(data[k] ?? '', 'base64').toString('utf8');
  const requireKey = (k: string) => { if (!(k in data)) { errs.push({ type: 'FieldValueRequired', field: `data[${k}]` }); return false; } return true; };
  const requireJson = (k: string) => {
    if (!requireKey(k)) return;
    try { JSON.parse(decoded(k)); } catch (e) { errs.push({ type: 'FieldValueInvalid', field: `data[${k}]`, value: '<secret contents redacted>', detail: (e as Error).message }); }
  };
  switch (obj.type) {
    case 'kubernetes.io/dockerconfigjson': requireJson('.dockerconfigjson'); break;
    case 'kubernetes.io/dockercfg': requireJson('.dockercfg'); break;
    case 'kubernetes.io/tls': requireKey('tls.crt'); requireKey('tls.key'); break;
    case 'kubernetes.io/ssh-auth': requireKey('ssh-privatekey'); break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) errs.push({ type: 'FieldValueRequired', field: 'data[username]' });
      break;
  }
}

/** ConfigMaps and Secrets marked `immutable: true` keep their data and stay immutable. */
function validateImmutable(obj: any, old: any | undefined, fields: string[], errs: FieldError[]): void {
  if (!old?.immutable) return;
  if (obj.immutable !== true) errs.push({ type: 'FieldValueForbidden', field: 'immutable', detail: 'field is immutable when `immutable` is set' });
  for (const f of fields) if (JSON.stringify(obj[f] ?? null) !== JSON.stringify(old[f] ?? null)) errs.push({ type: 'FieldValueForbidden', field: f, detail: 'field is immutable when `immutable` is set' });
}

/** Throws 422 Invalid (or 400) when `obj` would be rejected by the real API server. */
export function validateObject(t: ResourceType, obj: KubeObject, old?: KubeObject): void {
  const errs: FieldError[] = [];
  const md = obj.metadata ?? {};
  if (!md.name && !md.generateName) errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  validateName(t.kind, md.name, 'metadata.name', errs);
  validateLabels(md.labels, 'metadata.labels', errs);
  if (t.namespaced && !md.namespace) errs.push({ type: 'FieldValueRequired', field: 'metadata.namespace' });
  switch (t.kind) {
    case 'Pod': validatePodSpec(obj.spec, 'spec', errs, false);
      if (old) {
        // Pod specs are immutable apart from images and a few scheduling fields.
        const strip = (s: any) => JSON.stringify({ ...s, containers: (s?.containers ?? []).map((c: any) => ({ ...c, image: '' })), initContainers: (s?.initContainers ?? []).map((c: any) => ({ ...c, image: '' })), activeDeadlineSeconds: 0, tolerations: [], nodeName: '' });
        if (strip(obj.spec) !== strip(old.spec)) errs.push({ type: 'FieldValueForbidden', field: 'spec', detail: 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)' });
      }
      break;
    case 'Deployment': case 'ReplicaSet': case 'DaemonSet': validateWorkload(obj, old, errs); break;
    case 'Service': validateService(obj, old, errs); break;
    case 'ConfigMap': validateDataKeys(obj.data, 'data', errs); validateDataKeys(obj.binaryData, 'binaryData', errs); validateImmutable(obj, old, ['data', 'binaryData'], errs); break;
    case 'Secret': validateDataKeys(obj.data, 'data', errs);
      for (const [k, v] of Object.entries(obj.data ?? {})) if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new ApiError(400, 'BadRequest', `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0 (key ${k})`);
      validateImmutable(obj, old, ['data'], errs);
      validateSecretType(obj, errs);
      if (old && old.type !== obj.type) errs.push({ type: 'FieldValueInvalid', field: 'type', value: obj.type, detail: 'field is immutable' });
      break;
  }
  if (errs.length === 0) errs.push(...schemaErrors(t.kind, obj));
  if (errs.length) throw invalid(t.kind, t.group, md.name ?? md.generateName ?? '', errs);
}
