// A Helm 3 release record, byte-compatible with what helm writes (pkg/release + pkg/storage/driver
// util.go), so `helm list`, `helm history`, `helm get` and `helm rollback` work on what the app
// deployed. The TypeScript shape uses Helm's JSON field names because it IS the stored format.
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import type { LoadedChart, ChartFile, ChartMetadata } from '../chart';
import { marshalJson, quoteJson } from '../chart/goJson';
import { parse as parseYaml } from 'yaml';

/** pkg/release/status.go */
export type ReleaseStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

/** Times are Go time.Time JSON (RFC 3339, nanoseconds trimmed); helm's zero time is "". */
export interface ReleaseInfo {
  first_deployed: string;
  last_deployed: string;
  deleted: string;
  description?: string;
  status: ReleaseStatus;
  notes?: string;
}

/** chart.File: `data` is base64 ([]byte in Go's JSON). */
export interface ReleaseFile {
  name: string;
  data: string;
}

export interface ReleaseChart {
  metadata: Record<string, unknown>;
  lock: unknown;
  templates: ReleaseFile[] | null;
  values: Record<string, unknown> | null;
  /** values.schema.json bytes, base64, or null. */
  schema: string | null;
  files: ReleaseFile[] | null;
}

export type HookPhase = 'Unknown' | 'Running' | 'Succeeded' | 'Failed';

export interface ReleaseHook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  last_run: { started_at: string; completed_at: string; phase: HookPhase | '' };
  weight?: number;
  delete_policies?: string[];
}

export interface Release {
  name: string;
  info: ReleaseInfo;
  chart: ReleaseChart;
  /** The user-supplied values (helm get values). */
  config?: Record<string, unknown>;
  manifest?: string;
  hooks?: ReleaseHook[];
  version: number;
  namespace: string;
  /** Custom labels of the storage Secret (Helm ≥ 3.13 keeps them as rls.Labels; `json:"-"`). */
  labels?: Record<string, string>;
}

export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** driver.makeKey: sh.helm.release.v1.<name>.v<version> */
export function releaseSecretName(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}

/** Go's time.Time MarshalJSON for a UTC time: RFC 3339 with trailing zero nanoseconds trimmed. */
export function goTime(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64');
const file = (f: ChartFile): ReleaseFile => ({ name: f.name, data: b64(f.data) });

/**
 * The chart as Helm stores it in a release: metadata, templates, values, schema, files. Subcharts
 * are not stored (chart.Chart's dependencies are unexported in Go), exactly as helm does.
 */
export function releaseChart(chart: LoadedChart): ReleaseChart {
  const lockFile = chart.files.find((f) => f.name === 'Chart.lock' || f.name === 'requirements.lock');
  const schemaFile = chart.schema === undefined ? undefined : JSON.stringify(chart.schema);
  return {
    metadata: metadataJson(chart.metadata),
    lock: lockFile ? lockOf(lockFile) : null,
    templates: chart.templates.map(file),
    values: chart.values,
    schema: schemaFile === undefined ? null : Buffer.from(schemaFile).toString('base64'),
    // Helm's loader keeps Chart.lock out of Files (it becomes Lock).
    files: chart.files.filter((f) => f !== lockFile).map(file),
  };
}

/** chart.Lock {generated, digest, dependencies} from Chart.lock's YAML; a broken lock file is stored as null. */
function lockOf(f: ChartFile): unknown {
  try {
    const y = parseYaml(Buffer.from(f.data).toString('utf8')) as { generated?: unknown; digest?: unknown; dependencies?: unknown } | null;
    if (!y || typeof y !== 'object') return null;
    const generated = y.generated instanceof Date ? goTime(y.generated) : String(y.generated ?? '');
    return { generated, digest: String(y.digest ?? ''), dependencies: Array.isArray(y.dependencies) ? y.dependencies : null };
  } catch {
    return null;
  }
}

/** chart.Metadata in Go's field order, empty fields omitted (all are omitempty). */
function metadataJson(m: ChartMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown) => {
    if (v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0)) return;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return;
    out[k] = v;
  };
  put('name', m.name);
  put('home', m.home);
  put('sources', m.sources);
  put('version', m.version);
  put('description', m.description);
  put('keywords', m.keywords);
  put('maintainers', m.maintainers);
  put('icon', m.icon);
  put('apiVersion', m.apiVersion);
  put('condition', m.condition);
  put('tags', m.tags);
  put('appVersion', m.appVersion);
  put('deprecated', m.deprecated);
  put('annotations', m.annotations);
  put('kubeVersion', m.kubeVersion);
  put(
    'dependencies',
    m.dependencies?.map((d) => {
      const o: Record<string, unknown> = { name: d.name };
      if (d.version) o.version = d.version;
      o.repository = d.repository ?? '';
      if (d.condition) o.condition = d.condition;
      if (d.tags?.length) o.tags = d.tags;
      if (d.enabled) o.enabled = d.enabled;
      if (d.importValues?.length) o['import-values'] = d.importValues;
      if (d.alias) o.alias = d.alias;
      return o;
    }),
  );
  put('type', m.type);
  return out;
}

