// Field ownership for server-side apply: which manager set which field, kept in
// metadata.managedFields in the real FieldsV1 format (`f:spec`, `k:{"name":"web"}`, `.`).
// Paths are arrays of those segments; a path ending in '.' stands for a keyed list item itself.

import { mergeKeyOf } from './patch';

export type FieldPath = string[];
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata the system owns, never tracked per manager. */
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

export const pathKey = (p: FieldPath) => p.join('\u0001');
export const keyPath = (k: string): FieldPath => k.split('\u0001');

/** The set of leaf fields (and keyed list items) an object sets. */
export function fieldsOf(obj: any, includeStatus = false): Set<string> {
  const out = new Set<string>();
  const walk = (v: any, path: FieldPath, names: string[]) => {
    for (const [k, x] of Object.entries(v)) {
      if (names.length === 0 && (k === 'apiVersion' || k === 'kind' || (k === 'status' && !includeStatus))) continue;
      if (names.length === 1 && names[0] === 'metadata' && SKIP_META.has(k)) continue;
      const p = [...path, `f:${k}`];
      if (isObj(x) && Object.keys(x).length) walk(x, p, [...names, k]);
      else if (Array.isArray(x) && x.every(isObj) && mergeKeyOf(k, x, names)) {
        // A keyed (associative) list: each item is owned on its own; an empty one owns nothing.
        const key = mergeKeyOf(k, x, names)!;
        for (const item of x) {
          const ip = [...p, `k:${JSON.stringify({ [key]: item[key] })}`];
          out.add(pathKey([...ip, '.']));
          walk(item, ip, [...names, k]);
        }
      } else out.add(pathKey(p));
    }
  };
  walk(obj, [], []);
  return out;
}

/** The value at a field path, or undefined when the object lacks it. */
export function valueAtPath(obj: any, path: FieldPath): unknown {
  let cur = obj;
  for (const seg of path) {
    if (cur === undefined) return undefined;
    if (seg === '.') return cur;
    if (seg.startsWith('f:')) cur = isObj(cur) ? cur[seg.slice(2)] : undefined;
    else if (seg.startsWith('k:')) {
      const want = JSON.parse(seg.slice(2));
      const [k, v] = Object.entries(want)[0];
      cur = Array.isArray(cur) ? cur.find((i) => isObj(i) && i[k] === v) : undefined;
    }
  }
  return cur;
}

/** Removes the field at `path`; for a '.' path removes the whole list item. */
export function removePath(obj: any, path: FieldPath): void {
  const parent = valueAtPath(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last === '.') {
    const list = valueAtPath(obj, path.slice(0, -2));
    const item = parent;
    if (Array.isArray(list)) { const i = list.indexOf(item); if (i >= 0) list.splice(i, 1); }
    return;
  }
  if (last.startsWith('f:') && isObj(parent)) delete parent[last.slice(2)];
}

/** FieldsV1 JSON from a set of paths. */
export function toFieldsV1(paths: Iterable<string>): Record<string, any> {
  const root: Record<string, any> = {};
  for (const k of paths) {
    let cur = root;
    for (const seg of keyPath(k)) cur = cur[seg] ??= {};
  }
  return root;
}

/** Paths from FieldsV1 JSON: leaves are empty objects; '.' marks a list item. */
export function fromFieldsV1(f: Record<string, any> | undefined): Set<string> {
  const out = new Set<string>();
  const walk = (v: Record<string, any>, path: FieldPath) => {
    const keys = Object.keys(v);
    if (keys.length === 0 && path.length) { out.add(pathKey(path)); return; }
    for (const k of keys) walk(v[k], [...path, k]);
  };
  if (f) walk(f, []);
  return out;
}

export interface ManagedFieldsEntry { manager: string; operation: 'Apply' | 'Update'; apiVersion: string; time: string; fieldsType: 'FieldsV1'; fieldsV1: Record<string, any>; subresource?: string }

export function readOwnership(obj: any): { entry: ManagedFieldsEntry; fields: Set<string> }[] {
  return ((obj?.metadata?.managedFields ?? []) as ManagedFieldsEntry[]).map((entry) => ({ entry, fields: fromFieldsV1(entry.fieldsV1) }));
}

export function writeOwnership(obj: any, owners: { entry: ManagedFieldsEntry; fields: Set<string> }[]): void {
  const list = owners.filter((o) => o.fields.size > 0).map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.fields) }));
  if (list.length) obj.metadata.managedFields = list; else delete obj.metadata.managedFields;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Records a non-apply write: fields whose values changed now belong to `manager` alone. */
export function recordUpdate(oldObj: any | undefined, newObj: any, manager: string, apiVersion: string, subresource?: string): void {
  const owners = readOwnership(oldObj ?? newObj);
  const isStatus = subresource === 'status';
  const newFields = fieldsOf(isStatus ? { status: newObj.status } : newObj, isStatus);
  const changed = new Set<string>();
  for (const f of newFields) if (!oldObj || JSON.stringify(valueAtPath(oldObj, keyPath(f))) !== JSON.stringify(valueAtPath(newObj, keyPath(f)))) changed.add(f);
  for (const o of owners) for (const f of [...o.fields]) if (valueAtPath(newObj, keyPath(f)) === undefined) o.fields.delete(f);
  if (changed.size === 0) { writeOwnership(newObj, owners); return; }
  for (const o of owners) if (!(o.entry.manager === manager && o.entry.operation === 'Update')) for (const f of changed) o.fields.delete(f);
  let mine = owners.find((o) => o.entry.manager === manager && o.entry.operation === 'Update' && (o.entry.subresource ?? '') === (subresource ?? ''));
  if (!mine) owners.push((mine = { entry: { manager, operation: 'Update', apiVersion, time: now(), fieldsType: 'FieldsV1', fieldsV1: {}, ...(subresource ? { subresource } : {}) }, fields: new Set() }));
  mine.entry.time = now();
  for (const f of changed) mine.fields.add(f);
  writeOwnership(newObj, owners);
}

export { now as timestamp };
