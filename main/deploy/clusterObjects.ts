// Any Kubernetes object by apiVersion/kind/namespace/name, as plain JSON. client-node's
// KubernetesObjectApi finds the REST path through discovery, but it serialises bodies through its
// typed models (which drop fields it does not know, so a typo would never reach the server's
// validation) and deserialises responses into classes. We keep its discovery and path rules and
// send and read the JSON ourselves, through makeApiClient's deadline, cancel and credentials.
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { makeApiClient, type ApiClientOptions } from '../kube/apiClient';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type KubeObject = KubernetesObject & {
  metadata?: KubernetesObject['metadata'] & { annotations?: Record<string, string>; labels?: Record<string, string> };
  [k: string]: unknown;
};

/** A Status failure from the API server, with its causes (422 field errors). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly causes: { field?: string; message?: string; reason?: string; type?: string }[] = [],
  ) {
    super(message);
  }
}

export const FIELD_MANAGER = 'devspace-desktop';

/** `Deployment "web" in namespace "default"` — how errors name an object. */
export function describeRef(r: ObjectRef): string {
  return r.namespace ? `${r.kind} "${r.name}" in namespace "${r.namespace}"` : `${r.kind} "${r.name}"`;
}

export function refOf(o: KubeObject): ObjectRef {
  const ns = o.metadata?.namespace;
  return { apiVersion: o.apiVersion ?? 'v1', kind: o.kind ?? '', name: o.metadata?.name ?? '', ...(ns ? { namespace: ns } : {}) };
}

/** Helm's isMatchingInfo: same group, kind, namespace and name (the version may change). */
export function refKey(r: ObjectRef): string {
  const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '';
  return `${group}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

export class ClusterObjects extends KubernetesObjectApi {
  static connect(kc: KubeConfig, opts: ApiClientOptions = {}): ClusterObjects {
    const c = makeApiClient(kc, ClusterObjects, opts);
    c.defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
    return c;
  }

  /** Whether the kind is namespaced, from discovery; throws Helm's "no matches for kind" when the server has no such kind. */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean> {
    const res = await this.resource(apiVersion, kind).catch((e: unknown) => {
      if (e && typeof e === 'object' && (e as { code?: number }).code === 404) return undefined;
      throw e;
    });
    if (!res) {
      throw new KubeApiError(404, 'NotFound', `resource mapping not found for kind "${kind}" in version "${apiVersion}": no matches for kind "${kind}" in version "${apiVersion}"; ensure CRDs are installed first`);
    }
    return res.namespaced;
  }

  async pathOf(r: ObjectRef, action: 'read' | 'list' | 'create'): Promise<string> {
    const spec = { apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) } };
    await this.isNamespaced(r.apiVersion, r.kind);
    return this.specUriPath(spec, action);
  }

  /** One request; JSON in, JSON out (or the body as text with `text`); failures become KubeApiError with the server's Status. */
  async request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, opts: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string; text?: boolean } = {}): Promise<T> {
    const cfg = this.configuration;
    const ctx = cfg.baseServer.makeRequestContext(path, method as never);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) ctx.setQueryParam(k, v);
    ctx.setHeaderParam('Accept', opts.text ? '*/*' : 'application/json');
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    }
    await cfg.authMethods.default?.applySecurityAuthentication(ctx);
    const res = await cfg.httpApi.send(ctx).toPromise();
    const text = await res.body.text();
    if (opts.text && res.httpStatusCode >= 200 && res.httpStatusCode < 300) return text as T;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.httpStatusCode >= 200 && res.httpStatusCode < 300) return body as T;
    const st = (body ?? {}) as { message?: string; reason?: string; details?: { causes?: KubeApiError['causes'] } };
    throw new KubeApiError(res.httpStatusCode, st.reason ?? String(res.httpStatusCode), st.message || text.trim() || `HTTP ${res.httpStatusCode} from ${method} ${path}`, st.details?.causes ?? []);
  }

  async get(r: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.request<KubeObject>('GET', await this.pathOf(r, 'read'));
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 404) return undefined;
      throw e;
    }
  }

  async listObjects(apiVersion: string, kind: string, namespace: string | undefined, labelSelector?: string): Promise<{ items: KubeObject[]; metadata: { resourceVersion?: string } }> {
    const path = await this.pathOf({ apiVersion, kind, name: '', ...(namespace ? { namespace } : {}) }, 'list');
    return this.request('GET', path, { query: { labelSelector } });
  }

  /** Server-side apply (creates when absent), forcing ownership of conflicting fields as `helm upgrade` effectively does. */
  async apply(o: KubeObject, opts: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const path = await this.pathOf(refOf(o), 'read');
    return this.request('PATCH', path, {
      query: { fieldManager: FIELD_MANAGER, force: 'true', ...(opts.dryRun ? { dryRun: 'All' } : {}) },
      body: o,
      contentType: 'application/apply-patch+yaml',
    });
  }

  async createObject(o: KubeObject): Promise<KubeObject> {
    const path = await this.pathOf(refOf(o), 'create');
    return this.request('POST', path, { query: { fieldManager: FIELD_MANAGER }, body: o });
  }

  /** Deletes with background propagation (as helm does); false when it was already gone. */
  async remove(r: ObjectRef, propagationPolicy: 'Background' | 'Foreground' = 'Background'): Promise<boolean> {
    try {
      await this.request('DELETE', await this.pathOf(r, 'read'), { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy } });
      return true;
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 404) return false;
      throw e;
    }
  }
}
