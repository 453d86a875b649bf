// The engine against the test cluster's API server (no node: pods stay Pending, which is all
// records, apply, prune, hooks and uninstall need). kubectl is the outside observer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../e2e/cluster/index';
import { loadKubeconfig } from '../kube/kubeconfig';
import { generateChart, writeChart } from '../project/chart/generateChart';
import { ClusterObjects } from './clusterObjects';
import { deploy, history, needsDeploy, preview, rollback, status, uninstall, type DeployOptions } from './helmEngine';

const KUBECTL = '/usr/bin/kubectl';
let cluster: TestCluster;
let kc: KubeConfig;
let api: ClusterObjects;
let work: string;
let chartDir: string;

beforeAll(async () => {
  cluster = await startTestCluster({ node: false });
  kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig();
  api = ClusterObjects.connect(kc);
  work = mkdtempSync(join(tmpdir(), 'deploy-test-'));
  await writeChart(work, generateChart({ projectName: 'shop', ports: [{ port: 8080 }], env: { GREETING: 'one' } }));
  chartDir = join(work, 'chart');
  // a user's own template, switched by a value, to see pruning
  writeFileSync(join(chartDir, 'templates/extra.yaml'), '{{- if .Values.extra }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\ndata:\n  a: "1"\n{{- end }}\n');
});

afterAll(async () => {
  await cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const image = { repository: 'localhost:5000/shop', tag: 'build1', pullSecrets: ['registry-auth'] };
function opts(extra: Partial<DeployOptions> = {}): DeployOptions {
  return { kubeConfig: kc, namespace: 'default', release: 'shop', image, values: { extra: true }, ...extra };
}

async function secret(name: string): Promise<any> {
  return api.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'default', name });
}
function readRecord(s: any): any {
  return JSON.parse(gunzipSync(Buffer.from(Buffer.from(s.data.release, 'base64').toString(), 'base64')).toString());
}
const get = (kind: string, name: string, apiVersion = 'v1') => api.get({ apiVersion, kind, namespace: 'default', name });
// async: the test cluster's API server runs in this process, a blocking exec would starve it
const kubectl = async (...args: string[]) => (await promisify(execFile)(KUBECTL, ['--kubeconfig', cluster.kubeconfigPath, ...args], { encoding: 'utf8' })).stdout;

