// How the Tiller stand-in puts a release's manifest into the cluster: each document is applied
// (server-side apply, field manager "tiller") in the release's namespace unless it names its own,
// and objects a new manifest no longer contains are deleted, as Tiller's kube client does.
import { parseAllDocuments } from 'yaml';
import type { ApiClient } from './api-client';

interface Resource { plural: string; namespaced: boolean }

/** The kinds the test cluster serves (see ../README.md). */
const RESOURCES: Record<string, Resource> = {
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Secret': { plural: 'secrets', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/Pod': { plural: 'pods', namespaced: true },
  'v1/PersistentVolumeClaim': { plural: 'persistentvolumeclaims', namespaced: true },
  'v1/Endpoints': { plural: 'endpoints', namespaced: true },
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'apps/v1/ReplicaSet': { plural: 'replicasets', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false },
};

export interface ManifestObject { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown }

/** The objects of a Helm 2 manifest ("---\n# Source: …" documents). */
export function manifestObjects(manifest: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    if (doc.errors.length) throw new Error(`YAML parse error: ${doc.errors[0]!.message}`);
    const obj = doc.toJS() as ManifestObject | null;
    if (obj && typeof obj === 'object') out.push(obj);
  }
  return out;
}

function objectPath(obj: ManifestObject, namespace: string): string {
  const r = RESOURCES[`${obj.apiVersion}/${obj.kind}`];
  if (!r) throw new Error(`unable to recognize "": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
  if (!obj.metadata?.name) throw new Error(`error validating "": ${obj.kind} has no metadata.name`);
  const group = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  return r.namespaced ? `${group}/namespaces/${obj.metadata.namespace ?? namespace}/${r.plural}/${obj.metadata.name}` : `${group}/${r.plural}/${obj.metadata.name}`;
}

export class ReleaseObjects {
  constructor(private readonly api: ApiClient) {}

  /** Applies every object of `manifest`, then deletes what only `previous` had. */
  async apply(manifest: string, namespace: string, previous = ''): Promise<void> {
    const objects = manifestObjects(manifest);
    const wanted = new Set<string>();
    for (const obj of objects) {
      const path = objectPath(obj, namespace);
      wanted.add(path);
      const body = { ...obj, metadata: { ...obj.metadata, namespace: RESOURCES[`${obj.apiVersion}/${obj.kind}`]!.namespaced ? obj.metadata.namespace ?? namespace : undefined } };
      const r = await this.api.request('PATCH', `${path}?fieldManager=tiller&force=true`, body, 'application/apply-patch+yaml');
      if (r.status < 200 || r.status > 299) throw new Error(`error applying ${obj.kind} "${obj.metadata.name}": ${r.body?.message ?? r.status}`);
    }
    for (const old of previous ? manifestObjects(previous) : []) {
      let path: string;
      try { path = objectPath(old, namespace); } catch { continue; }
      if (!wanted.has(path)) await this.deletePath(path);
    }
  }

  /** Deletes every object of `manifest`; returns what could not be deleted (Tiller reports it, keeps going). */
  async delete(manifest: string, namespace: string): Promise<string[]> {
    const errors: string[] = [];
    for (const obj of manifestObjects(manifest).reverse()) {
      try { await this.deletePath(objectPath(obj, namespace)); } catch (e) { errors.push((e as Error).message); }
    }
    return errors;
  }

  /**
   * Tiller's --wait: polls until every Deployment of the manifest has its replicas updated and
   * ready, as Tiller's kube client does, or fails with its "timed out waiting for the condition".
   */
  async waitReady(manifest: string, namespace: string, timeoutSeconds: number): Promise<void> {
    const deadline = Date.now() + Math.max(timeoutSeconds, 1) * 1000;
    const deployments = manifestObjects(manifest).filter((o) => o.apiVersion === 'apps/v1' && o.kind === 'Deployment');
    for (;;) {
      let ready = true;
      for (const d of deployments) {
        const cur = await this.api.find(objectPath(d, namespace));
        const want = cur?.spec?.replicas ?? 1;
        const st = cur?.status ?? {};
        if (!cur || (st.observedGeneration ?? 0) < (cur.metadata?.generation ?? 1) || (st.updatedReplicas ?? 0) < want || (st.readyReplicas ?? 0) < want) ready = false;
      }
      if (ready) return;
      if (Date.now() > deadline) throw new Error('timed out waiting for the condition');
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  private async deletePath(path: string): Promise<void> {
    const r = await this.api.request('DELETE', `${path}?propagationPolicy=Background`);
    if (r.status !== 404 && (r.status < 200 || r.status > 299)) throw new Error(`error deleting ${path}: ${r.body?.message ?? r.status}`);
  }
}
