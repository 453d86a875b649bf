// Builds the project's image inside the cluster with Kaniko — the app's default builder, because
// it needs nothing on the user's machine. One build = one short-lived pod in the project's
// namespace: create it (with the registry credentials as a Secret), wait until it runs, upload the
// context over exec, exec the executor and stream its log, delete the pod (success, failure or
// cancel). `shouldBuild` comes first: the tag is derived from the content hash, so a tag the
// registry already has means the same content was built and pushed before.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../ipc/errors';
import { manifestReference, normaliseRegistryHost, parseImageRef } from '../../registry/imageRef';
import { dockerConfigJson } from '../../registry/pullSecrets';
import { RegistryClient, type RegistryCredentials } from '../../registry/registryClient';
import { BuildFailedError, type BuildStep } from '../buildErrors';
import { dockerfileInContext, listBuildContext, type ContextEntry } from '../context/buildContext';
import { BuildPod, BUILD_CONTAINER, deleteBuildPods } from './buildPod';
import { uploadContext } from './contextUpload';
import { dockerfileSteps, stepsToBuild } from './dockerfileSteps';
import { executorArgs, OUTSIDE_DOCKERFILE, WORKSPACE } from './executorArgs';
import { KanikoLogParser, LineSplitter } from './kanikoLog';
import { execInPod } from './podExec';
import { waitForBuildPod } from './podReady';

export const DEFAULT_EXECUTOR_IMAGE = 'gcr.io/kaniko-project/executor:debug';

export interface KanikoBuilderOptions {
  kubeConfig: KubeConfig;
  /** The project's namespace: build pods run there. */
  namespace: string;
  /** A Kaniko *debug* image (it needs sh and tar). Upstream was archived in 2025; forks or mirrors work. */
  executorImage?: string;
  /** Diagnostics for the app log (cleanup trouble and the like), not the build log. */
  log?: (line: string) => void;
  /** How long the build pod may take to start (image pull, scheduling); default 5 minutes. */
  podStartTimeoutMs?: number;
}

export interface KanikoRegistry {
  /** Registry host as it appears in the image reference (and as Kaniko reaches it from the pod). */
  host: string;
  /** Plain HTTP or self-signed TLS: Kaniko gets --insecure-registry/--skip-tls-verify-registry for this host only. */
  insecure?: boolean;
  credentials?: RegistryCredentials;
}

export interface KanikoBuildRequest {
  projectId: string;
  contextDir: string;
  /** Relative to the context (or absolute); default 'Dockerfile'. */
  dockerfile?: string;
  /** From computeBuildHash, so what is built is what was hashed; listed afresh when absent. */
  entries?: ContextEntry[];
  /** computeBuildHash's hash; labels the build pod. Taken from a devspace-<hex> tag when absent. */
  buildHash?: string;
  /** Destination, e.g. "devspace-registry.devspace-registry.svc.cluster.local:5000/app:devspace-3f2a9c0d1e4b". */
  imageRef: string;
  buildArgs?: Record<string, string>;
  target?: string;
  /** Kaniko's layer cache in a registry repository (`--cache=true --cache-repo`). */
  cache?: { repo: string };
  registry: KanikoRegistry;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  onStep?: (step: BuildStep) => void;
}

export interface KanikoBuildResult {
  imageRef: string;
  /** The pushed manifest's digest, when Kaniko printed it. */
  digest?: string;
  /** The build pod that ran the build (deleted by now). */
  podName: string;
}

export interface ShouldBuildRequest {
  imageRef: string;
  /** The registry to ask. `host` may differ from the image's registry when the app reaches it by another address (e.g. a port-forward to the in-cluster registry). */
  registry: { host?: string; insecure?: boolean; credentials?: RegistryCredentials };
  force?: boolean;
  signal?: AbortSignal;
}

export interface ShouldBuildResult {
  build: boolean;
  reason: 'forced' | 'not-in-registry' | 'already-in-registry';
  digest?: string;
}

