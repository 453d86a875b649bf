// The default deploy engine: renders the project's chart itself and runs install, upgrade,
// rollback and uninstall the way helm 3's pkg/action does, storing Helm 3 release records, so the
// user's own `helm list/history/rollback` work on what the app deployed. A failed upgrade leaves
// the previous revision's objects in place: every object is validated by the server (dry run)
// before anything is applied, and nothing is pruned unless the whole apply succeeded.
import { AppError } from '../ipc/errors';
import { applyObjects, checkOwnership, deployError, manifestObjects, prepareObjects, releaseManifestText, throwIfAborted } from './apply';
import { refKey, refOf, type KubeObject, type ObjectRef } from './clusterObjects';
import { DEPLOY_HASH_LABEL } from './deployValues';
import { configOf, prepare, recorder, render, session, summarize, type DeployOptions, type EngineOptions, type Prepared, type ReleaseSummary, type Session } from './deployInputs';
import { releaseHooks, runHooks, type HookEventName } from './hooks';
import { deleteObjects, isKept, objectsToPrune, uninstallOrder } from './prune';
import { goTime, releaseChart, type Release, type ReleaseStatus } from './releaseRecord';
import { DEFAULT_HISTORY_MAX } from './releaseStorage';
import type { RenderedChart } from '../chart';

export { needsDeploy, preview, summarize } from './deployInputs';
export type { DeployOptions, DeployProgress, EngineOptions, Preview, ReleaseSummary } from './deployInputs';

