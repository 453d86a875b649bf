// The Tiller stand-in's gRPC ReleaseService (hapi.services.tiller, Helm v2.17.0): renders the
// chart it receives with our chart engine, applies the manifest through the API server and keeps
// releases as Tiller's ConfigMaps. Calls other than GetVersion need a compatible
// `x-helm-api-client`, checked as Tiller's interceptor does. Hooks are recorded, not run;
// `wait` waits for the manifest's Deployments only.
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { mergeMaps, parseValuesText, renderChart } from '../../../main/chart';
import { loadChartMessage } from '../../../main/deploy/tiller/chartMessage';
import { isCompatible, METHODS, methodDefinition, type MethodName, type Release, type StatusCode, timestamp } from '../../../main/deploy/tiller/hapi';
import type { ApiClient } from './api-client';
import { ReleaseObjects } from './tiller-stand-in-objects';
import { TillerReleases } from './tiller-stand-in-releases';

export const TILLER_VERSION = 'v2.17.0';

export interface TillerServiceOptions {
  api: ApiClient;
  /** TILLER_NAMESPACE: where releases are stored. */
  namespace: string;
  /** TILLER_HISTORY_MAX; 0 keeps every version. */
  historyMax: number;
  log(line: string): void;
  now?: () => Date;
}

/** A Tiller error: plain Go errors reach the client as gRPC UNKNOWN with the error's text. */
class TillerFailure extends Error {}

