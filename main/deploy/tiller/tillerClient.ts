// Talks to Tiller (Helm 2's server) over its gRPC API, reached through the API server with a
// port-forward tunnel. Like the helm v2 client, it asks GetVersion first and then sends the
// server's version as `x-helm-api-client` on every other call, so Tiller accepts the calls.
import * as grpc from '@grpc/grpc-js';
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { LoadedChart } from '../../chart';
import { AppError } from '../../ipc/errors';
import { makeApiClient } from '../../kube/apiClient';
import { chartMessage } from './chartMessage';
import { clusterFailure } from './clusterFailure';
import { methodDefinition, type MethodName, type Release, type StatusCode, STATUS_CODES, type Info } from './hapi';
import { openTillerTunnel, type TillerTunnel } from './tillerTunnel';

export const TILLER_SELECTOR = 'app=helm,name=tiller';
export const TILLER_PORT = 44134;
const READ_ONLY = new Set<MethodName>(['GetVersion', 'GetReleaseStatus', 'GetReleaseContent', 'GetHistory']);

/** A failed Tiller call: Tiller's own message, kept for the UI and for tests. */
export class TillerError extends AppError {
  constructor(code: ConstructorParameters<typeof AppError>[0], message: string, readonly tillerMessage: string, readonly grpcCode: number, hint?: string) {
    super(code, message, hint);
  }
}

export interface TillerConnectOptions {
  kubeConfig: KubeConfig;
  /** Where Tiller runs (TILLER_NAMESPACE). */
  tillerNamespace: string;
  /** Sent as x-helm-api-client; default: the version GetVersion reports. */
  clientVersion?: string;
  /** Per call, default 5 minutes (installs with wait can take long). */
  callTimeoutMs?: number;
}

export type Values = Record<string, unknown> | string;

/** `reuseName`: install over a release whose last revision is DELETED or FAILED (helm install --replace). */
export interface InstallOptions { name: string; namespace: string; chart: LoadedChart; values?: Values; wait?: boolean; timeoutSeconds?: number; dryRun?: boolean; reuseName?: boolean }
export interface UpgradeOptions { name: string; chart: LoadedChart; values?: Values; reuseValues?: boolean; resetValues?: boolean; wait?: boolean; timeoutSeconds?: number; dryRun?: boolean }

export interface ReleaseStatus { name: string; namespace: string; status: StatusCode; info: Info }