export class KanikoBuilder {
  readonly executorImage: string;
  private readonly kc: KubeConfig;
  private readonly namespace: string;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: KanikoBuilderOptions) {
    this.kc = opts.kubeConfig;
    this.namespace = opts.namespace;
    this.executorImage = opts.executorImage ?? DEFAULT_EXECUTOR_IMAGE;
    this.log = opts.log ?? (() => {});
  }

  /** Build unless forced or the registry already has the tag (same tag = same content hash). */
  async shouldBuild(req: ShouldBuildRequest): Promise<ShouldBuildResult> {
    if (req.force) return { build: true, reason: 'forced' };
    const ref = parseImageRef(req.imageRef);
    const client = new RegistryClient(req.registry.host ?? ref.domain, {
      ...(req.registry.credentials ? { credentials: req.registry.credentials } : {}),
      ...(req.registry.insecure ? { insecure: true } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    const m = await client.manifest(ref.path, manifestReference(ref));
    return m.exists ? { build: false, reason: 'already-in-registry', ...(m.digest ? { digest: m.digest } : {}) } : { build: true, reason: 'not-in-registry' };
  }

  /** Deletes build pods (and their Secrets) a crashed or killed run left behind. Up calls it first. */
  cleanupLeftovers(projectId: string, opts: { signal?: AbortSignal } = {}): Promise<string[]> {
    return deleteBuildPods(this.kc, this.namespace, projectId, opts);
  }

  async build(req: KanikoBuildRequest): Promise<KanikoBuildResult> {
    const signal = req.signal;
    const onLog = req.onLog ?? (() => {});
    const dockerfile = req.dockerfile ?? 'Dockerfile';
    const inContext = dockerfileInContext(req.contextDir, dockerfile);
    const dockerfileAbs = path.resolve(req.contextDir, dockerfile);
    const dockerfileText = await fs.readFile(dockerfileAbs).catch(() => {
      throw new AppError('NOT_FOUND', `There is no Dockerfile at ${dockerfileAbs}.`, 'Create one, let DevSpace generate one, or set the Dockerfile path.');
    });
    let steps;
    try {
      steps = stepsToBuild(dockerfileSteps(dockerfileText.toString('utf8')), req.target);
    } catch (err) {
      throw new AppError('CONFIG_INVALID', `Cannot build target "${req.target}": ${(err as Error).message} (${dockerfileAbs}).`, 'Fix the target in .devspace/config.yaml or add the stage to the Dockerfile.');
    }
    const entries = req.entries ?? (await listBuildContext({ contextDir: req.contextDir, dockerfile }));
    const buildHash = req.buildHash ?? /-([0-9a-f]{12,})$/.exec(parseImageRef(req.imageRef).tag ?? '')?.[1] ?? 'manual';
    const credentials = req.registry.credentials;
    const configJson = credentials ? kanikoDockerConfig(req.registry.host, credentials) : undefined;
    if (signal?.aborted) throw cancelled();

    onLog(`Starting build pod (${this.executorImage}) in namespace ${this.namespace}`);
    const pod = await BuildPod.create(this.kc, {
      namespace: this.namespace, projectId: req.projectId, buildHash, executorImage: this.executorImage,
      ...(configJson ? { dockerConfigJson: configJson } : {}), signal, log: this.log,
    });
    try {
      await waitForBuildPod(this.kc, {
        namespace: this.namespace, name: pod.name, executorImage: this.executorImage, signal,
        ...(this.opts.podStartTimeoutMs ? { timeoutMs: this.opts.podStartTimeoutMs } : {}),
        onProgress: (state) => onLog(`Build pod ${pod.name}: ${state}`),
      });
      const up = await uploadContext(this.kc, {
        namespace: this.namespace, pod: pod.name, container: BUILD_CONTAINER, contextDir: req.contextDir, entries, signal,
        ...(inContext ? {} : { outsideDockerfile: { content: dockerfileText, path: OUTSIDE_DOCKERFILE } }),
      });
      onLog(`Uploaded the build context: ${up.files} files, ${formatBytes(up.bytes)}`);
      const args = executorArgs({
        dockerfile: inContext ? `${WORKSPACE}/${inContext}` : OUTSIDE_DOCKERFILE,
        imageRef: req.imageRef,
        buildArgs: req.buildArgs,
        target: req.target,
        cache: req.cache,
        insecureRegistries: req.registry.insecure ? [normaliseRegistryHost(req.registry.host)] : [],
      });
      const parser = new KanikoLogParser(steps);
      const onLine = (raw: string) => {
        const r = parser.line(raw);
        if (r.line.trim()) onLog(r.line);
        if (r.step) req.onStep?.(r.step);
      };
      const out = new LineSplitter(onLine);
      const err = new LineSplitter(onLine);
      const run = await execInPod(this.kc, {
        namespace: this.namespace, pod: pod.name, container: BUILD_CONTAINER, command: ['/kaniko/executor', ...args], signal,
        onStdout: (b) => out.write(b), onStderr: (b) => err.write(b),
      });
      out.end();
      err.end();
      if (run.exitCode === undefined) {
        // Without stdin the server always ends with a Status; none means the stream was cut.
        throw new AppError('CLUSTER_UNREACHABLE', `The connection to the build pod ${pod.name} dropped during the build${parser.currentStep ? ` (at step ${parser.currentStep.index}/${parser.currentStep.total})` : ''}.`, 'Check the connection to the cluster, then press Up again.');
      }
      if (run.exitCode !== 0) throw buildFailure(parser, run.exitCode);
      return { imageRef: req.imageRef, podName: pod.name, ...(parser.digest ? { digest: parser.digest } : {}) };
    } catch (err) {
      if (signal?.aborted && !(err instanceof AppError && err.code === 'CANCELLED')) throw cancelled();
      throw err;
    } finally {
      await pod.delete();
    }
  }
}

/** config.json for Kaniko: username/password as `docker login` writes it, tokens in their own fields. */
export function kanikoDockerConfig(host: string, c: RegistryCredentials): string {
  if (c.username !== undefined && c.password !== undefined && !c.identityToken && !c.registryToken) return dockerConfigJson([{ host, username: c.username, password: c.password }]);
  const h = normaliseRegistryHost(host);
  const key = h === 'docker.io' ? 'https://index.docker.io/v1/' : h;
  const entry: Record<string, string> = {};
  if (c.identityToken) { entry.identitytoken = c.identityToken; entry.auth = Buffer.from(`${c.username ?? '<token>'}:`).toString('base64'); }
  if (c.registryToken) entry.registrytoken = c.registryToken;
  if (!c.identityToken && c.username !== undefined) entry.auth = Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64');
  return JSON.stringify({ auths: { [key]: entry } });
}

function buildFailure(parser: KanikoLogParser, exitCode: number | undefined): BuildFailedError {
  const step = parser.currentStep;
  const error = parser.error ?? (exitCode === undefined ? 'the executor ended without an exit status' : `the executor exited with code ${exitCode}`);
  const pushing = /^error (pushing image|checking push permissions)/.test(error);
  const where = pushing ? 'Pushing the image failed' : step ? `Step ${step.index}/${step.total} (${step.instruction}) failed` : 'The image build failed';
  const hint = pushing
    ? 'Check the registry address and credentials in Settings; the build pod must be able to reach the registry.'
    : step ? 'Fix that step of the Dockerfile (the build log shows its output), then press Up again.' : 'The build log shows the details.';
  return new BuildFailedError(`${where}: ${error}`, hint, pushing ? undefined : step, [...parser.tail]);
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'The image build was cancelled.');
}

function formatBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}