export function tillerService(o: TillerServiceOptions) {
  const now = o.now ?? (() => new Date());
  const store = new TillerReleases(o.api, o.namespace, now);
  const objects = new ReleaseObjects(o.api);
  // One change at a time, like Tiller's per-release locks (the tests run one client).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => { const p = queue.then(f, f); queue = p.catch(() => undefined); return p; };

  const render = async (req: { chart: any; values?: { raw?: string } }, name: string, namespace: string, revision: number, isUpgrade: boolean, raw: string) => {
    if (!req.chart?.metadata?.name) throw new TillerFailure('no chart provided');
    const chart = await loadChartMessage(req.chart);
    const values = raw.trim() ? parseValuesText(raw, 'values.yaml', 'values') : {};
    const rendered = await renderChart(chart, { values, release: { name, namespace, revision, isUpgrade }, now });
    const manifest = rendered.manifests.map((m) => `---\n# Source: ${m.name}\n${m.content.trim()}\n`).join('');
    const hooks = rendered.hooks.map((h: any) => ({ name: h.name, kind: h.kind, path: h.path, manifest: h.manifest, events: [] }));
    return { manifest, hooks, notes: rendered.notes ?? '' };
  };

  const release = (p: Omit<Release, 'info'> & { code: StatusCode; description: string; notes?: string; first?: Date }): Release => ({
    name: p.name, namespace: p.namespace, version: p.version, chart: p.chart, config: p.config, manifest: p.manifest, hooks: p.hooks,
    info: { status: { code: p.code, notes: p.notes ?? '' }, firstDeployed: timestamp(p.first ?? now()), lastDeployed: timestamp(now()), description: p.description },
  });

  /** Deploys `next` over `current`: store pending, apply, then DEPLOYED (and current SUPERSEDED) or FAILED. */
  const deploy = async (next: Release, current: Release | undefined, pending: StatusCode, wait?: { timeoutSeconds: number }): Promise<Release> => {
    const done = next.info.description;
    next.info.status.code = pending;
    await store.create(next);
    try {
      await objects.apply(next.manifest, next.namespace, current?.manifest ?? '');
      if (wait) await objects.waitReady(next.manifest, next.namespace, wait.timeoutSeconds);
    } catch (e) {
      const msg = (e as Error).message;
      next.info.status.code = 'FAILED';
      next.info.description = `Release "${next.name}" failed: ${msg}`;
      await store.update(next);
      throw new TillerFailure(`release ${next.name} failed: ${msg}`);
    }
    if (current) { current.info.status.code = 'SUPERSEDED'; await store.update(current); }
    next.info.status.code = 'DEPLOYED';
    next.info.description = done;
    await store.update(next);
    await store.prune(next.name, o.historyMax);
    return next;
  };

  const handlers: Record<MethodName, (req: any) => Promise<any>> = {
    GetVersion: async () => ({ version: { semVer: TILLER_VERSION, gitCommit: 'a690bad98af45b015bd3da1a41f6218b1a451dbe', gitTreeState: 'clean' } }),

    InstallRelease: (req) => serial(async () => {
      const name: string = req.name || `release-${randomBytes(3).toString('hex')}`;
      const namespace: string = req.namespace || 'default';
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 53) throw new TillerFailure(`release name "${name}" is invalid: must be a DNS-1123 label of at most 53 characters`);
      const existing = await store.list(name);
      const last = existing[existing.length - 1];
      if (last && !(req.reuseName && (last.info.status.code === 'DELETED' || last.info.status.code === 'FAILED'))) {
        throw new TillerFailure(`a release named ${name} already exists.\nRun: helm ls --all ${name}; to check the status of the release\nOr run: helm del --purge ${name}; to delete it`);
      }
      const raw = req.values?.raw ?? '';
      const version = last ? last.version + 1 : 1;
      const r = await render(req, name, namespace, version, false, raw);
      const next = release({ name, namespace, version, chart: req.chart, config: { raw }, manifest: r.manifest, hooks: r.hooks, code: 'DEPLOYED', description: 'Install complete', notes: r.notes });
      if (req.dryRun) { next.info.description = 'Dry run complete'; return { release: next }; }
      o.log(`tiller: installing release ${name} v${version} into ${namespace}`);
      return { release: await deploy(next, undefined, 'PENDING_INSTALL', req.wait ? { timeoutSeconds: req.timeout || 300 } : undefined) };
    }),

    UpdateRelease: (req) => serial(async () => {
      const history = await store.history(req.name);
      const current = [...history].reverse().find((r) => r.info.status.code === 'DEPLOYED');
      if (!current) throw new TillerFailure(`"${req.name}" has no deployed releases`);
      const last = history[history.length - 1]!;
      let raw: string = req.values?.raw ?? '';
      // Tiller's value reuse: --reuse-values merges onto the old values; no new values keep the old ones.
      if (!req.resetValues && req.reuseValues) {
        const merged = mergeMaps(parseValuesText(current.config?.raw ?? '', 'values.yaml', 'values') as any, (raw.trim() ? parseValuesText(raw, 'values.yaml', 'values') : {}) as any);
        raw = Object.keys(merged).length ? JSON.stringify(merged) : '';
      } else if (!req.resetValues && !raw.trim()) raw = current.config?.raw ?? '';
      const version = last.version + 1;
      const r = await render(req, req.name, current.namespace, version, true, raw);
      const first = current.info.firstDeployed ? new Date(current.info.firstDeployed.seconds * 1000) : undefined;
      const next = release({ name: req.name, namespace: current.namespace, version, chart: req.chart, config: { raw }, manifest: r.manifest, hooks: r.hooks, code: 'DEPLOYED', description: 'Upgrade complete', notes: r.notes, ...(first ? { first } : {}) });
      if (req.dryRun) return { release: next };
      o.log(`tiller: upgrading release ${req.name} to v${version}`);
      return { release: await deploy(next, current, 'PENDING_UPGRADE', req.wait ? { timeoutSeconds: req.timeout || 300 } : undefined) };
    }),

    RollbackRelease: (req) => serial(async () => {
      const history = await store.history(req.name);
      const last = history[history.length - 1]!;
      const current = [...history].reverse().find((r) => r.info.status.code === 'DEPLOYED');
      const targetVersion = req.version > 0 ? req.version : last.version - 1;
      if (targetVersion < 1) throw new TillerFailure(`"${req.name}" has no previous version to roll back to`);
      const target = await store.get(req.name, targetVersion);
      const first = last.info.firstDeployed ? new Date(last.info.firstDeployed.seconds * 1000) : undefined;
      const next = release({ name: req.name, namespace: target.namespace, version: last.version + 1, chart: target.chart, config: target.config, manifest: target.manifest, hooks: target.hooks, code: 'DEPLOYED', description: `Rollback to ${targetVersion}`, notes: target.info.status.notes ?? '', ...(first ? { first } : {}) });
      if (req.dryRun) return { release: next };
      o.log(`tiller: rolling back release ${req.name} to v${targetVersion} as v${next.version}`);
      return { release: await deploy(next, current, 'PENDING_ROLLBACK', req.wait ? { timeoutSeconds: req.timeout || 300 } : undefined) };
    }),

    UninstallRelease: (req) => serial(async () => {
      const history = await store.history(req.name);
      const last = history[history.length - 1]!;
      if (last.info.status.code === 'DELETED') {
        if (!req.purge) throw new TillerFailure(`the release named "${req.name}" is already deleted`);
        for (const r of history) await store.delete(r.name, r.version);
        return { release: last, info: '' };
      }
      o.log(`tiller: deleting release ${req.name}${req.purge ? ' (purge)' : ''}`);
      last.info.status.code = 'DELETING';
      await store.update(last);
      const errors = await objects.delete(last.manifest, last.namespace);
      last.info.status.code = 'DELETED';
      last.info.deleted = timestamp(now());
      last.info.description = 'Deletion complete';
      if (req.purge) for (const r of history) await store.delete(r.name, r.version);
      else await store.update(last);
      return { release: last, info: errors.join('\n') };
    }),

    GetReleaseStatus: async (req) => {
      const r = req.version > 0 ? await store.get(req.name, req.version) : await store.last(req.name);
      return { name: r.name, info: r.info, namespace: r.namespace };
    },

    GetReleaseContent: async (req) => ({ release: req.version > 0 ? await store.get(req.name, req.version) : await store.last(req.name) }),

    GetHistory: async (req) => {
      const all = (await store.history(req.name)).reverse();
      return { releases: req.max > 0 ? all.slice(0, req.max) : all };
    },

    ListReleases: async (req) => {
      const latest = new Map<string, Release>();
      for (const r of await store.list()) latest.set(r.name, r);
      const codes: StatusCode[] = req.statusCodes?.length ? req.statusCodes : ['DEPLOYED'];
      const filter = req.filter ? new RegExp(req.filter) : undefined;
      let releases = [...latest.values()].filter((r) => codes.includes(r.info.status.code) && (!req.namespace || r.namespace === req.namespace) && (!filter || filter.test(r.name)));
      if (req.sortOrder === 1) releases = releases.reverse();
      const total = releases.length;
      if (req.limit > 0) releases = releases.slice(0, req.limit);
      return { count: releases.length, total, next: '', releases };
    },
  };

  const definition: Record<string, grpc.MethodDefinition<any, any>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(METHODS) as MethodName[]) {
    definition[name] = methodDefinition(name) as grpc.MethodDefinition<any, any>;
    const check = (md: grpc.Metadata): grpc.ServiceError | undefined => {
      if (name === 'GetVersion') return undefined;
      const client = String(md.get('x-helm-api-client')[0] ?? '');
      if (isCompatible(client, TILLER_VERSION)) return undefined;
      o.log(`tiller: incompatible versions client[${client}] server[${TILLER_VERSION}]`);
      return failure(`incompatible versions client[${client}] server[${TILLER_VERSION}]`);
    };
    const failure = (msg: string) => Object.assign(new Error(msg), { code: grpc.status.UNKNOWN, details: msg, metadata: new grpc.Metadata() }) as grpc.ServiceError;
    const why = (e: unknown) => failure((e as Error).message);
    if (METHODS[name].responseStream) {
      implementation[name] = ((call: grpc.ServerWritableStream<any, any>) => {
        const bad = check(call.metadata);
        if (bad) { call.emit('error', bad); return; }
        handlers[name](call.request).then((r) => { call.write(r); call.end(); }, (e) => call.emit('error', why(e)));
      }) as grpc.handleServerStreamingCall<any, any>;
    } else {
      implementation[name] = ((call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => {
        const bad = check(call.metadata);
        if (bad) { cb(bad); return; }
        handlers[name](call.request).then((r) => cb(null, r), (e) => { o.log(`tiller: ${name}: ${(e as Error).message}`); cb(why(e)); });
      }) as grpc.handleUnaryCall<any, any>;
    }
  }
  return { definition: definition as grpc.ServiceDefinition, implementation };
}
