// Applying a release's manifests the way helm 3 treats them, with server-side apply: every object
// gets Helm's ownership label and annotations (so helm adopts it later), objects new to the
// release must not belong to someone else (helm's "cannot be imported into the current release"),
// and the whole set is checked with a dry run first so an invalid object fails the deploy before
// anything in the cluster changed.
import { parseYaml, splitManifests } from '../chart';
import { AppError } from '../ipc/errors';
import { ClusterObjects, KubeApiError, describeRef, refKey, refOf, type KubeObject, type ObjectRef } from './clusterObjects';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const RELEASE_NAME_ANNOTATION = 'meta.helm.sh/release-name';
export const RELEASE_NAMESPACE_ANNOTATION = 'meta.helm.sh/release-namespace';
export const RESOURCE_POLICY_ANNOTATION = 'helm.sh/resource-policy';

/** A release manifest as helm writes it: `---\n# Source: <template>\n<content>\n` per document. */
export function releaseManifestText(manifests: { name: string; content: string }[]): string {
  return manifests.map((m) => `---\n# Source: ${m.name}\n${m.content}\n`).join('');
}

/** The objects of a release manifest, in the order they were written (install order). */
export function manifestObjects(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of splitManifests(text)) {
    const o = parseYaml(doc) as KubeObject | null;
    if (o && typeof o === 'object' && o.kind) out.push(o);
  }
  return out;
}

export interface ReleaseTarget {
  release: string;
  namespace: string;
}

/** Fills in the release namespace for namespaced kinds and adds helm's ownership metadata (setMetadataVisitor). */
export async function prepareObjects(api: ClusterObjects, objects: KubeObject[], target: ReleaseTarget): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const o of objects) {
    const copy = structuredClone(o);
    copy.apiVersion ??= 'v1';
    copy.metadata ??= {};
    const namespaced = await api.isNamespaced(copy.apiVersion, copy.kind!).catch((e: unknown) => {
      throw deployError(`${copy.kind} "${copy.metadata?.name ?? ''}"`, e);
    });
    if (namespaced) copy.metadata.namespace ||= target.namespace;
    else delete copy.metadata.namespace;
    copy.metadata.labels = { ...(copy.metadata.labels ?? {}), [MANAGED_BY_LABEL]: 'Helm' };
    copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [RELEASE_NAME_ANNOTATION]: target.release, [RELEASE_NAMESPACE_ANNOTATION]: target.namespace };
    out.push(copy);
  }
  return out;
}

/** The AppError for an object the server refused: names the object and says what the server said, field by field. */
export function deployError(what: string, err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof KubeApiError) {
    const causes = err.causes.filter((c) => c.message).map((c) => (c.field ? `${c.field}: ${c.message}` : c.message!));
    const detail = err.code === 422 && causes.length ? causes.join('; ') : err.message;
    const hint =
      err.code === 422
        ? 'Fix the template that produces it in chart/ (the field names come from the Kubernetes API), then deploy again.'
        : err.code === 403
          ? 'Your user may not change this kind of object here; ask for access or pick a namespace you own.'
          : err.code === 404 && /no matches for kind/.test(err.message)
            ? 'Check apiVersion and kind in the template, or install the CRD first.'
            : undefined;
    return new AppError(err.code === 403 ? 'CLUSTER_FORBIDDEN' : 'CLUSTER_ERROR', `${what}: ${detail}`, hint, { cause: err });
  }
  return new AppError('CLUSTER_ERROR', `${what}: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
}

/**
 * helm's existingResourceConflict / checkOwnership: an object this release did not have before
 * may only be taken over when it already carries this release's ownership metadata (or is absent).
 */
export async function checkOwnership(api: ClusterObjects, objects: KubeObject[], previous: Set<string>, target: ReleaseTarget, verb: 'install' | 'upgrade'): Promise<void> {
  for (const o of objects) {
    const ref = refOf(o);
    if (previous.has(refKey(ref))) continue;
    const live = await api.get(ref).catch((e: unknown) => {
      throw deployError(describeRef(ref), e);
    });
    if (!live) continue;
    const problems: string[] = [];
    const labels = live.metadata?.labels ?? {};
    const ann = live.metadata?.annotations ?? {};
    if (labels[MANAGED_BY_LABEL] !== 'Helm') problems.push(`label validation error: missing key "${MANAGED_BY_LABEL}": must be set to "Helm"`);
    for (const [k, want] of [[RELEASE_NAME_ANNOTATION, target.release], [RELEASE_NAMESPACE_ANNOTATION, target.namespace]] as const) {
      if (ann[k] === undefined) problems.push(`annotation validation error: missing key "${k}": must be set to "${want}"`);
      else if (ann[k] !== want) problems.push(`annotation validation error: key "${k}" must equal "${want}": current value is "${ann[k]}"`);
    }
    if (problems.length) {
      throw new AppError(
        'CLUSTER_ERROR',
        `Unable to continue with ${verb}: ${ref.kind} "${ref.name}"${ref.namespace ? ` in namespace "${ref.namespace}"` : ''} exists and cannot be imported into the current release: invalid ownership metadata; ${problems.join('; ')}`,
        `Another tool or release owns it. Delete it, rename it in the chart, or add the label and annotations above to hand it to release "${target.release}".`,
      );
    }
  }
}

export interface ApplyProgress {
  (event: { step: 'validate' | 'apply'; object: ObjectRef; index: number; total: number }): void;
}

/** Dry-runs every object (nothing changes if one is invalid), then applies them in order. */
export async function applyObjects(api: ClusterObjects, objects: KubeObject[], onProgress: ApplyProgress = () => {}, signal?: AbortSignal): Promise<ObjectRef[]> {
  for (const [i, o] of objects.entries()) {
    throwIfAborted(signal);
    onProgress({ step: 'validate', object: refOf(o), index: i, total: objects.length });
    await api.apply(o, { dryRun: true }).catch((e: unknown) => {
      throw deployError(describeRef(refOf(o)), e);
    });
  }
  const applied: ObjectRef[] = [];
  for (const [i, o] of objects.entries()) {
    throwIfAborted(signal);
    onProgress({ step: 'apply', object: refOf(o), index: i, total: objects.length });
    await api.apply(o).catch((e: unknown) => {
      throw deployError(describeRef(refOf(o)), e);
    });
    applied.push(refOf(o));
  }
  return applied;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('CANCELLED', 'The deploy was cancelled.');
}
