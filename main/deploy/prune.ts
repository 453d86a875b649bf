// Removing what a release no longer has, as helm's kube.Client.Update does after an upgrade or
// rollback: objects of the previous revision that the new one lacks are deleted, unless they
// carry `helm.sh/resource-policy: keep`. Uninstall uses the same rule for every object, in reverse
// install order.
import { INSTALL_ORDER } from '../chart';
import { AppError } from '../ipc/errors';
import { RESOURCE_POLICY_ANNOTATION, deployError } from './apply';
import { describeRef, refKey, refOf, type ClusterObjects, type KubeObject, type ObjectRef } from './clusterObjects';

export function isKept(o: KubeObject): boolean {
  return (o.metadata?.annotations?.[RESOURCE_POLICY_ANNOTATION] ?? '').trim().toLowerCase() === 'keep';
}

/** Objects of `previous` that `next` does not have (matched by group, kind, namespace, name), minus kept ones. */
export function objectsToPrune(previous: KubeObject[], next: KubeObject[]): { prune: ObjectRef[]; kept: ObjectRef[] } {
  const wanted = new Set(next.map((o) => refKey(refOf(o))));
  const prune: ObjectRef[] = [];
  const kept: ObjectRef[] = [];
  for (const o of previous) {
    if (wanted.has(refKey(refOf(o)))) continue;
    (isKept(o) ? kept : prune).push(refOf(o));
  }
  return { prune, kept };
}

/** Reverse of install order (kinds helm does not know go first, as they were installed last). */
export function uninstallOrder(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject) => {
    const i = INSTALL_ORDER.indexOf(o.kind ?? '');
    return i < 0 ? INSTALL_ORDER.length : i;
  };
  return objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(b.o) - rank(a.o) || b.i - a.i)
    .map((x) => x.o);
}

/** Deletes the objects one by one (already gone is fine); a refusal names the object. */
export async function deleteObjects(api: ClusterObjects, refs: ObjectRef[], onDelete: (r: ObjectRef) => void = () => {}): Promise<ObjectRef[]> {
  const deleted: ObjectRef[] = [];
  for (const r of refs) {
    onDelete(r);
    try {
      if (await api.remove(r)) deleted.push(r);
    } catch (e) {
      const err = deployError(`deleting ${describeRef(r)}`, e);
      throw new AppError(err.code, err.message, err.hint ?? 'The rest of the release is unchanged; fix the cause and deploy again.', { cause: e });
    }
  }
  return deleted;
}