describe('helm engine against the test cluster', () => {
  it('installs the generated chart as revision 1 with a Helm 3 record', async () => {
    const steps: string[] = [];
    const r = await deploy(chartDir, opts({ onProgress: (p) => steps.push(p.step) }));
    expect(r.changed).toBe(true);
    expect(r.release).toMatchObject({ name: 'shop', revision: 1, status: 'deployed', description: 'Install complete', chart: 'shop-0.1.0' });
    expect(r.workloads).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'shop' }]);
    expect(steps).toContain('validate');
    const s = await secret('sh.helm.release.v1.shop.v1');
    expect(s.type).toBe('helm.sh/release.v1');
    expect(s.metadata.labels).toMatchObject({ name: 'shop', owner: 'helm', status: 'deployed', version: '1' });
    expect(s.metadata.labels.modifiedAt).toMatch(/^\d+$/);
    const rec = readRecord(s);
    expect(rec).toMatchObject({ name: 'shop', namespace: 'default', version: 1, info: { status: 'deployed', deleted: '' } });
    expect(rec.config).toMatchObject({ image: { repository: 'localhost:5000/shop', tag: 'build1' }, imageRef: 'localhost:5000/shop:build1', pullSecrets: ['registry-auth'], extra: true });
    expect(rec.manifest).toContain('# Source: shop/templates/deployment.yaml');
    const dep = (await get('Deployment', 'shop', 'apps/v1')) as any;
    expect(dep.metadata.labels['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(dep.metadata.annotations).toMatchObject({ 'meta.helm.sh/release-name': 'shop', 'meta.helm.sh/release-namespace': 'default' });
    expect(dep.spec.template.spec.containers[0].image).toBe('localhost:5000/shop:build1');
    expect(dep.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-auth' }]);
    expect(await get('Service', 'shop')).toBeDefined();
    expect(await get('ConfigMap', 'shop-extra')).toBeDefined();
  });

  it('kubectl sees the objects by Helm’s label and the record by helm’s labels', async () => {
    if (!existsSync(KUBECTL)) return console.log(`skipped: ${KUBECTL} is not installed`);
    const names = await kubectl('get', 'deployments,services,configmaps', '-n', 'default', '-l', 'app.kubernetes.io/managed-by=Helm', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name} {end}');
    expect(names.trim().split(' ').sort()).toEqual(['ConfigMap/shop-extra', 'Deployment/shop', 'Service/shop']);
    expect((await kubectl('get', 'secrets', '-n', 'default', '-l', 'owner=helm,name=shop', '-o', 'name')).trim()).toBe('secret/sh.helm.release.v1.shop.v1');
  });

  it('does nothing on a warm Up with the same chart and values', async () => {
    const need = await needsDeploy(chartDir, opts());
    expect(need).toMatchObject({ needed: false });
    // the deployed revision's objects, as status() lists them (a warm Up needs no second read)
    expect(need.objects).toEqual((await status('shop', opts()))?.objects);
    expect(need.objects?.map((o) => `${o.kind}/${o.name}`).sort()).toEqual(['ConfigMap/shop-extra', 'Deployment/shop', 'Service/shop']);
    const r = await deploy(chartDir, opts());
    expect(r.changed).toBe(false);
    expect(r.release.revision).toBe(1);
    expect(await secret('sh.helm.release.v1.shop.v2')).toBeUndefined();
    expect(await needsDeploy(chartDir, opts({ image: { ...image, tag: 'build2' } }))).toMatchObject({ needed: true });
  });

  it('previews what would be applied', async () => {
    const p = await preview(chartDir, opts({ values: { extra: false } }));
    expect(p.manifests.map((m) => `${m.kind}/${m.name}`)).toEqual(['Service/shop', 'Deployment/shop']);
    expect(p.upToDate).toBe(false);
    expect(p.deployed?.revision).toBe(1);
  });

  it('upgrades to revision 2, supersedes 1 and prunes the object the chart dropped', async () => {
    const r = await deploy(chartDir, opts({ values: { extra: false, env: { GREETING: 'two' } } }));
    expect(r.release).toMatchObject({ revision: 2, status: 'deployed', description: 'Upgrade complete' });
    expect(r.pruned).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'shop-extra' }]);
    expect(await get('ConfigMap', 'shop-extra')).toBeUndefined();
    expect((await secret('sh.helm.release.v1.shop.v1')).metadata.labels.status).toBe('superseded');
    expect(readRecord(await secret('sh.helm.release.v1.shop.v1')).info.status).toBe('superseded');
    expect(readRecord(await secret('sh.helm.release.v1.shop.v2')).info.first_deployed).toBe(readRecord(await secret('sh.helm.release.v1.shop.v1')).info.first_deployed);
    const dep = (await get('Deployment', 'shop', 'apps/v1')) as any;
    expect(dep.spec.template.spec.containers[0].env).toEqual([{ name: 'GREETING', value: 'two' }]);
  });

  it('records a failed upgrade, names the object and field, and keeps revision 2 running', async () => {
    // replicas -1 is refused with 422; dropping the ports would also delete the Service if it got that far
    const err = await deploy(chartDir, opts({ values: { extra: false, replicaCount: -1, ports: [], env: { GREETING: 'three' } } })).catch((e) => e);
    expect(err.code).toBe('CLUSTER_ERROR');
    expect(err.message).toContain('Deployment "shop" in namespace "default"');
    expect(err.message).toContain('spec.replicas');
    expect(err.hint).toMatch(/chart/);
    const rec3 = readRecord(await secret('sh.helm.release.v1.shop.v3'));
    expect(rec3.info.status).toBe('failed');
    expect(rec3.info.description).toMatch(/^Upgrade "shop" failed: /);
    expect((await secret('sh.helm.release.v1.shop.v2')).metadata.labels.status).toBe('deployed');
    expect(await get('Service', 'shop')).toBeDefined();
    const dep = (await get('Deployment', 'shop', 'apps/v1')) as any;
    expect(dep.spec.template.spec.containers[0].env).toEqual([{ name: 'GREETING', value: 'two' }]);
    expect(dep.spec.replicas).toBe(1);
    // the failed revision came after the deployed one: a warm Up must not trust the old fingerprint
    expect(await needsDeploy(chartDir, opts({ values: { extra: false, env: { GREETING: 'two' } } }))).toMatchObject({ needed: true });
  });

  it('rolls back to revision 1 as revision 4', async () => {
    const r = await rollback('shop', 1, { kubeConfig: kc, namespace: 'default' });
    expect(r.release).toMatchObject({ revision: 4, status: 'deployed', description: 'Rollback to 1' });
    expect(await get('ConfigMap', 'shop-extra')).toBeDefined();
    const dep = (await get('Deployment', 'shop', 'apps/v1')) as any;
    expect(dep.spec.template.spec.containers[0].env).toEqual([{ name: 'GREETING', value: 'one' }]);
    const h = await history('shop', { kubeConfig: kc, namespace: 'default' });
    expect(h.map((x) => `${x.revision}:${x.status}`)).toEqual(['1:superseded', '2:superseded', '3:failed', '4:deployed']);
    expect(readRecord(await secret('sh.helm.release.v1.shop.v4')).config).toEqual(readRecord(await secret('sh.helm.release.v1.shop.v1')).config);
    expect((await status('shop', { kubeConfig: kc, namespace: 'default' }))?.revision).toBe(4);
  });

  it('uninstalls: objects and records are gone', async () => {
    const { deleted } = await uninstall('shop', { kubeConfig: kc, namespace: 'default' });
    expect(deleted.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'ConfigMap']);
    expect(await get('Deployment', 'shop', 'apps/v1')).toBeUndefined();
    expect(await get('Service', 'shop')).toBeUndefined();
    expect(await get('ConfigMap', 'shop-extra')).toBeUndefined();
    expect(await history('shop', { kubeConfig: kc, namespace: 'default' })).toEqual([]);
  });

  it('refuses to take over an object that belongs to someone else', async () => {
    await api.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-extra', namespace: 'default' }, data: {} });
    const err = await deploy(chartDir, opts({ release: 'other' })).catch((e) => e);
    expect(err.message).toContain('ConfigMap "other-extra" in namespace "default" exists and cannot be imported into the current release');
    expect(err.message).toContain('missing key "meta.helm.sh/release-name": must be set to "other"');
    expect(readRecord(await secret('sh.helm.release.v1.other.v1')).info.status).toBe('failed');
    expect(await get('Deployment', 'other-shop', 'apps/v1')).toBeUndefined();
    await uninstall('other', { kubeConfig: kc, namespace: 'default' });
  });

  it('keeps at most historyMax revisions, never the deployed one', async () => {
    for (let i = 0; i < 5; i++) await deploy(chartDir, opts({ release: 'hist', historyMax: 3, force: true, values: { extra: false, n: i } }));
    const h = await history('hist', { kubeConfig: kc, namespace: 'default' });
    expect(h.map((x) => `${x.revision}:${x.status}`)).toEqual(['3:superseded', '4:superseded', '5:deployed']);
    await uninstall('hist', { kubeConfig: kc, namespace: 'default' });
  });

  it('runs hooks by weight, deletes them by policy, and keeps resource-policy keep objects', async () => {
    const dir = mkdtempSync(join(work, 'hooks-'));
    await writeChart(dir, generateChart({ projectName: 'hooky' }));
    const hook = (name: string, event: string, weight: number, policy?: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    "helm.sh/hook": ${event}\n    "helm.sh/hook-weight": "${weight}"\n${policy ? `    "helm.sh/hook-delete-policy": ${policy}\n` : ''}data: {}\n`;
    writeFileSync(join(dir, 'chart/templates/hooks.yaml'), [hook('h-late', 'pre-install', 5), hook('h-early', 'pre-install', -1, 'hook-succeeded'), hook('h-post', 'post-install', 0)].join('---\n'));
    writeFileSync(join(dir, 'chart/templates/keep.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\ndata: {}\n');
    const messages: string[] = [];
    await deploy(join(dir, 'chart'), { kubeConfig: kc, namespace: 'default', release: 'hooky', onProgress: (p) => p.step === 'hooks' && messages.push(p.message) });
    expect(messages).toEqual([
      'install hook ConfigMap "h-early": start',
      'install hook ConfigMap "h-early": succeeded',
      'install hook ConfigMap "h-late": start',
      'install hook ConfigMap "h-late": succeeded',
      'install hook ConfigMap "h-post": start',
      'install hook ConfigMap "h-post": succeeded',
    ]);
    expect(await get('ConfigMap', 'h-early')).toBeUndefined(); // hook-succeeded
    const late = (await get('ConfigMap', 'h-late')) as any;
    const post = (await get('ConfigMap', 'h-post')) as any;
    expect(Number(late.metadata.resourceVersion)).toBeLessThan(Number(post.metadata.resourceVersion));
    const dep = (await get('Deployment', 'hooky', 'apps/v1')) as any;
    expect(Number(late.metadata.resourceVersion)).toBeLessThan(Number(dep.metadata.resourceVersion));
    const rec = readRecord(await secret('sh.helm.release.v1.hooky.v1'));
    expect(rec.hooks.map((h: any) => `${h.name}:${h.last_run.phase}`).sort()).toEqual(['h-early:Succeeded', 'h-late:Succeeded', 'h-post:Succeeded']);
    const { kept } = await uninstall('hooky', { kubeConfig: kc, namespace: 'default' });
    expect(kept.map((k) => k.name)).toEqual(['kept']);
    expect(await get('ConfigMap', 'kept')).toBeDefined();
  });

  it('layers values: built image < .devspace/config.yaml values < values file < --set', async () => {
    const file = join(work, 'my-values.yaml');
    writeFileSync(file, 'image:\n  tag: from-file\nreplicaCount: 2\n');
    const p = await preview(chartDir, opts({ release: 'layers', values: { image: { tag: 'from-config' }, containerName: 'from-config' }, valuesFile: file, set: ['replicaCount=3'] }));
    expect(p.values).toMatchObject({ image: { repository: 'localhost:5000/shop', tag: 'from-file' }, containerName: 'from-config', replicaCount: 3n, pullSecrets: ['registry-auth'] });
    const err = await preview(chartDir, opts({ release: 'layers', valuesFile: join(work, 'missing.yaml') })).catch((e) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(err.message).toContain('missing.yaml');
  });

  it('a cancelled deploy changes nothing and records the revision as failed', async () => {
    const ac = new AbortController();
    const err = await deploy(chartDir, opts({ release: 'cancelled', signal: ac.signal, onProgress: (p) => p.step === 'validate' && ac.abort() })).catch((e) => e);
    expect(err.code).toBe('CANCELLED');
    expect(readRecord(await secret('sh.helm.release.v1.cancelled.v1')).info.status).toBe('failed');
    expect(await get('Deployment', 'cancelled-shop', 'apps/v1')).toBeUndefined();
    await uninstall('cancelled', { kubeConfig: kc, namespace: 'default' });
  });

  it('answers the chart’s lookup calls from the cluster, as helm install does', async () => {
    await api.createObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lookup-src', namespace: 'default' }, data: { v: 'from-cluster' } });
    const dir = mkdtempSync(join(work, 'lookup-'));
    await writeChart(dir, generateChart({ projectName: 'look' }));
    writeFileSync(join(dir, 'chart/templates/copy.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: copy\ndata:\n  v: {{ (lookup "v1" "ConfigMap" .Release.Namespace "lookup-src").data.v | quote }}\n  missing: {{ (lookup "v1" "ConfigMap" .Release.Namespace "nope") | len | quote }}\n');
    const p = await preview(join(dir, 'chart'), { kubeConfig: kc, namespace: 'default', release: 'look' });
    const copy = p.manifests.find((m) => m.name === 'copy')!;
    expect(copy.content).toContain('v: "from-cluster"');
    expect(copy.content).toContain('missing: "0"');
  });
});
