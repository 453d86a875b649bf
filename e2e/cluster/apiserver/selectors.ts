// Label and field selectors in the query-string syntax of the real API server
// (k8s.io/apimachinery/pkg/labels and pkg/fields), parsed once per request.

import { badRequest } from './status';

type Labels = Record<string, string> | undefined;
export interface LabelRequirement { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!'; values: string[] }
export type LabelSelector = LabelRequirement[];

/** Splits on commas that are not inside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim() !== '' || out.length) out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function parseLabelSelector(raw: string | null | undefined): LabelSelector {
  if (!raw) return [];
  return splitTopLevel(raw).map((part) => {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(\S+)\s+(in|notin)\s*\((.*)\)$/))) {
      return req(m[1], m[2] as 'in' | 'notin', m[3].split(',').map((v) => v.trim()).filter((v) => v !== ''), raw);
    }
    if ((m = part.match(/^(\S+?)\s*(==|!=|=)\s*(\S*)$/))) return req(m[1], m[2] === '!=' ? '!=' : '=', [m[3]], raw);
    if ((m = part.match(/^!\s*(\S+)$/))) return req(m[1], '!', [], raw);
    if (KEY.test(part)) return req(part, 'exists', [], raw);
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  });
}

function req(key: string, op: LabelRequirement['op'], values: string[], raw: string): LabelRequirement {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${raw}"`);
  for (const v of values) if (!VALUE.test(v)) throw badRequest(`unable to parse requirement: invalid label value: "${v}"`);
  return { key, op, values };
}

export function matchesLabels(sel: LabelSelector, labels: Labels): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=': return has && l[r.key] === r.values[0];
      case '!=': return !has || l[r.key] !== r.values[0];
      case 'in': return has && r.values.includes(l[r.key]);
      case 'notin': return !has || !r.values.includes(l[r.key]);
      case 'exists': return has;
      case '!': return !has;
    }
  });
}

/** A metav1.LabelSelector (matchLabels + matchExpressions) as stored in Deployments and ReplicaSets. */
export interface ObjectLabelSelector { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }

export function fromObjectSelector(s: ObjectLabelSelector | undefined): LabelSelector {
  if (!s) return [];
  const out: LabelSelector = Object.entries(s.matchLabels ?? {}).map(([key, v]) => ({ key, op: '=' as const, values: [v] }));
  for (const e of s.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (op) out.push({ key: e.key, op, values: e.values ?? [] });
  }
  return out;
}

export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

export function parseFieldSelector(raw: string | null | undefined, supported: (field: string) => boolean, kind: string): FieldRequirement[] {
  if (!raw) return [];
  return splitTopLevel(raw).map((part) => {
    const m = part.match(/^([^=!]+?)\s*(==|!=|=)\s*(.*)$/);
    if (!m) throw badRequest(`invalid selector: '${raw}'; can't understand '${part}'`);
    if (!supported(m[1])) throw badRequest(`field label not supported: ${m[1]}`);
    // The real server reports the kind in the message for unsupported labels via conversion funcs.
    void kind;
    return { field: m[1], op: m[2] === '!=' ? '!=' as const : '=' as const, value: m[3] };
  });
}

/** Field values that selectors may name, per kind, as the real server's field label conversions allow. */
export function fieldValue(obj: any, field: string): string | undefined {
  const path = field.split('.');
  let cur = obj;
  for (const p of path) cur = cur == null ? undefined : cur[p];
  if (cur === undefined || cur === null) return '';
  return String(cur);
}

const COMMON = ['metadata.name', 'metadata.namespace'];
const BY_KIND: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
};

export function fieldSupported(kind: string): (field: string) => boolean {
  return (f) => COMMON.includes(f) || (BY_KIND[kind] ?? []).includes(f);
}

export function matchesFields(reqs: FieldRequirement[], obj: any): boolean {
  return reqs.every((r) => {
    let v = fieldValue(obj, r.field);
    if (r.field === 'source' && obj.kind === 'Event') v = obj.source?.component ?? '';
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}