/** A ready Tiller pod's name, or a clear error when none runs. */
export async function findTillerPod(kubeConfig: KubeConfig, tillerNamespace: string): Promise<string> {
  const core = makeApiClient(kubeConfig, CoreV1Api);
  let pods: V1Pod[];
  try {
    pods = (await core.listNamespacedPod({ namespace: tillerNamespace, labelSelector: TILLER_SELECTOR })).items;
  } catch (e) {
    throw clusterFailure(e, kubeConfig, `Looking for Tiller in namespace "${tillerNamespace}"`);
  }
  const ready = pods.find((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  if (ready?.metadata?.name) return ready.metadata.name;
  throw new AppError('NOT_FOUND', pods.length
    ? `Tiller in namespace "${tillerNamespace}" is not ready (${pods.map((p) => `${p.metadata?.name}: ${p.status?.phase}`).join(', ')}).`
    : `No Tiller runs in namespace "${tillerNamespace}" (no pod labelled ${TILLER_SELECTOR}).`,
  'DevSpace installs Tiller when the project uses it; check the tiller-deploy Deployment and its pod events.');
}

function rawValues(v: Values | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'string' ? v : Object.keys(v).length ? stringify(v) : '';
}

export class TillerClient {
  private constructor(
    private readonly grpcClient: grpc.Client,
    private readonly tunnel: TillerTunnel,
    readonly serverVersion: string,
    private clientVersion: string,
    private readonly callTimeoutMs: number,
  ) {}

  static async connect(o: TillerConnectOptions): Promise<TillerClient> {
    // Fail early with a clear message when no Tiller is ready; later connections look again.
    let pod: string | undefined = await findTillerPod(o.kubeConfig, o.tillerNamespace);
    const tunnel = await openTillerTunnel(o.kubeConfig, o.tillerNamespace, async () => {
      const first = pod;
      pod = undefined;
      return first ?? findTillerPod(o.kubeConfig, o.tillerNamespace);
    }, TILLER_PORT);
    const client = new grpc.Client(tunnel.address, grpc.credentials.createInsecure());
    const timeout = o.callTimeoutMs ?? 300_000;
    const probe = new TillerClient(client, tunnel, '', o.clientVersion ?? '', timeout);
    try {
      const version = await probe.getVersion();
      return new TillerClient(client, tunnel, version, o.clientVersion ?? version, timeout);
    } catch (e) {
      client.close();
      await tunnel.close();
      throw e;
    }
  }

  /** Tiller's version (e.g. "v2.17.0"); needs no x-helm-api-client. */
  async getVersion(): Promise<string> {
    const r = await this.call<{ version?: { semVer: string } }>('GetVersion', {}, false);
    return r.version?.semVer ?? '';
  }

  async install(o: InstallOptions): Promise<Release> {
    const r = await this.call<{ release: Release }>('InstallRelease', {
      chart: chartMessage(o.chart), values: { raw: rawValues(o.values) }, name: o.name, namespace: o.namespace,
      wait: !!o.wait, timeout: o.timeoutSeconds ?? 300, dryRun: !!o.dryRun, reuseName: !!o.reuseName,
    });
    return r.release;
  }

  async upgrade(o: UpgradeOptions): Promise<Release> {
    const r = await this.call<{ release: Release }>('UpdateRelease', {
      name: o.name, chart: chartMessage(o.chart), values: { raw: rawValues(o.values) }, reuseValues: !!o.reuseValues,
      resetValues: !!o.resetValues, wait: !!o.wait, timeout: o.timeoutSeconds ?? 300, dryRun: !!o.dryRun,
    });
    return r.release;
  }

  /** The release's status; version 0 means the latest. */
  async status(name: string, version = 0): Promise<ReleaseStatus> {
    const r = await this.call<{ name: string; namespace: string; info: Info }>('GetReleaseStatus', { name, version });
    return { name: r.name, namespace: r.namespace, status: r.info?.status?.code ?? 'UNKNOWN', info: r.info };
  }

  async content(name: string, version = 0): Promise<Release> {
    return (await this.call<{ release: Release }>('GetReleaseContent', { name, version })).release;
  }

  /** Newest first, like `helm history`. */
  async history(name: string, max = 256): Promise<Release[]> {
    return (await this.call<{ releases: Release[] }>('GetHistory', { name, max })).releases;
  }

  /** Releases with the given statuses (Tiller's default: DEPLOYED only). */
  async list(statusCodes: StatusCode[] = [], namespace = ''): Promise<Release[]> {
    const out: Release[] = [];
    await new Promise<void>((resolve, reject) => {
      const def = methodDefinition('ListReleases');
      const stream = this.grpcClient.makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize,
        { statusCodes: statusCodes.map((c) => STATUS_CODES.indexOf(c)), namespace }, this.metadata(true), { deadline: Date.now() + this.callTimeoutMs });
      stream.on('data', (r: { releases: Release[] }) => out.push(...r.releases));
      stream.on('error', (e: grpc.ServiceError) => reject(this.explain('ListReleases', e)));
      stream.on('end', () => resolve());
    });
    return out;
  }

  /** Rolls back to `version` (0: the one before the current). */
  async rollback(name: string, version = 0, o: { wait?: boolean; timeoutSeconds?: number } = {}): Promise<Release> {
    return (await this.call<{ release: Release }>('RollbackRelease', { name, version, wait: !!o.wait, timeout: o.timeoutSeconds ?? 300 })).release;
  }

  /** Deletes the release's objects; `purge` also forgets its history (helm delete --purge). */
  async uninstall(name: string, o: { purge?: boolean; timeoutSeconds?: number } = {}): Promise<Release> {
    return (await this.call<{ release: Release }>('UninstallRelease', { name, purge: !!o.purge, timeout: o.timeoutSeconds ?? 300 })).release;
  }

  /** For tests and diagnostics: the version sent as x-helm-api-client from now on. */
  useClientVersion(v: string): void { this.clientVersion = v; }

  async close(): Promise<void> {
    this.grpcClient.close();
    await this.tunnel.close();
  }

  private metadata(withVersion: boolean): grpc.Metadata {
    const md = new grpc.Metadata();
    if (withVersion) md.set('x-helm-api-client', this.clientVersion);
    return md;
  }

  private async call<T>(method: MethodName, request: object, withVersion = true): Promise<T> {
    const def = methodDefinition(method);
    const once = () => new Promise<T>((resolve, reject) => {
      this.grpcClient.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, request, this.metadata(withVersion),
        { deadline: Date.now() + this.callTimeoutMs }, (err, value) => (err ? reject(err) : resolve(value as T)));
    });
    try {
      return await once();
    } catch (e) {
      // A tunnel the API server dropped is noticed by grpc-js only when a call fails on it; the
      // next call opens a new one. Reads are safe to repeat; changes are not (Tiller may have
      // applied them), so those report the failure.
      const err = e as grpc.ServiceError;
      if (err.code !== grpc.status.UNAVAILABLE || !READ_ONLY.has(method)) throw this.explain(method, err);
      try { return await once(); } catch (e2) { throw this.explain(method, e2 as grpc.ServiceError); }
    }
  }

  private explain(method: string, e: grpc.ServiceError): AppError {
    const msg = e.details || e.message;
    if (e.code === grpc.status.UNAVAILABLE || e.code === grpc.status.DEADLINE_EXCEEDED) {
      const why = this.tunnel.lastError();
      return new TillerError('CLUSTER_UNREACHABLE', `Tiller did not answer ${method}: ${why ?? msg}`, msg, e.code,
        'Check that the tiller-deploy pod is running and ready; DevSpace reaches it through the API server (port-forward).');
    }
    if (/^release: ".*" not found$/.test(msg) || /has no deployed releases/.test(msg)) return new TillerError('NOT_FOUND', `Tiller: ${msg}`, msg, e.code);
    if (/already exists/.test(msg)) return new TillerError('ALREADY_EXISTS', `Tiller: ${msg.split('\n')[0]}`, msg, e.code, 'Pick another release name, or delete the old release with purge.');
    if (/^incompatible versions/.test(msg)) {
      return new TillerError('CLUSTER_ERROR', `Tiller refused the call: ${msg}`, msg, e.code, `Tiller ${this.serverVersion || ''} needs a Helm 2 client of the same major version and no newer minor version.`);
    }
    return new TillerError('CLUSTER_ERROR', `Tiller ${method} failed: ${msg}`, msg, e.code);
  }
}
