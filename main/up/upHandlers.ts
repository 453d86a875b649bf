// The `up.*` requests: one Up run at a time per project, its progress pushed as `up.run` (the
// whole run after each step change), `up.cancel` aborting it (the runner undoes what the running
// step created), `up.current` the latest run.
import { randomUUID } from 'node:crypto';
import type { FirstUpPreview, UpRun } from '../../preload/api';
import type { ResolveProjectCluster } from '../app/projectCluster';
import type { ApiHandlers } from '../ipc/dispatch';
import { AppError } from '../ipc/errors';
import type { EventBus } from '../ipc/events';
import { CredentialStore, fileKeySecretBox } from '../registry/credentials';
import type { RegistryPasswordStore } from '../registry/inClusterRegistry';
import { BuildLogKeeper } from './buildLog';
import { firstUpNeedsConfirmation, planFirstUp, prepareFirstUp } from './firstUp';
import { projectSettings } from '../project/config/projectSettings';
import { purgeRelease } from './purge';
import { runProgress } from './runProgress';
import { runPipeline, type StepDefinition } from './stepRunner';
import { upSteps, type UpShared } from './upPipeline';

export interface UpHandlerDeps {
  events: EventBus;
  resolveProjectCluster: ResolveProjectCluster;
  log: (line: string) => void;
  /** The app's data folder: the in-cluster registry's password is kept there (encrypted). */
  dataDir: string;
  /** The ports handlers' `ports.start`. */
  startPorts: () => Promise<unknown>;
  /** Called after the first Up wrote files into the project (the app re-reads and re-announces it). */
  projectFilesChanged?: () => Promise<void>;
  /** Stops the project's port forwards, terminals and log streams (`up.stop`). */
  stopSessions?: () => Promise<void>;
  /** Overrides the password store (Electron passes one on safeStorage); default: file-key box in dataDir. */
  registryStore?: RegistryPasswordStore;
  /** The in-cluster registry's node port; default 5000. */
  registryHostPort?: number;
  executorImage?: string;
  /** DOCKER_HOST / DOCKER_CONFIG for the Docker builder and Docker's logins; default process.env. */
  env?: Record<string, string | undefined>;
  /** Where ~/.docker/config.json is; default the user's home. */
  homeDir?: string;
  /** Tiller's image when Up installs Tiller; default ghcr.io/helm/tiller:v2.17.0. */
  tillerImage?: string;
  now?: () => number;
}

export type UpHandlers = Pick<ApiHandlers, 'up.preview' | 'up.start' | 'up.cancel' | 'up.current' | 'up.buildLog' | 'up.stop' | 'up.purge'> & { dispose(): Promise<void> };

interface ActiveRun {
  run: UpRun;
  controller: AbortController;
  done: Promise<void>;
}

