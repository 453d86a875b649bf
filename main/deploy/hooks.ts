// Chart hooks as helm 3 runs them (action/hooks.go execHook): the hooks of one event in order of
// weight then name; each is deleted first under before-hook-creation (helm's default when a hook
// names no policy), created, and waited for — Jobs until complete, Pods until they succeed, other
// kinds count as done once created. A failure stops the chain; hook-failed / hook-succeeded
// policies delete hooks afterwards.
import type { KubeConfig } from '@kubernetes/client-node';
import { parseYaml, type RenderedHook } from '../chart';
import { AppError } from '../ipc/errors';
import { deployError, throwIfAborted } from './apply';
import { describeRef, refOf, type ClusterObjects, type KubeObject } from './clusterObjects';
import { waitForObject } from './objectWatch';
import { goTime, type ReleaseHook } from './releaseRecord';

export type HookEventName = 'pre-install' | 'post-install' | 'pre-upgrade' | 'post-upgrade' | 'pre-rollback' | 'post-rollback' | 'pre-delete' | 'post-delete';

export function releaseHooks(hooks: RenderedHook[]): ReleaseHook[] {
  return hooks.map((h) => ({
    name: h.name,
    kind: h.kind,
    path: h.path,
    manifest: h.manifest,
    events: [...h.events],
    last_run: { started_at: '', completed_at: '', phase: '' },
    weight: h.weight,
    delete_policies: [...h.deletePolicies],
  }));
}

export interface HookContext {
  kc: KubeConfig;
  api: ClusterObjects;
  namespace: string;
  now: () => Date;
  timeoutMs: number;
  signal?: AbortSignal;
  onHook?: (hook: ReleaseHook, phase: 'start' | 'succeeded' | 'failed') => void;
}

/** Runs the hooks of `event`, updating their last_run in place. Throws AppError naming the hook. */
export async function runHooks(hooks: ReleaseHook[], event: HookEventName, ctx: HookContext): Promise<void> {
  const selected = hooks
    .filter((h) => h.events.includes(event))
    .sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const h of selected) {
    throwIfAborted(ctx.signal);
    const policies = h.delete_policies?.length ? h.delete_policies : ['before-hook-creation'];
    const obj = hookObject(h, ctx.namespace);
    if (policies.includes('before-hook-creation')) await deleteAndWait(obj, ctx);
    h.last_run = { started_at: goTime(ctx.now()), completed_at: '', phase: 'Running' };
    ctx.onHook?.(h, 'start');
    try {
      await ctx.api.createObject(obj).catch((e: unknown) => {
        throw deployError(`${event} hook ${describeRef(refOf(obj))}`, e);
      });
      await waitForHook(obj, event, ctx);
    } catch (e) {
      h.last_run = { ...h.last_run, completed_at: goTime(ctx.now()), phase: 'Failed' };
      ctx.onHook?.(h, 'failed');
      if (policies.includes('hook-failed')) await ctx.api.remove(refOf(obj)).catch(() => {});
      throw e;
    }
    h.last_run = { ...h.last_run, completed_at: goTime(ctx.now()), phase: 'Succeeded' };
    ctx.onHook?.(h, 'succeeded');
  }
  // helm deletes hook-succeeded hooks once every hook of the event has succeeded
  for (const h of selected) {
    if (h.delete_policies?.includes('hook-succeeded')) await ctx.api.remove(refOf(hookObject(h, ctx.namespace))).catch(() => {});
  }
}

function hookObject(h: ReleaseHook, namespace: string): KubeObject {
  const o = parseYaml(h.manifest) as KubeObject;
  o.metadata ??= {};
  // Helm creates hooks in the release namespace unless the template names one.
  if (!o.metadata.namespace && !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition', 'PriorityClass'].includes(o.kind ?? '')) {
    o.metadata.namespace = namespace;
  }
  return o;
}

async function deleteAndWait(obj: KubeObject, ctx: HookContext): Promise<void> {
  const ref = refOf(obj);
  if (!(await ctx.api.remove(ref).catch(() => false))) return;
  const path = await ctx.api.pathOf({ ...ref, name: '' }, 'list');
  await waitForObject(ctx.kc, ctx.api, { path, fieldSelector: `metadata.name=${ref.name}` }, (objs) => (objs.size === 0 ? true : undefined), {
    timeoutMs: ctx.timeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onTimeout: () => new AppError('CLUSTER_ERROR', `The old hook ${describeRef(ref)} was not deleted within ${ctx.timeoutMs / 1000} s.`),
  });
}

/** Helm's WatchUntilReady: Jobs until Complete (Failed is an error), Pods until Succeeded; anything else is ready when created. */
async function waitForHook(obj: KubeObject, event: string, ctx: HookContext): Promise<void> {
  if (obj.kind !== 'Job' && obj.kind !== 'Pod') return;
  const ref = refOf(obj);
  const path = await ctx.api.pathOf({ ...ref, name: '' }, 'list');
  const what = `${event} hook ${describeRef(ref)}`;
  await waitForObject<true>(
    ctx.kc,
    ctx.api,
    { path, fieldSelector: `metadata.name=${ref.name}` },
    (objs) => {
      const o = objs.get(ref.name) as (KubeObject & { status?: HookStatus }) | undefined;
      if (!o) return undefined;
      if (obj.kind === 'Job') {
        const conds = o.status?.conditions ?? [];
        if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return true;
        const failed = conds.find((c) => c.type === 'Failed' && c.status === 'True');
        if (failed) return new AppError('CLUSTER_ERROR', `${what} failed: job failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim(), 'Look at the hook job\'s logs; the release was marked failed.');
        return undefined;
      }
      if (o.status?.phase === 'Succeeded') return true;
      if (o.status?.phase === 'Failed') return new AppError('CLUSTER_ERROR', `${what} failed: pod ${ref.name} failed`, "Look at the hook pod's logs; the release was marked failed.");
      return undefined;
    },
    {
      timeoutMs: ctx.timeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onTimeout: () => new AppError('CLUSTER_ERROR', `${what} did not finish within ${ctx.timeoutMs / 1000} s (timed out waiting for the condition).`, 'Check that the hook can start and finish; raise the timeout for slow hooks.'),
    },
  );
}

interface HookStatus {
  phase?: string;
  conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
}