export interface DeployResult {
  release: ReleaseSummary;
  /** False when nothing changed since the deployed revision and no new revision was made. */
  changed: boolean;
  applied: ObjectRef[];
  pruned: ObjectRef[];
  /** Objects dropped from the chart but kept because of helm.sh/resource-policy: keep. */
  kept: ObjectRef[];
  /** Deployments, StatefulSets and DaemonSets of the release, for rollout waiting. */
  workloads: ObjectRef[];
  notes?: string;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** `helm upgrade --install`: installs when the release has no revisions, upgrades otherwise. */
export async function deploy(chartDir: string, o: DeployOptions): Promise<DeployResult> {
  const s = session(o);
  const history = await s.storage.history(o.release);
  return history.length === 0 ? runInstall(chartDir, o, s) : runUpgrade(chartDir, o, s, history);
}

export async function install(chartDir: string, o: DeployOptions): Promise<DeployResult> {
  const s = session(o);
  const history = await s.storage.history(o.release);
  if (history.length > 0) {
    throw new AppError('INVALID_ARGUMENT', `cannot re-use a name that is still in use: release "${o.release}" exists in namespace "${o.namespace}"`, 'Upgrade it instead, or uninstall it first.');
  }
  return runInstall(chartDir, o, s);
}

export async function upgrade(chartDir: string, o: DeployOptions): Promise<DeployResult> {
  const s = session(o);
  const history = await s.storage.history(o.release);
  if (history.length === 0) throw new AppError('NOT_FOUND', `"${o.release}" has no deployed releases`, 'Install it first (Up does that for you).');
  return runUpgrade(chartDir, o, s, history);
}

function busy(last: Release): AppError {
  return new AppError(
    'CLUSTER_ERROR',
    `another operation (install/upgrade/rollback) is in progress on release "${last.name}" (revision ${last.version} is ${last.info.status})`,
    `If no other deploy is running, roll back to the last good revision (e.g. helm rollback ${last.name}) and try again.`,
  );
}

async function runInstall(chartDir: string, o: DeployOptions, s: Session): Promise<DeployResult> {
  const p = await prepare(chartDir, o);
  s.progress({ step: 'render', message: `Rendering chart ${p.chart.metadata.name}` });
  const rendered = await render(p, o, s.api, 1, false);
  const now = goTime(s.now());
  const rel = newRelease(o, p, rendered, 1, { first: now, last: now }, await configOf(p, o));
  return execute(o, s, rel, undefined, { pre: 'pre-install', post: 'post-install', pending: 'pending-install', pendingText: 'Initial install underway', doneText: 'Install complete', failText: (m) => `Release "${o.release}" failed: ${m}`, verb: 'install' });
}

async function runUpgrade(chartDir: string, o: DeployOptions, s: Session, history: Release[]): Promise<DeployResult> {
  const last = history.at(-1)!;
  if (last.info.status.startsWith('pending-')) throw busy(last);
  const deployed = history.filter((r) => r.info.status === 'deployed').at(-1);
  // helm diffs against the deployed revision, or the last one when none is deployed
  const current = deployed ?? last;
  const p = await prepare(chartDir, o);
  // Only when the deployed revision is the newest: after a failed revision the cluster may hold part of it.
  if (!o.force && deployed === last && deployed.labels?.[DEPLOY_HASH_LABEL] === p.hash) {
    s.progress({ step: 'done', message: `Release "${o.release}" is up to date (revision ${deployed.version})` });
    return { release: summarize(deployed), changed: false, applied: [], pruned: [], kept: [], workloads: workloadsOf(manifestObjects(deployed.manifest ?? ''), o.namespace), ...(deployed.info.notes ? { notes: deployed.info.notes } : {}) };
  }
  s.progress({ step: 'render', message: `Rendering chart ${p.chart.metadata.name}` });
  const rendered = await render(p, o, s.api, last.version + 1, true);
  const rel = newRelease(o, p, rendered, last.version + 1, { first: current.info.first_deployed || goTime(s.now()), last: goTime(s.now()) }, await configOf(p, o));
  return execute(o, s, rel, current, { pre: 'pre-upgrade', post: 'post-upgrade', pending: 'pending-upgrade', pendingText: 'Preparing upgrade', doneText: 'Upgrade complete', failText: (m) => `Upgrade "${o.release}" failed: ${m}`, verb: 'upgrade' });
}



function newRelease(o: DeployOptions, p: Prepared, r: RenderedChart, version: number, times: { first: string; last: string }, config: Record<string, unknown>): Release {
  return {
    name: o.release,
    namespace: o.namespace,
    version,
    info: { first_deployed: times.first, last_deployed: times.last, deleted: '', status: 'unknown', ...(r.notes ? { notes: r.notes } : {}) },
    chart: releaseChart(p.chart),
    config,
    manifest: releaseManifestText(r.manifests),
    hooks: releaseHooks(r.hooks),
    labels: { [DEPLOY_HASH_LABEL]: p.hash },
  };
}

function workloadsOf(objects: KubeObject[], namespace: string): ObjectRef[] {
  return objects.filter((x) => WORKLOAD_KINDS.includes(x.kind ?? '')).map((x) => ({ ...refOf(x), namespace: x.metadata?.namespace || namespace }));
}

interface Plan {
  pre: HookEventName;
  post: HookEventName;
  pending: ReleaseStatus;
  pendingText: string;
  doneText: string;
  failText: (message: string) => string;
  verb: 'install' | 'upgrade' | 'rollback';
}

/** The shared body of install, upgrade and rollback: record pending, hooks, apply, prune, hooks, record deployed. */
async function execute(o: EngineOptions & { release: string }, s: Session, rel: Release, current: Release | undefined, plan: Plan): Promise<DeployResult> {
  await s.storage.makeRoomFor(rel.name, o.historyMax ?? DEFAULT_HISTORY_MAX);
  rel.info.status = plan.pending;
  rel.info.description = plan.pendingText;
  s.progress({ step: 'record', message: `Recording revision ${rel.version} (${plan.pending})` });
  await s.storage.create(rel);
  try {
    throwIfAborted(o.signal);
    const target = { release: rel.name, namespace: rel.namespace };
    const previousObjects = current ? await prepareObjects(s.api, manifestObjects(current.manifest ?? ''), target) : [];
    const objects = await prepareObjects(s.api, manifestObjects(rel.manifest ?? ''), target);
    if (plan.verb !== 'rollback') {
      await checkOwnership(s.api, objects, new Set(previousObjects.map((x) => refKey(refOf(x)))), target, plan.verb === 'install' ? 'install' : 'upgrade');
    }
    const hookCtx = { kc: o.kubeConfig, api: s.api, namespace: rel.namespace, now: s.now, timeoutMs: o.hookTimeoutMs ?? 300_000, ...(o.signal ? { signal: o.signal } : {}), onHook: (h: { name: string; kind: string }, phase: string) => s.progress({ step: 'hooks', message: `${plan.pre.replace(/^pre-/, '')} hook ${h.kind} "${h.name}": ${phase}` }) };
    await runHooks(rel.hooks ?? [], plan.pre, hookCtx);
    const applied = await applyObjects(s.api, objects, (e) => s.progress({ step: e.step, message: `${e.step === 'validate' ? 'Checking' : 'Applying'} ${e.object.kind} "${e.object.name}" (${e.index + 1}/${e.total})`, object: e.object }), o.signal);
    const { prune, kept } = objectsToPrune(previousObjects, objects);
    const pruned = await deleteObjects(s.api, prune, (r) => s.progress({ step: 'prune', message: `Deleting ${r.kind} "${r.name}" (no longer in the chart)`, object: r }));
    await runHooks(rel.hooks ?? [], plan.post, hookCtx);
    // every revision marked deployed becomes superseded (helm's rollback does this; upgrade supersedes the one it diffed against)
    for (const r of (await s.storage.history(rel.name)).filter((x) => x.version !== rel.version && (x.info.status === 'deployed' || x.version === current?.version))) {
      r.info.status = 'superseded';
      await s.storage.update(r);
    }
    rel.info.status = 'deployed';
    rel.info.description = plan.doneText;
    await s.storage.update(rel);
    s.progress({ step: 'done', message: `Release "${rel.name}" revision ${rel.version} deployed` });
    return { release: summarize(rel), changed: true, applied, pruned, kept, workloads: workloadsOf(objects, rel.namespace), ...(rel.info.notes ? { notes: rel.info.notes } : {}) };
  } catch (e) {
    const err = e instanceof AppError ? e : deployError(`${plan.verb} of release "${rel.name}"`, e);
    rel.info.status = 'failed';
    rel.info.description = plan.failText(err.message);
    await recorder(o, s.now).update(rel).catch(() => {});
    throw err;
  }
}



/** `helm rollback <release> [revision]`: a new revision with the old one's chart, values, manifest and hooks. */
export async function rollback(release: string, revision: number | undefined, o: EngineOptions): Promise<DeployResult> {
  const s = session(o);
  const history = await s.storage.history(release);
  const last = history.at(-1);
  if (!last) throw new AppError('NOT_FOUND', `release: not found: "${release}" has no revisions in namespace "${o.namespace}"`);
  if (last.info.status.startsWith('pending-')) throw busy(last);
  const targetVersion = revision && revision > 0 ? revision : last.version - 1;
  const previous = history.find((r) => r.version === targetVersion);
  if (!previous) throw new AppError('NOT_FOUND', `release has no ${targetVersion} version`, `Pick one of the revisions in the history: ${history.map((r) => r.version).join(', ')}.`);
  const current = history.filter((r) => r.info.status === 'deployed').at(-1) ?? last;
  s.progress({ step: 'render', message: `Rolling back "${release}" to revision ${targetVersion}` });
  const rel: Release = {
    name: release,
    namespace: o.namespace,
    version: last.version + 1,
    info: { first_deployed: last.info.first_deployed, last_deployed: goTime(s.now()), deleted: '', status: 'unknown', ...(previous.info.notes ? { notes: previous.info.notes } : {}) },
    chart: previous.chart,
    config: previous.config ?? {},
    manifest: previous.manifest ?? '',
    hooks: structuredClone(previous.hooks ?? []),
    labels: { ...(previous.labels ?? {}) },
  };
  return execute({ ...o, release }, s, rel, current, {
    pre: 'pre-rollback',
    post: 'post-rollback',
    pending: 'pending-rollback',
    pendingText: `Rollback to ${targetVersion}`,
    doneText: `Rollback to ${targetVersion}`,
    failText: (m) => `Rollback "${release}" failed: ${m}`,
    verb: 'rollback',
  });
}

/** `helm uninstall`: pre-delete hooks, objects in reverse install order (keep policy respected), post-delete hooks, then the records. */
export async function uninstall(release: string, o: EngineOptions & { keepHistory?: boolean }): Promise<{ deleted: ObjectRef[]; kept: ObjectRef[] }> {
  const s = session(o);
  const history = await s.storage.history(release);
  const rel = history.at(-1);
  if (!rel) throw new AppError('NOT_FOUND', `uninstall: Release not loaded: ${release}: release: not found`, `There is no release "${release}" in namespace "${o.namespace}".`);
  rel.info.status = 'uninstalling';
  rel.info.deleted = goTime(s.now());
  rel.info.description = 'Deletion in progress (or silently failed)';
  await s.storage.update(rel);
  const hookCtx = { kc: o.kubeConfig, api: s.api, namespace: rel.namespace, now: s.now, timeoutMs: o.hookTimeoutMs ?? 300_000, ...(o.signal ? { signal: o.signal } : {}) };
  await runHooks(rel.hooks ?? [], 'pre-delete', hookCtx);
  const objects = uninstallOrder(await prepareObjects(s.api, manifestObjects(rel.manifest ?? ''), { release, namespace: rel.namespace }));
  const kept = objects.filter(isKept).map(refOf);
  const deleted = await deleteObjects(
    s.api,
    objects.filter((x) => !isKept(x)).map(refOf),
    (r) => s.progress({ step: 'uninstall', message: `Deleting ${r.kind} "${r.name}"`, object: r }),
  );
  await runHooks(rel.hooks ?? [], 'post-delete', hookCtx);
  rel.info.status = 'uninstalled';
  rel.info.description = 'Uninstallation complete';
  if (o.keepHistory) await s.storage.update(rel);
  else for (const r of history) await s.storage.delete(release, r.version);
  s.progress({ step: 'done', message: `Release "${release}" uninstalled` });
  return { deleted, kept };
}

/** `helm history`: every stored revision, oldest first. */
export async function history(release: string, o: EngineOptions): Promise<ReleaseSummary[]> {
  return (await session(o).storage.history(release)).map(summarize);
}

/** `helm status`: the newest revision, with its notes and the objects it manages. */
export async function status(release: string, o: EngineOptions): Promise<(ReleaseSummary & { notes?: string; objects: ObjectRef[] }) | undefined> {
  const last = await session(o).storage.last(release);
  if (!last) return undefined;
  const objects = manifestObjects(last.manifest ?? '').map((x) => ({ ...refOf(x) }));
  return { ...summarize(last), ...(last.info.notes ? { notes: last.info.notes } : {}), objects };
}

/**
 * What `helm upgrade --wait` records when the wait fails: the new revision `failed` (with why),
 * and the revision it replaced `deployed` again, since its objects are what still serve. Up calls
 * this when the rollout after a deploy fails or is cancelled; the next Up then deploys again, and
 * the Deployment panel offers rolling back. Written without the caller's signal (after a cancel).
 */
export async function markRolloutFailed(release: string, revision: number, reason: string, o: EngineOptions): Promise<void> {
  const storage = recorder(o, o.now ?? (() => new Date()));
  const history = await storage.history(release);
  const rel = history.find((r) => r.version === revision);
  if (!rel || rel.info.status !== 'deployed') return;
  rel.info.status = 'failed';
  rel.info.description = `Rollout failed: ${reason}`;
  await storage.update(rel);
  const previous = history.filter((r) => r.version < revision && r.info.status === 'superseded').at(-1);
  if (previous) {
    previous.info.status = 'deployed';
    await storage.update(previous);
  }
}
