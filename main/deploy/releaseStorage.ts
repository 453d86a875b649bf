// Release records in Secrets, the way helm's Secret driver and pkg/storage keep them: one Secret
// per revision, labels helm queries by, and a history limit that deletes the oldest revisions but
// never the deployed one (storage.removeLeastRecent).
import type { ClusterObjects } from './clusterObjects';
import { KubeApiError } from './clusterObjects';
import { RELEASE_SECRET_TYPE, releaseFromSecret, releaseSecretName, secretDataOf, type Release } from './releaseRecord';

export const DEFAULT_HISTORY_MAX = 10;

interface SecretJson {
  metadata?: { name?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export class ReleaseStorage {
  constructor(
    private readonly api: ClusterObjects,
    readonly namespace: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get secretsPath(): string {
    return `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`;
  }

  /** newSecretsObject: helm's labels, then the release's own labels underneath. */
  private secretOf(r: Release, stamp: 'createdAt' | 'modifiedAt'): object {
    const labels: Record<string, string> = {
      ...(r.labels ?? {}),
      [stamp]: String(Math.floor(this.now().getTime() / 1000)),
      name: r.name,
      owner: 'helm',
      status: r.info.status,
      version: String(r.version),
    };
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: releaseSecretName(r.name, r.version), namespace: this.namespace, labels },
      type: RELEASE_SECRET_TYPE,
      data: secretDataOf(r),
    };
  }

  /** Secrets.Create; an existing record is an error (helm: "release: already exists"). */
  async create(r: Release): Promise<void> {
    try {
      await this.api.request('POST', this.secretsPath, { body: this.secretOf(r, 'createdAt') });
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 409) throw new KubeApiError(409, 'AlreadyExists', `release ${r.name} revision ${r.version}: already exists`);
      throw e;
    }
  }

  /** Secrets.Update: replaces the record (and its labels) unconditionally, as helm does. */
  async update(r: Release): Promise<void> {
    await this.api.request('PUT', `${this.secretsPath}/${encodeURIComponent(releaseSecretName(r.name, r.version))}`, { body: this.secretOf(r, 'modifiedAt') });
  }

  async get(name: string, version: number): Promise<Release | undefined> {
    try {
      const s = await this.api.request<SecretJson>('GET', `${this.secretsPath}/${encodeURIComponent(releaseSecretName(name, version))}`);
      return releaseFromSecret(s);
    } catch (e) {
      if (e instanceof KubeApiError && e.code === 404) return undefined;
      throw e;
    }
  }

  /** All revisions of a release, oldest first (Secrets.Query name=…,owner=helm). Undecodable records are skipped like helm does. */
  async history(name: string, extraSelector = ''): Promise<Release[]> {
    const list = await this.api.request<{ items: SecretJson[] }>('GET', this.secretsPath, {
      query: { labelSelector: `name=${name},owner=helm${extraSelector ? `,${extraSelector}` : ''}` },
    });
    const out: Release[] = [];
    for (const s of list.items ?? []) {
      try {
        out.push(releaseFromSecret(s));
      } catch {
        // helm logs and skips records it cannot decode
      }
    }
    return out.sort((a, b) => a.version - b.version);
  }

  async last(name: string): Promise<Release | undefined> {
    return (await this.history(name)).at(-1);
  }

  /** The deployed revision (the newest when several are marked deployed, as storage.Deployed does). */
  async deployed(name: string): Promise<Release | undefined> {
    return (await this.history(name, 'status=deployed')).at(-1);
  }

  async delete(name: string, version: number): Promise<void> {
    try {
      await this.api.request('DELETE', `${this.secretsPath}/${encodeURIComponent(releaseSecretName(name, version))}`);
    } catch (e) {
      if (!(e instanceof KubeApiError && e.code === 404)) throw e;
    }
  }

  /**
   * storage.removeLeastRecent(name, max-1) before creating a new revision: delete the oldest
   * revisions until max-1 remain, skipping the deployed one. max <= 0 keeps everything.
   */
  async makeRoomFor(name: string, max: number): Promise<number[]> {
    if (max <= 0) return [];
    const keep = max - 1;
    const h = await this.history(name);
    if (h.length <= keep) return [];
    const lastDeployed = h.filter((r) => r.info.status === 'deployed').at(-1);
    const toDelete: number[] = [];
    for (const r of h) {
      if (h.length - toDelete.length === keep) break;
      if (lastDeployed && r.version === lastDeployed.version) continue;
      toDelete.push(r.version);
    }
    for (const v of toDelete) await this.delete(name, v);
    return toDelete;
  }
}
