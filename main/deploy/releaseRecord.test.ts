import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../chart';
import { decodeRelease, encodeRelease, goTime, releaseChart, releaseFromSecret, releaseJson, releaseSecretName, secretDataOf, type Release } from './releaseRecord';

const here = import.meta.dirname;

async function sampleRelease(): Promise<Release> {
  const chart = await loadChart(join(here, '../chart/testdata/mychart'));
  return {
    name: 'web',
    namespace: 'dev',
    version: 3,
    info: { first_deployed: goTime(new Date('2026-01-02T03:04:05.120Z')), last_deployed: goTime(new Date('2026-01-02T03:04:06Z')), deleted: '', description: 'Upgrade complete', status: 'deployed', notes: 'hello' },
    chart: releaseChart(chart),
    config: { image: { repository: 'reg/app', tag: 'abc' }, z: 1, a: '<b>' },
    manifest: '---\n# Source: mychart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    hooks: [{ name: 'h', kind: 'ConfigMap', path: 'mychart/templates/h.yaml', manifest: 'kind: ConfigMap', events: ['pre-install'], last_run: { started_at: '', completed_at: '', phase: '' }, weight: 2, delete_policies: ['hook-succeeded'] }],
  };
}

/** An independent reader: what helm's decodeRelease does, with node's zlib and JSON only. */
function readLikeHelm(wireData: string): Record<string, any> {
  const stored = Buffer.from(wireData, 'base64').toString('utf8'); // the Secret's own base64
  const gz = Buffer.from(stored, 'base64');
  expect([...gz.subarray(0, 3)]).toEqual([0x1f, 0x8b, 0x08]);
  return JSON.parse(gunzipSync(gz).toString('utf8'));
}

describe('release record codec', () => {
  it('encodes every field helm reads, readable with plain gzip + JSON', async () => {
    const r = await sampleRelease();
    const json = readLikeHelm(secretDataOf(r).release);
    expect(json.name).toBe('web');
    expect(json.namespace).toBe('dev');
    expect(json.version).toBe(3);
    expect(json.info).toEqual({ first_deployed: '2026-01-02T03:04:05.12Z', last_deployed: '2026-01-02T03:04:06Z', deleted: '', description: 'Upgrade complete', status: 'deployed', notes: 'hello' });
    expect(json.chart.metadata).toMatchObject({ name: 'mychart', version: '0.1.0', apiVersion: 'v2' });
    expect(json.chart.lock).toBeNull();
    expect(json.chart.schema).toBeNull();
    const deployment = json.chart.templates.find((t: { name: string }) => t.name === 'templates/deployment.yaml');
    expect(Buffer.from(deployment.data, 'base64').toString('utf8')).toBe(readFileSync(join(here, '../chart/testdata/mychart/templates/deployment.yaml'), 'utf8'));
    expect(json.chart.values.replicaCount).toBe(1);
    expect(Array.isArray(json.chart.files)).toBe(true);
    expect(json.config).toEqual({ a: '<b>', image: { repository: 'reg/app', tag: 'abc' }, z: 1 });
    expect(json.manifest).toContain('kind: ConfigMap');
    expect(json.hooks[0]).toEqual({ name: 'h', kind: 'ConfigMap', path: 'mychart/templates/h.yaml', manifest: 'kind: ConfigMap', events: ['pre-install'], last_run: { started_at: '', completed_at: '', phase: '' }, weight: 2, delete_policies: ['hook-succeeded'] });
  });

  it('writes JSON the way Go encoding/json does: struct order, sorted maps, HTML escaped, omitempty', async () => {
    const r = await sampleRelease();
    const text = releaseJson(r);
    expect(Object.keys(JSON.parse(text))).toEqual(['name', 'info', 'chart', 'config', 'manifest', 'hooks', 'version', 'namespace']);
    expect(Object.keys(JSON.parse(text).chart)).toEqual(['metadata', 'lock', 'templates', 'values', 'schema', 'files']);
    expect(text).toContain('"config":{"a":"\\u003cb\\u003e","image":{"repository":"reg/app","tag":"abc"},"z":1}');
    const bare = releaseJson({ ...r, hooks: [], config: {}, manifest: '' });
    expect(bare).not.toContain('"hooks"');
    expect(bare).not.toContain('"config"');
    expect(bare).not.toContain('"manifest"');
  });

  it('uses gzip best compression like helm (XFL=2) and round-trips', async () => {
    const r = await sampleRelease();
    const enc = encodeRelease(r);
    expect(Buffer.from(enc, 'base64')[8]).toBe(2);
    const back = decodeRelease(enc);
    expect(back.chart.templates?.length).toBe(r.chart.templates?.length);
    expect(back.info).toEqual(r.info);
  });

  it('decodes a Secret written by helm 3 (hand-made with Python gzip, following encodeRelease)', () => {
    const secret = JSON.parse(readFileSync(join(here, 'testdata/helm3-release-secret.json'), 'utf8'));
    expect(secret.metadata.name).toBe(releaseSecretName('web', 2));
    const r = releaseFromSecret(secret);
    expect(r.name).toBe('web');
    expect(r.namespace).toBe('prod');
    expect(r.version).toBe(2);
    expect(r.info.status).toBe('deployed');
    expect(r.info.first_deployed).toBe('2024-03-01T10:15:30.123456789+01:00');
    expect(r.info.deleted).toBe('');
    expect(r.info.notes).toBe('Visit http://web.local');
    expect(r.chart.metadata).toMatchObject({ name: 'web', version: '0.1.0', appVersion: '1.16.0' });
    expect(Buffer.from(r.chart.templates![0]!.data, 'base64').toString()).toContain('{{ .Values.greeting | quote }}');
    expect(r.config).toEqual({ greeting: 'hi <there>' });
    expect(r.manifest).toContain('# Source: web/templates/configmap.yaml');
    expect(r.hooks![0]).toMatchObject({ name: 'web-migrate', weight: -5, events: ['pre-install', 'pre-upgrade'], delete_policies: ['before-hook-creation'] });
    expect(r.labels).toEqual({});
  });

  it('keeps custom labels but not helm’s own', () => {
    const secret = JSON.parse(readFileSync(join(here, 'testdata/helm3-release-secret.json'), 'utf8'));
    secret.metadata.labels['devspace.sh/deploy-hash'] = 'abc';
    expect(releaseFromSecret(secret).labels).toEqual({ 'devspace.sh/deploy-hash': 'abc' });
  });

  it('formats times like Go (nanoseconds trimmed)', () => {
    expect(goTime(new Date('2026-05-06T07:08:09.000Z'))).toBe('2026-05-06T07:08:09Z');
    expect(goTime(new Date('2026-05-06T07:08:09.100Z'))).toBe('2026-05-06T07:08:09.1Z');
  });
});