export function createUpHandlers(deps: UpHandlerDeps): UpHandlers {
  const now = deps.now ?? (() => Date.now());
  const store = deps.registryStore ?? new CredentialStore(deps.dataDir, fileKeySecretBox(deps.dataDir));
  const active = new Map<string, ActiveRun>();
  /** Projects whose release is being purged: Up waits for that. */
  const purging = new Set<string>();
  let latest: ActiveRun | null = null;
  const buildLog = new BuildLogKeeper({ emit: (payload) => deps.events.emit('up.buildLog', payload) });

  const withProgress = (run: Omit<UpRun, 'progress'>): UpRun => ({ ...run, progress: runProgress(run.steps) });
  const emit = (a: ActiveRun) => deps.events.emit('up.run', structuredClone(a.run));

  const preview = async (): Promise<FirstUpPreview> => {
    const pc = await deps.resolveProjectCluster();
    const plan = await planFirstUp(pc.project, !!pc.config);
    return { needed: plan.needed, files: plan.files, warnings: plan.warnings };
  };

  const start = async (options?: { forceRebuild?: boolean; acceptGenerated?: boolean }): Promise<UpRun> => {
    const pc = await deps.resolveProjectCluster();
    const key = pc.project.path;
    const running = active.get(key);
    if (running) {
      throw new AppError('ALREADY_EXISTS', `Up is already running for ${pc.project.name}.`, 'Wait for it to finish, or cancel it first.');
    }
    if (purging.has(key)) {
      throw new AppError('ALREADY_EXISTS', `${pc.project.name} is being purged.`, 'Wait until the purge has finished, then press Up.');
    }
    // A first Up writes files into the project: only once the user has seen them (up.preview).
    if (!pc.config && options?.acceptGenerated !== true) throw firstUpNeedsConfirmation();
    const began = now();
    const runId = randomUUID();
    const steps: StepDefinition<UpShared>[] = upSteps({
      // A first Up writes the default settings; which steps there are is known from them.
      settings: projectSettings(pc.config),
      registryStore: store,
      startPorts: deps.startPorts,
      log: deps.log,
      forceRebuild: options?.forceRebuild ?? false,
      buildLog: buildLog.begin(runId),
      ...(deps.registryHostPort ? { registryHostPort: deps.registryHostPort } : {}),
      ...(deps.executorImage ? { executorImage: deps.executorImage } : {}),
      ...(deps.env ? { env: deps.env } : {}),
      ...(deps.homeDir ? { homeDir: deps.homeDir } : {}),
      ...(deps.tillerImage ? { tillerImage: deps.tillerImage } : {}),
    });
    if (!pc.config) {
      // First Up: write config.yaml (and a Dockerfile/chart where missing), then read it back.
      steps.unshift({
        id: 'project',
        title: 'Project configuration',
        async run({ shared, progress }) {
          progress('Writing the files you confirmed');
          const r = await prepareFirstUp(pc.project);
          await deps.projectFilesChanged?.().catch((e: Error) => deps.log(`up: could not re-read the project: ${e.message}`));
          shared.pc = await deps.resolveProjectCluster();
          const kept = r.kept.length ? `; kept your ${r.kept.join(', ')}` : '';
          return { detail: `wrote ${r.written.join(', ') || 'nothing'}${kept}` };
        },
      });
      const connect = steps.find((s) => s.id === 'connect') as StepDefinition<UpShared>;
      connect.needs = ['project'];
    }
    const a: ActiveRun = {
      run: withProgress({ runId, state: 'running', startedAt: new Date(began).toISOString(), steps: steps.map((s) => ({ id: s.id, title: s.title, state: 'pending' })) }),
      controller: new AbortController(),
      done: Promise.resolve(),
    };
    active.set(key, a);
    latest = a;
    a.done = (async () => {
      try {
        const result = await runPipeline(steps, {
          shared: { pc },
          signal: a.controller.signal,
          now,
          log: deps.log,
          onUpdate: (report) => {
            a.run = withProgress({ ...a.run, steps: a.run.steps.map((s) => (s.id === report.id ? { ...report } : s)) });
            emit(a);
          },
        });
        a.run = withProgress({
          ...a.run,
          steps: result.steps,
          state: result.ok ? 'ready' : result.cancelled ? 'cancelled' : 'failed',
          durationMs: now() - began,
          ...(result.error ? { error: result.error } : {}),
        });
      } catch (err) {
        // Only a malformed step graph gets here (a bug, not the user's).
        deps.log(`up: ${(err as Error).stack ?? String(err)}`);
        a.run = { ...a.run, state: 'failed', durationMs: now() - began, error: { code: 'INTERNAL', message: (err as Error).message, step: 'Up' } };
      } finally {
        active.delete(key);
        emit(a);
      }
    })();
    emit(a);
    return structuredClone(a.run);
  };

  const cancel = async (): Promise<UpRun | null> => {
    const a = latest;
    if (!a) return null;
    a.controller.abort(new AppError('CANCELLED', 'Cancelled.'));
    await a.done;
    return structuredClone(a.run);
  };

  const purge = async (): Promise<{ release: string; removed: number }> => {
    const pc = await deps.resolveProjectCluster();
    const key = pc.project.path;
    if (active.has(key)) {
      throw new AppError('ALREADY_EXISTS', `Up is running for ${pc.project.name}: its release cannot be purged now.`, 'Wait for Up to finish, or cancel it, then purge.');
    }
    if (purging.has(key)) throw new AppError('ALREADY_EXISTS', `${pc.project.name} is already being purged.`, 'Wait until it has finished.');
    purging.add(key);
    try {
      // Terminals, port forwards and log streams into the pods go first: the pods are about to go.
      await deps.stopSessions?.();
      return await purgeRelease(pc, deps.log);
    } finally {
      purging.delete(key);
    }
  };

  return {
    'up.preview': () => preview(),
    'up.start': (options) => start(options),
    'up.cancel': () => cancel(),
    'up.current': () => (latest ? structuredClone(latest.run) : null),
    'up.buildLog': () => buildLog.latest(),
    // The dev-container sessions end; the deployment keeps running.
    'up.stop': async () => {
      await deps.stopSessions?.();
      return null;
    },
    'up.purge': () => purge(),
    async dispose() {
      const runs = [...active.values()];
      for (const a of runs) a.controller.abort(new AppError('CANCELLED', 'The app is closing.'));
      await Promise.all(runs.map((a) => a.done));
      buildLog.dispose();
    },
  };
}
