// Server-side apply (PATCH application/apply-patch+yaml): merges the applied configuration into
// the live object, reports 409 Conflict when another manager owns a field with a different value
// (unless force), and removes fields this manager applied before but no longer applies.

import { ApiError } from './status';
import { fieldsOf, keyPath, readOwnership, removePath, timestamp, valueAtPath, writeOwnership } from './managed-fields';
import { mergeKeyOf } from './patch';

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Applied configuration merged over live: maps recurse, keyed lists merge by key, anything else is replaced. */
function mergeApplied(live: any, applied: any, names: string[]): any {
  if (!isObj(applied)) return structuredClone(applied);
  const out: Record<string, any> = isObj(live) ? { ...live } : {};
  for (const [k, v] of Object.entries(applied)) {
    if (v === null) { delete out[k]; continue; }
    if (Array.isArray(v) && v.every(isObj) && mergeKeyOf(k, v, names)) {
      const key = mergeKeyOf(k, v, names)!;
      const liveList: any[] = Array.isArray(out[k]) ? out[k] : [];
      const result = liveList.map((x) => structuredClone(x));
      for (const item of v) {
        const i = result.findIndex((x) => isObj(x) && x[key] === item[key]);
        if (i >= 0) result[i] = mergeApplied(result[i], item, [...names, k]); else result.push(structuredClone(item));
      }
      out[k] = result;
    } else out[k] = isObj(v) ? mergeApplied(out[k], v, [...names, k]) : structuredClone(v);
  }
  return out;
}

export interface ApplyResult { object: any }

/**
 * Applies `applied` (already parsed) for `manager` over `live` (undefined when creating).
 * `describe` names the object in the conflict message, e.g. `deployments.apps "web"`.
 */
export function serverSideApply(live: any | undefined, applied: any, manager: string, force: boolean, apiVersion: string, resource: { plural: string; group: string }): ApplyResult {
  const base = live ? structuredClone(live) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: { name: applied.metadata?.name, namespace: applied.metadata?.namespace } };
  const owners = readOwnership(base);
  const appliedFields = fieldsOf(applied);
  const conflicts: { manager: string; field: string }[] = [];
  for (const o of owners) {
    if (o.entry.manager === manager && o.entry.operation === 'Apply') continue;
    for (const f of appliedFields) {
      if (!o.fields.has(f) || f.endsWith('\u0001.')) continue;
      const same = JSON.stringify(valueAtPath(base, keyPath(f))) === JSON.stringify(valueAtPath(applied, keyPath(f)));
      if (!same) conflicts.push({ manager: o.entry.manager, field: f });
    }
  }
  if (conflicts.length && !force) {
    const show = (f: string) => '.' + keyPath(f).map((s) => (s.startsWith('f:') ? s.slice(2) : s.startsWith('k:') ? `[${Object.entries(JSON.parse(s.slice(2))).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]` : s)).join('.').replace(/\.\[/g, '[');
    const lines = conflicts.map((c) => `conflict with "${c.manager}"${' using ' + apiVersion}: ${show(c.field)}`);
    const msg = conflicts.length === 1 ? `Apply failed with 1 conflict: ${lines[0]}` : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
    throw new ApiError(409, 'Conflict', msg, {
      name: applied.metadata?.name, group: resource.group || undefined, kind: resource.plural,
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}"${' using ' + apiVersion}`, field: show(c.field) })),
    });
  }
  // Forced: the other managers lose the conflicting fields.
  for (const c of conflicts) owners.find((o) => o.entry.manager === c.manager)?.fields.delete(c.field);
  const mine = owners.find((o) => o.entry.manager === manager && o.entry.operation === 'Apply');
  const previously = mine ? mine.fields : new Set<string>();
  let merged = mergeApplied(base, applied, []);
  // Fields this manager applied before, dropped now, and owned by nobody else are removed.
  const ownedByOthers = new Set<string>();
  for (const o of owners) if (o !== mine) for (const f of o.fields) ownedByOthers.add(f);
  const toRemove = [...previously].filter((f) => !appliedFields.has(f) && !ownedByOthers.has(f));
  // Whole list items nobody else holds anything under go first (while their keys still find
  // them), then single fields.
  for (const f of toRemove.filter((f) => f.endsWith('\u0001.'))) {
    const prefix = f.slice(0, -2);
    const stillOwned = [...ownedByOthers, ...appliedFields].some((g) => g.startsWith(prefix + '\u0001'));
    if (!stillOwned) removePath(merged, keyPath(f));
  }
  for (const f of toRemove.filter((f) => !f.endsWith('\u0001.'))) removePath(merged, keyPath(f));
  merged = pruneEmpty(merged, previously, toRemove);
  const newOwners = owners.filter((o) => o !== mine);
  newOwners.push({ entry: { manager, operation: 'Apply', apiVersion, time: timestamp(), fieldsType: 'FieldsV1', fieldsV1: {} }, fields: appliedFields });
  merged.metadata ??= {};
  writeOwnership(merged, newOwners);
  return { object: merged };
}

/** Drops maps left empty by removals (only under paths this manager had applied). */
function pruneEmpty(obj: any, _previously: Set<string>, removed: string[]): any {
  for (const f of removed) {
    const p = keyPath(f);
    for (let n = p.length - 1; n > 0; n--) {
      const parentPath = p.slice(0, n);
      if (parentPath[parentPath.length - 1]?.startsWith('k:')) break;
      const v = valueAtPath(obj, parentPath);
      if (isObj(v) && Object.keys(v).length === 0 && parentPath.length > 1) removePath(obj, parentPath);
      else break;
    }
  }
  return obj;
}
