// Tiller's ConfigMap storage driver, as the stand-in keeps releases: one ConfigMap per release
// version in Tiller's namespace, named "<release>.v<version>", labelled NAME, OWNER=TILLER,
// STATUS, VERSION (plus CREATED_AT / MODIFIED_AT), data.release = base64(gzip(protobuf Release)).
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeRelease, encodeRelease, type Release } from '../../../main/deploy/tiller/hapi';
import type { ApiClient } from './api-client';

export function encodeStoredRelease(r: Release): string {
  return gzipSync(encodeRelease(r), { level: 9 }).toString('base64');
}

export function decodeStoredRelease(data: string): Release {
  const bytes = Buffer.from(data, 'base64');
  // Tillers before 2.7 stored the protobuf without gzip.
  return decodeRelease(bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes);
}

export class TillerReleases {
  constructor(private readonly api: ApiClient, private readonly namespace: string, private readonly now: () => Date = () => new Date()) {}

  private get base(): string { return `/api/v1/namespaces/${this.namespace}/configmaps`; }

  private labels(r: Release): Record<string, string> {
    return { NAME: r.name, OWNER: 'TILLER', STATUS: r.info.status.code, VERSION: String(r.version) };
  }

  /** Every stored version of `name` (or of all releases), oldest first. */
  async list(name?: string): Promise<Release[]> {
    const selector = encodeURIComponent(`OWNER=TILLER${name ? `,NAME=${name}` : ''}`);
    const list = await this.api.get(`${this.base}?labelSelector=${selector}`);
    const out: Release[] = [];
    for (const cm of list.items ?? []) {
      if (typeof cm.data?.release !== 'string') continue;
      out.push(decodeStoredRelease(cm.data.release));
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version - b.version));
  }

  async history(name: string): Promise<Release[]> {
    const all = await this.list(name);
    if (!all.length) throw new Error(`release: "${name}" not found`);
    return all;
  }

  async last(name: string): Promise<Release> {
    const all = await this.history(name);
    return all[all.length - 1]!;
  }

  async get(name: string, version: number): Promise<Release> {
    const cm = await this.api.find(`${this.base}/${name}.v${version}`);
    if (!cm?.data?.release) throw new Error(`release: "${name}.v${version}" not found`);
    return decodeStoredRelease(cm.data.release);
  }

  async create(r: Release): Promise<void> {
    const key = `${r.name}.v${r.version}`;
    const res = await this.api.request('POST', this.base, {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: key, namespace: this.namespace, labels: { ...this.labels(r), CREATED_AT: String(Math.floor(this.now().getTime() / 1000)) } },
      data: { release: encodeStoredRelease(r) },
    });
    if (res.status === 409) throw new Error(`release: "${key}" already exists`);
    if (res.status < 200 || res.status > 299) throw new Error(`create: failed to create: ${res.body?.message ?? res.status}`);
  }

  async update(r: Release): Promise<void> {
    await this.api.ok('PATCH', `${this.base}/${r.name}.v${r.version}`, {
      metadata: { labels: { ...this.labels(r), MODIFIED_AT: String(Math.floor(this.now().getTime() / 1000)) } },
      data: { release: encodeStoredRelease(r) },
    }, 'application/merge-patch+json');
  }

  async delete(name: string, version: number): Promise<void> {
    const r = await this.api.request('DELETE', `${this.base}/${name}.v${version}`);
    if (r.status !== 404 && (r.status < 200 || r.status > 299)) throw new Error(`delete: failed to delete release "${name}.v${version}": ${r.body?.message ?? r.status}`);
  }

  /** TILLER_HISTORY_MAX: keeps the newest `max` versions (0 keeps all), as Tiller does after an upgrade. */
  async prune(name: string, max: number): Promise<void> {
    if (max <= 0) return;
    const all = await this.list(name);
    for (const r of all.slice(0, Math.max(0, all.length - max))) await this.delete(r.name, r.version);
  }
}
