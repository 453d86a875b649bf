// The HTTP front of the API server: authentication, faults, request counting, discovery and the
// REST verbs on every resource, answering with objects or Status errors like the real server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { load as loadYaml } from 'js-yaml';
import type { ApiCore, DeleteOptions, PatchType } from './api-core';
import { authenticate, authorize, forbidden, type Attributes, type Tokens, type User } from './auth';
import { ApiError, badRequest, methodNotAllowed, successStatus, unauthorized } from './status';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery';
import { parseResourcePath, type ResourceRequest } from './request-path';
import { apiVersionOf, byKind } from './resources';
import { serveWatch, withTypeMeta, type WatchSettings } from './watch';
import { toTable, wantsTable } from './table';
import type { Faults, RequestCounter } from './faults';
import { proxyHttp, proxyUpgrade, resolveKubelet, writeRawStatus } from './stream-proxy';
import type { KubeObject } from './store';
import { timestamp } from './managed-fields';
import { openApiV3Doc, openApiV3Root } from './openapi';
import { findUnknownFields } from './unknown-fields';

export interface HandlerContext {
  core: ApiCore; tokens: Tokens; faults: Faults; requests: RequestCounter; watch: WatchSettings;
  serverAddress: () => string; log: (line: string) => void;
}

const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => { size += c.length; if (size > MAX_BODY) reject(new ApiError(413, 'RequestEntityTooLarge', 'the request body is too large')); else chunks.push(c); });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseBody(buf: Buffer, contentType: string | undefined): any {
  const text = buf.toString('utf8');
  if (text.trim() === '') return undefined;
  const ct = (contentType ?? 'application/json').split(';')[0].trim();
  if (ct === 'application/vnd.kubernetes.protobuf' || ct === 'application/cbor') {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (the test cluster does not decode ${ct})`);
  }
  try {
    if (ct.includes('yaml')) return loadYaml(text);
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${(e as Error).message.split('\n')[0]})`);
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  if (res.headersSent) { res.end(); return; }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

function sendError(res: ServerResponse, e: ApiError): void {
  if (e.details?.retryAfterSeconds && !res.headersSent) res.setHeader('Retry-After', String(e.details.retryAfterSeconds));
  send(res, e.code, e.toStatus());
}

function kubeVerb(method: string, r: ResourceRequest | undefined, watch: boolean): string {
  if (!r) return method.toLowerCase();
  switch (method) {
    case 'GET': case 'HEAD': return r.name ? 'get' : watch ? 'watch' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return r.name ? 'delete' : 'deletecollection';
    default: return method.toLowerCase();
  }
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge', 'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic', 'application/apply-patch+yaml': 'apply', 'application/apply-patch+cbor': 'apply',
};

const STREAM_VERBS: Record<string, string> = { exec: 'create', attach: 'create', portforward: 'create', log: 'get' };

export class RestHandler {
  constructor(private readonly ctx: HandlerContext) {}

  /** Common front for plain and upgrade requests: who is asking, faults, counting. */
  private async admit(req: IncomingMessage, url: URL): Promise<{ user: User | undefined; parsed: ReturnType<typeof parseResourcePath>; verb: string }> {
    const auth = req.headers.authorization;
    const user = authenticate(this.ctx.tokens, auth);
    const parsed = parseResourcePath(url.pathname);
    const r = parsed.kind === 'resource' ? parsed.req : undefined;
    const watch = !!r && (r.watchPath || url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1');
    let verb = kubeVerb(req.method ?? 'GET', r, watch);
    if (r?.subresource && STREAM_VERBS[r.subresource] && r.resource.streams?.includes(r.subresource)) verb = STREAM_VERBS[r.subresource];
    if (auth && !user) throw unauthorized();
    const isNode = !!user?.name.startsWith('system:node:');
    if (!isNode) {
      this.ctx.requests.record({ verb, method: req.method ?? 'GET', path: url.pathname });
      const { latencyMs } = this.ctx.faults;
      if (latencyMs > 0) await new Promise((r2) => setTimeout(r2, latencyMs));
      const fault = this.ctx.faults.takeFailure(url.pathname, verb, req.method ?? 'GET');
      if (fault) throw fault;
    }
    if (!user && !/^\/(healthz|livez|readyz|version)(\/|$)/.test(url.pathname)) throw unauthorized();
    return { user, parsed, verb };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    try {
      const { user, parsed, verb } = await this.admit(req, url);
      if (parsed.kind === 'other') return this.nonResource(req, res, url);
      if (parsed.kind === 'unknown-resource') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      await this.resource(req, res, url, user!, parsed.req, verb);
    } catch (e) {
      if (e instanceof ApiError) return sendError(res, e);
      this.ctx.log(`apiserver: ${req.method} ${req.url}: ${(e as Error).stack ?? e}`);
      sendError(res, new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
    }
  }

  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    try {
      const { user, parsed, verb } = await this.admit(req, url);
      const r = parsed.kind === 'resource' ? parsed.req : undefined;
      if (!r || !r.subresource || !r.resource.streams?.includes(r.subresource) || !r.name || !r.namespace) throw new ApiError(400, 'BadRequest', 'upgrade is only supported for pods/exec, pods/attach, pods/portforward and pods/log');
      this.authorizeOrThrow(user!, { verb, group: r.group, resource: r.resource.plural, subresource: r.subresource, namespace: r.namespace, name: r.name });
      const target = resolveKubelet(this.ctx.core, r.namespace, r.name);
      proxyUpgrade(req, socket, head, target, this.ctx.tokens.node, this.ctx.faults);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
      writeRawStatus(socket, err);
    }
  }

  private authorizeOrThrow(user: User, a: Attributes): void {
    if (!authorize(this.ctx.core, user, a)) throw forbidden(user, a);
  }

  private nonResource(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const p = url.pathname.replace(/\/+$/, '') || '/';
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(p)) { res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok'); return; }
    if (p === '/version') return send(res, 200, SERVER_VERSION);
    if (p === '/api') return send(res, 200, apiVersions(this.ctx.serverAddress()));
    if (p === '/apis') return send(res, 200, apiGroupList());
    if (p === '/openapi/v3') return send(res, 200, openApiV3Root());
    if (p.startsWith('/openapi/v3/')) {
      const m = p.slice('/openapi/v3/'.length).match(/^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/);
      const doc = m && (m[1] ? openApiV3Doc('', m[1]) : openApiV3Doc(m[2], m[3]));
      if (doc) return send(res, 200, doc);
    }
    const seg = p.split('/').filter(Boolean);
    if (seg[0] === 'api' && seg.length === 2) { const d = apiResourceList('', seg[1]); if (d) return send(res, 200, d); }
    if (seg[0] === 'apis' && seg.length === 2) { const d = apiGroupDoc(seg[1]); if (d) return send(res, 200, d); }
    if (seg[0] === 'apis' && seg.length === 3) { const d = apiResourceList(seg[1], seg[2]); if (d) return send(res, 200, d); }
    void req;
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }

  private async resource(req: IncomingMessage, res: ServerResponse, url: URL, user: User, r: ResourceRequest, verb: string): Promise<void> {
    const { core } = this.ctx;
    const t = r.resource;
    const q = url.searchParams;
    if (t.namespaced && r.name && r.namespace === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const sub = r.subresource;
    if (sub && !t.subresources.includes(sub) && !t.streams?.includes(sub)) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    // Like the real RequestInfo, a request for one Namespace carries that namespace, so a
    // RoleBinding inside it may grant reading the Namespace object itself.
    const attrNamespace = t.kind === 'Namespace' && r.name ? r.name : r.namespace;
    this.authorizeOrThrow(user, { verb, group: r.group, resource: t.plural, subresource: sub, namespace: attrNamespace, name: r.name });

    if (sub && t.streams?.includes(sub)) {
      if (sub !== 'log') throw new ApiError(400, 'BadRequest', 'Upgrade request required');
      if (req.method !== 'GET') throw methodNotAllowed();
      const target = resolveKubelet(core, r.namespace!, r.name!);
      return proxyHttp(req, res, target, this.ctx.tokens.node, this.ctx.faults);
    }

    const dryRun = q.getAll('dryRun').includes('All');
    if (dryRun === false && q.getAll('dryRun').length) throw badRequest(`dryRun: Unsupported value: "${q.get('dryRun')}"`);
    const manager = q.get('fieldManager') ?? (req.headers['user-agent'] ?? 'unknown').split('/')[0];
    const table = wantsTable(req.headers.accept);
    const method = req.method ?? 'GET';

    switch (verb) {
      case 'get': {
        if (sub === 'scale') return send(res, 200, this.scaleOf(core.get(t, r.namespace, r.name!)));
        const o = withTypeMeta(core.get(t, r.namespace, r.name!), t);
        return send(res, 200, table ? toTable(t.kind, [o], o.metadata.resourceVersion, q.get('includeObject')) : o);
      }
      case 'list': return this.list(res, r, q, table);
      case 'watch': {
        const timeout = q.get('timeoutSeconds');
        return serveWatch(core, this.ctx.faults, this.ctx.watch, {
          resource: t, namespace: r.namespace, resourceVersion: q.get('resourceVersion') ?? undefined,
          labelSelector: q.get('labelSelector'), fieldSelector: q.get('fieldSelector'),
          timeoutSeconds: timeout ? Number(timeout) : undefined, allowBookmarks: q.get('allowWatchBookmarks') === 'true',
          table, includeObject: q.get('includeObject'),
        }, res);
      }
    }
    const body = parseBody(await readBody(req), req.headers['content-type']);
    if (t.review) {
      if (verb !== 'create' || r.name) throw methodNotAllowed();
      return send(res, 201, this.review(user, body));
    }
    if ((verb === 'update' || verb === 'patch') && !r.name) throw methodNotAllowed();
    this.checkUnknownFields(res, t.kind, t.version, verb, sub, req.headers['content-type'], body, q.get('fieldValidation'));
    switch (verb) {
      case 'create': {
        if (r.name && sub === 'binding') return send(res, 201, this.bind(r.namespace!, r.name, body));
        if (r.name) throw methodNotAllowed();
        if (body === undefined) throw badRequest('the request body is empty');
        return send(res, 201, withTypeMeta(core.create(t, r.namespace, body, { manager, dryRun }), t));
      }
      case 'update': {
        if (body === undefined) throw badRequest('the request body is empty');
        if (sub === 'scale') return send(res, 200, this.setScale(r, body?.spec?.replicas, manager, dryRun, body?.metadata?.resourceVersion));
        if (sub === 'finalize') return send(res, 200, withTypeMeta(core.get(t, r.namespace, r.name!), t));
        return send(res, 200, withTypeMeta(core.update(t, r.namespace, r.name!, body, { manager, dryRun, subresource: sub }), t));
      }
      case 'patch': {
        const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
        const type = PATCH_TYPES[ct];
        if (!type) throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
        if (body === undefined) throw badRequest('the request body is empty');
        if (sub === 'scale') {
          const cur = this.scaleOf(core.get(t, r.namespace, r.name!));
          const { mergePatch, jsonPatch } = await import('./patch');
          const patched = type === 'json' ? jsonPatch(cur, body) : mergePatch(cur, body);
          return send(res, 200, this.setScale(r, patched?.spec?.replicas, manager, dryRun));
        }
        const force = q.get('force') === 'true';
        if (type === 'apply' && !q.get('fieldManager')) throw badRequest('PATCH requests for apply must specify fieldManager');
        if (force && type !== 'apply') throw badRequest('force: Invalid value: true: may not be specified for non-apply patch');
        const existed = !!core.tryGet(t, r.namespace, r.name!);
        const out = core.patch(t, r.namespace, r.name!, type, body, { manager, dryRun, subresource: sub, force });
        return send(res, existed ? 200 : 201, withTypeMeta(out, t));
      }
      case 'delete': {
        const o = deleteOptions(body, q);
        const { object, removed } = core.delete(t, r.namespace, r.name!, o);
        if (removed && !['Pod', 'Namespace', 'Service'].includes(t.kind)) return send(res, 200, successStatus({ name: r.name, group: r.group || undefined, kind: t.plural, uid: object.metadata.uid }));
        return send(res, !removed && o.propagationPolicy === 'Foreground' ? 202 : 200, withTypeMeta(object, t));
      }
      case 'deletecollection': {
        const o = deleteOptions(body, q);
        const items = core.list(t, r.namespace, q.get('labelSelector'), q.get('fieldSelector'));
        const out = items.map((i) => core.delete(t, i.metadata.namespace, i.metadata.name, o).object);
        return send(res, 200, { kind: `${t.kind}List`, apiVersion: apiVersionOf(t), metadata: { resourceVersion: String(core.store.currentRV()) }, items: out.map(stripTypeMeta) });
      }
    }
    void method;
    throw methodNotAllowed();
  }

  /**
   * fieldValidation: Strict answers 400 for unknown fields; Warn (default) and Ignore let the
   * store drop them, Warn with one Warning header per field, as the real server does.
   */
  private checkUnknownFields(res: ServerResponse, kind: string, version: string, verb: string, sub: string | undefined, contentType: string | undefined, body: unknown, mode: string | null): void {
    if (!['create', 'update', 'patch'].includes(verb) || sub === 'scale' || sub === 'binding' || body === undefined) return;
    if ((contentType ?? '').startsWith('application/json-patch+json')) return;
    if (mode && !['Strict', 'Warn', 'Ignore'].includes(mode)) throw badRequest(`fieldValidation: Unsupported value: "${mode}": supported values: "Ignore", "Strict", "Warn"`);
    const unknown = findUnknownFields(kind, body);
    if (!unknown.length || mode === 'Ignore') return;
    if (mode === 'Strict') throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
    res.setHeader('Warning', unknown.map((f) => `299 - "unknown field \\"${f}\\""`));
  }

  /** SelfSubjectAccessReview: may the caller do this? (`kubectl auth can-i`). */
  private review(user: User, body: any): unknown {
    const ra = body?.spec?.resourceAttributes;
    const nra = body?.spec?.nonResourceAttributes;
    if (!ra && !nra) throw new ApiError(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', { kind: 'SelfSubjectAccessReview', group: 'authorization.k8s.io', causes: [{ reason: 'FieldValueInvalid', message: 'exactly one of nonResourceAttributes or resourceAttributes must be specified', field: 'spec.resourceAttributes' }] });
    const allowed = ra
      ? authorize(this.ctx.core, user, { verb: ra.verb ?? '', group: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource || undefined, namespace: ra.namespace || undefined, name: ra.name || undefined })
      : true; // every authenticated user may read discovery, version and health endpoints
    return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: body.spec, status: { allowed, ...(allowed ? {} : { reason: '' }) } };
  }

  private list(res: ServerResponse, r: ResourceRequest, q: URLSearchParams, table: boolean): void {
    const t = r.resource;
    const rv = String(this.ctx.core.store.currentRV());
    let items = this.ctx.core.list(t, r.namespace, q.get('labelSelector'), q.get('fieldSelector'));
    const metadata: Record<string, unknown> = { resourceVersion: rv };
    const cont = q.get('continue');
    if (cont) {
      let after: string;
      try { after = JSON.parse(Buffer.from(cont, 'base64').toString()).start; } catch { throw badRequest('continue key is not valid: illegal base64 data'); }
      items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after);
    }
    const limit = Number(q.get('limit') ?? 0);
    if (limit > 0 && items.length > limit) {
      const last = items[limit - 1];
      metadata.remainingItemCount = items.length - limit;
      metadata.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: `${last.metadata.namespace ?? ''}/${last.metadata.name}` })).toString('base64');
      items = items.slice(0, limit);
    }
    if (table) return send(res, 200, { ...(toTable(t.kind, items.map((i) => withTypeMeta(i, t)), rv, q.get('includeObject')) as object), metadata });
    send(res, 200, { kind: `${t.kind}List`, apiVersion: apiVersionOf(t), metadata, items: items.map(stripTypeMeta) });
  }

  private scaleOf(o: KubeObject): unknown {
    const sel = o.spec?.selector?.matchLabels ?? {};
    return {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 0 }, status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') },
    };
  }

  private setScale(r: ResourceRequest, replicas: unknown, manager: string, dryRun: boolean, rv?: string): unknown {
    if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
      throw new ApiError(422, 'Invalid', `Scale.autoscaling "${r.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, { name: r.name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value', field: 'spec.replicas' }] });
    }
    const cur = this.ctx.core.get(r.resource, r.namespace, r.name!);
    if (rv && rv !== cur.metadata.resourceVersion) throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${r.resource.plural}.${r.group} "${r.name}": the object has been modified; please apply your changes to the latest version and try again`);
    cur.spec.replicas = replicas;
    return this.scaleOf(this.ctx.core.update(r.resource, r.namespace, r.name!, cur, { manager, dryRun }));
  }

  /** POST pods/{name}/binding: what a scheduler does. */
  private bind(ns: string, name: string, body: any): unknown {
    const core = this.ctx.core;
    const t = byKind('Pod');
    const pod = core.get(t, ns, name);
    const node = body?.target?.name;
    if (!node) throw badRequest('target.name: Required value');
    if (pod.spec.nodeName) throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    bindPod(core, pod, node);
    return successStatus();
  }
}