// ---------- JSON exactly as encoding/json writes release.Release ----------

type Field = [key: string, value: unknown, omitEmpty: boolean];

function struct(fields: Field[]): string {
  const parts: string[] = [];
  for (const [k, v, omit] of fields) {
    if (omit && isEmpty(v)) continue;
    parts.push(`${quoteJson(k)}:${v instanceof Raw ? v.json : marshalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

class Raw {
  constructor(readonly json: string) {}
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Raw) return false;
  if (typeof v === 'object') return Object.keys(v as object).length === 0;
  return false;
}

/** Orders struct fields like Go does (declaration order); maps are sorted by marshalJson. */
export function releaseJson(r: Release): string {
  const info = struct([
    ['first_deployed', r.info.first_deployed ?? '', false],
    ['last_deployed', r.info.last_deployed ?? '', false],
    ['deleted', r.info.deleted ?? '', false],
    ['description', r.info.description, true],
    ['status', r.info.status, true],
    ['notes', r.info.notes, true],
  ]);
  const files = (fs: ReleaseFile[] | null) => new Raw(fs === null ? 'null' : `[${fs.map((f) => struct([['name', f.name, false], ['data', f.data, false]])).join(',')}]`);
  const chart = struct([
    ['metadata', new Raw(struct(Object.entries(r.chart.metadata).map(([k, v]) => [k, v, false] as Field))), false],
    ['lock', r.chart.lock ?? null, false],
    ['templates', files(r.chart.templates), false],
    ['values', r.chart.values, false],
    ['schema', r.chart.schema, false],
    ['files', files(r.chart.files), false],
  ]);
  const hooks = r.hooks?.map(
    (h) =>
      new Raw(
        struct([
          ['name', h.name, true],
          ['kind', h.kind, true],
          ['path', h.path, true],
          ['manifest', h.manifest, true],
          ['events', h.events, true],
          ['last_run', new Raw(struct([['started_at', h.last_run.started_at ?? '', false], ['completed_at', h.last_run.completed_at ?? '', false], ['phase', h.last_run.phase ?? '', false]])), false],
          ['weight', h.weight, true],
          ['delete_policies', h.delete_policies, true],
        ]),
      ),
  );
  return struct([
    ['name', r.name, true],
    ['info', new Raw(info), false],
    ['chart', new Raw(chart), false],
    ['config', r.config, true],
    ['manifest', r.manifest, true],
    ['hooks', hooks && hooks.length ? new Raw(`[${hooks.map((h) => h.json).join(',')}]`) : undefined, true],
    ['version', r.version, true],
    ['namespace', r.namespace, true],
  ]);
}

/** driver.encodeRelease: JSON → gzip (BestCompression) → base64. This is `data.release` before the Secret's own base64. */
export function encodeRelease(r: Release): string {
  const gz = gzipSync(Buffer.from(releaseJson(r), 'utf8'), { level: constants.Z_BEST_COMPRESSION });
  return gz.toString('base64');
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

/** driver.decodeRelease: base64 → (gunzip when it starts with gzip's magic) → JSON. */
export function decodeRelease(data: string): Release {
  let bytes: Buffer = Buffer.from(data, 'base64');
  if (bytes.length > 3 && GZIP_MAGIC.every((b, i) => bytes[i] === b)) bytes = gunzipSync(bytes);
  const r = JSON.parse(bytes.toString('utf8')) as Release;
  if (!r || typeof r !== 'object' || typeof r.info !== 'object') throw new Error('not a Helm release record');
  r.config ??= {};
  r.hooks ??= [];
  r.manifest ??= '';
  r.version ??= 0;
  return r;
}

/** The Secret's `data` map on the wire: every value base64 again (so `release` is base64 twice). */
export function secretDataOf(r: Release): Record<string, string> {
  return { release: Buffer.from(encodeRelease(r), 'utf8').toString('base64') };
}

/** Reads a release from a Secret as the API server returns it. */
export function releaseFromSecret(secret: { metadata?: { labels?: Record<string, string> }; data?: Record<string, string> }): Release {
  const wire = secret.data?.release;
  if (!wire) throw new Error('the Secret has no data.release');
  const r = decodeRelease(Buffer.from(wire, 'base64').toString('utf8'));
  r.labels = customLabels(secret.metadata?.labels ?? {});
  return r;
}

/** Labels Helm sets itself (driver/util.go systemLabels); everything else is the release's own. */
export const SYSTEM_LABELS = ['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt'];

export function customLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !SYSTEM_LABELS.includes(k)));
}
