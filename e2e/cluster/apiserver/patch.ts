// PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and Kubernetes strategic
// merge patch, whose lists of containers, ports, env, volumes… merge by a key instead of
// being replaced (k8s.io/apimachinery/pkg/util/strategicpatch).

import { badRequest, ApiError } from './status';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: any, patch: any): any {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, any> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function decodePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${p}"`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function jsonPatch(doc: any, ops: any): any {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = structuredClone(doc);
  const parentOf = (path: string[]) => {
    let cur = root;
    for (const seg of path.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(seg)] : cur?.[seg];
      if (cur === undefined || cur === null) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: doc is missing path: "/${path.join('/')}": missing value`);
    }
    return cur;
  };
  const get = (path: string[]) => { let cur = root; for (const s of path) { cur = Array.isArray(cur) ? cur[Number(s)] : cur?.[s]; } return cur; };
  for (const op of ops) {
    const path = decodePointer(op.path ?? '');
    const last = path[path.length - 1];
    switch (op.op) {
      case 'add': case 'replace': {
        if (path.length === 0) { root = structuredClone(op.value); break; }
        const parent = parentOf(path);
        if (Array.isArray(parent)) {
          const i = last === '-' ? parent.length : Number(last);
          if (op.op === 'add') parent.splice(i, 0, structuredClone(op.value)); else parent[i] = structuredClone(op.value);
        } else {
          if (op.op === 'replace' && !(last in parent)) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: replace operation does not apply: doc is missing key: /${path.join('/')}: missing value`);
          parent[last] = structuredClone(op.value);
        }
        break;
      }
      case 'remove': {
        const parent = parentOf(path);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else { if (!(last in parent)) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: remove operation does not apply: doc is missing path: "/${path.join('/')}": missing value`); delete parent[last]; }
        break;
      }
      case 'test':
        if (JSON.stringify(get(path)) !== JSON.stringify(op.value)) throw new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value /${path.join('/')} failed: test failed`);
        break;
      case 'move': case 'copy': {
        const from = decodePointer(op.from);
        const value = structuredClone(get(from));
        if (op.op === 'move') { const fp = parentOf(from); if (Array.isArray(fp)) fp.splice(Number(from[from.length - 1]), 1); else delete fp[from[from.length - 1]]; }
        const parent = parentOf(path);
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value); else parent[last] = value;
        break;
      }
      default: throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

/** The merge key of a list field, as the Go types' `patchMergeKey` tags declare it. */
export function mergeKeyOf(field: string, items: any[], parentPath: string[]): string | undefined {
  switch (field) {
    case 'containers': case 'initContainers': case 'ephemeralContainers': case 'env': case 'volumes':
    case 'imagePullSecrets': return 'name';
    case 'volumeMounts': return 'mountPath';
    case 'volumeDevices': return 'devicePath';
    case 'conditions': return 'type';
    case 'hostAliases': return 'ip';
    case 'ownerReferences': return 'uid';
    case 'ports': {
      // Container ports merge by containerPort; Service ports by port.
      const inService = parentPath[parentPath.length - 1] === 'spec' && parentPath.length === 1;
      if (inService) return 'port';
      if (items.some((i) => isObj(i) && 'containerPort' in i)) return 'containerPort';
      return items.some((i) => isObj(i) && 'port' in i) ? 'port' : 'containerPort';
    }
    default: return undefined;
  }
}

/** Lists of scalars that merge as sets (patchStrategy "merge" on a primitive list). */
const PRIMITIVE_MERGE = new Set(['finalizers']);

export function strategicMergePatch(target: any, patch: any, path: string[] = []): any {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') { const { $patch: _d, ...rest } = patch; return strategicClean(rest); }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, any> = isObj(target) ? { ...target } : {};
  const order: Record<string, any[]> = {};
  const retainKeys: string[] | undefined = patch.$retainKeys;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$retainKeys' || k === '$patch') continue;
    if (k.startsWith('$setElementOrder/')) { order[k.slice('$setElementOrder/'.length)] = v as any[]; continue; }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[f])) out[f] = out[f].filter((x: unknown) => !(v as unknown[]).includes(x));
      continue;
    }
    if (v === null) { delete out[k]; continue; }
    if (Array.isArray(v)) {
      const key = mergeKeyOf(k, [...(Array.isArray(out[k]) ? out[k] : []), ...v], path);
      if (key && (v.every(isObj))) out[k] = mergeList(Array.isArray(out[k]) ? out[k] : [], v, key, [...path, k]);
      else if (PRIMITIVE_MERGE.has(k)) out[k] = [...new Set([...(Array.isArray(out[k]) ? out[k] : []), ...v])];
      else out[k] = structuredClone(v);
      continue;
    }
    const merged = strategicMergePatch(out[k], v, [...path, k]);
    if (merged === undefined) delete out[k]; else out[k] = merged;
  }
  if (retainKeys) for (const k of Object.keys(out)) if (!retainKeys.includes(k)) delete out[k];
  for (const [field, want] of Object.entries(order)) {
    const list = out[field];
    if (!Array.isArray(list)) continue;
    const key = mergeKeyOf(field, list, path);
    if (!key) continue;
    const rank = (item: any) => { const i = want.findIndex((w) => isObj(w) && w[key] === item?.[key]); return i < 0 ? want.length : i; };
    out[field] = [...list].sort((a, b) => rank(a) - rank(b));
  }
  return out;
}

function mergeList(live: any[], patch: any[], key: string, path: string[]): any[] {
  if (patch.some((p) => p.$patch === 'replace')) return patch.filter((p) => p.$patch !== 'replace').map(strategicClean);
  const out = live.map((x) => structuredClone(x));
  for (const item of patch) {
    const i = out.findIndex((x) => isObj(x) && x[key] === item[key]);
    if (item.$patch === 'delete') { if (i >= 0) out.splice(i, 1); continue; }
    if (i >= 0) out[i] = strategicMergePatch(out[i], item, path);
    else out.push(strategicClean(item));
  }
  return out;
}

/** Removes directive keys from a value that is inserted as a whole. */
function strategicClean(v: any): any {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x.$patch === 'delete')).map(strategicClean);
  if (!isObj(v)) return v;
  const out: Record<string, any> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && x !== null) out[k] = strategicClean(x);
  return out;
}