export function bindPod(core: ApiCore, pod: KubeObject, node: string): KubeObject {
  const t = byKind('Pod');
  pod.spec.nodeName = node;
  const conds = (pod.status.conditions ?? []).filter((c: any) => c.type !== 'PodScheduled');
  conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp() });
  pod.status.conditions = conds;
  // Binding changes spec.nodeName, which a plain update may not: write through the store.
  return core.store.put(t, pod, 'MODIFIED');
}

function deleteOptions(body: any, q: URLSearchParams): DeleteOptions {
  const o: DeleteOptions = {};
  const grace = body?.gracePeriodSeconds ?? (q.get('gracePeriodSeconds') !== null ? Number(q.get('gracePeriodSeconds')) : undefined);
  if (grace !== undefined) o.gracePeriodSeconds = Number(grace);
  const policy = body?.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (policy) {
    if (!['Foreground', 'Background', 'Orphan'].includes(policy)) throw new ApiError(422, 'Invalid', `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
    o.propagationPolicy = policy;
  }
  const orphan = body?.orphanDependents ?? (q.get('orphanDependents') === 'true' ? true : undefined);
  if (orphan === true && !o.propagationPolicy) o.propagationPolicy = 'Orphan';
  if (body?.preconditions) o.preconditions = body.preconditions;
  if (body?.dryRun?.includes?.('All') || q.getAll('dryRun').includes('All')) o.dryRun = true;
  return o;
}

function stripTypeMeta(o: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest as KubeObject;
}
