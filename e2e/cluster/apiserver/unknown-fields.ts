// Fields the Kubernetes types do not have. The real server decodes into Go structs, so unknown
// fields never reach storage: with fieldValidation=Strict it answers 400, with Warn (the default)
// it drops them and sends a Warning header, with Ignore it drops them silently. The field lists
// come from @kubernetes/client-node's generated models (attributeTypeMap per type).

import * as models from '@kubernetes/client-node';

type Attr = { baseName: string; type: string };
type ModelClass = { getAttributeTypeMap(): Attr[] };

const registry = models as unknown as Record<string, ModelClass | undefined>;
const cache = new Map<string, Map<string, string> | null>();

function fieldsOf(typeName: string): Map<string, string> | null {
  if (cache.has(typeName)) return cache.get(typeName)!;
  const cls = registry[typeName];
  const out = cls && typeof cls.getAttributeTypeMap === 'function' ? new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a.type])) : null;
  cache.set(typeName, out);
  return out;
}

export function modelNameOf(kind: string): string {
  return kind === 'Event' ? 'CoreV1Event' : `V1${kind}`;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Walks `value` as type `type`; reports unknown field paths (`spec.template.spec.containers[0].imagePullPolicyy`)
 * and, with `prune`, deletes them. Keys starting with `$` are patch directives and are skipped.
 */
function walk(value: unknown, type: string, path: string, out: string[], prune: boolean): void {
  let m: RegExpMatchArray | null;
  if ((m = type.match(/^Array<(.+)>$/))) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, m![1], `${path}[${i}]`, out, prune));
    return;
  }
  if ((m = type.match(/^\{ \[key: string\]: (.+); \}$/))) {
    if (isObj(value)) for (const [k, v] of Object.entries(value)) walk(v, m[1], `${path}[${k}]`, out, prune);
    return;
  }
  const fields = fieldsOf(type);
  if (!fields || !isObj(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$')) continue;
    const t = fields.get(k);
    const p = path ? `${path}.${k}` : k;
    if (t === undefined) { out.push(p); if (prune) delete value[k]; continue; }
    walk(v, t, p, out, prune);
  }
}

export function findUnknownFields(kind: string, obj: unknown): string[] {
  const out: string[] = [];
  walk(obj, modelNameOf(kind), '', out, false);
  return out;
}

/** Deletes unknown fields in place; returns their paths. */
export function pruneUnknownFields(kind: string, obj: unknown): string[] {
  const out: string[] = [];
  walk(obj, modelNameOf(kind), '', out, true);
  return out;
}
