import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseYaml } from '../../chart';

// Parsed as YAML 1.1, the way Helm and the API path read rendered manifests.
const parse = (text: string) => parseYaml(text) as any;
import { renderChart } from '../../chart';
import { chartNameFor, generateChart, writeChart } from './generateChart';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'gen-chart-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('generated chart', () => {
  it('is a v2 chart that renders a Deployment and a Service with the dev labels', async () => {
    const dir = tempDir();
    await writeChart(dir, generateChart({ projectName: 'My Shop_API', ports: [{ port: 8080 }, { port: 9090, name: 'y' }], env: { GREETING: 'hi there', N: '3', on: 'yes' }, command: ['sleep', 'infinity'] }));
    const chartYaml = parse(readFileSync(join(dir, 'chart/Chart.yaml'), 'utf8'));
    expect(chartYaml).toMatchObject({ apiVersion: 'v2', name: 'my-shop-api', version: '0.1.0' });
    const r = await renderChart(join(dir, 'chart'), {
      release: { name: 'shop', namespace: 'dev' },
      values: { image: { repository: 'localhost:5000/shop', tag: 'abc123' }, pullSecrets: ['reg-creds'] },
    });
    expect(r.manifests.map((m) => m.kind)).toEqual(['Service', 'Deployment']);
    const svc = parse(r.manifests[0]!.content);
    const dep = parse(r.manifests[1]!.content);
    const selector = { 'app.kubernetes.io/name': 'my-shop-api', 'app.kubernetes.io/instance': 'shop', 'devspace.sh/component': 'dev' };
    expect(dep.metadata.name).toBe('shop-my-shop-api');
    expect(dep.spec.selector.matchLabels).toEqual(selector);
    expect(dep.spec.template.metadata.labels).toMatchObject(selector);
    expect(svc.spec.selector).toEqual(selector);
    const c = dep.spec.template.spec.containers[0];
    expect(c.name).toBe('dev');
    expect(c.image).toBe('localhost:5000/shop:abc123');
    expect(c.command).toEqual(['sleep', 'infinity']);
    expect(c.env).toEqual([{ name: 'GREETING', value: 'hi there' }, { name: 'N', value: '3' }, { name: 'on', value: 'yes' }]);
    expect(c.ports).toEqual([{ name: 'http-8080', containerPort: 8080, protocol: 'TCP' }, { name: 'y', containerPort: 9090, protocol: 'TCP' }]);
    expect(dep.spec.template.spec.imagePullSecrets).toEqual([{ name: 'reg-creds' }]);
    expect(svc.spec.ports).toEqual([{ name: 'http-8080', port: 8080, targetPort: 'http-8080', protocol: 'TCP' }, { name: 'y', port: 9090, targetPort: 'y', protocol: 'TCP' }]);
    expect(r.notes).toContain('shop-my-shop-api:8080');
  });

  it('renders no Service, command or pull secrets when there are none, and a digest with @', async () => {
    const dir = tempDir();
    await writeChart(dir, generateChart({ projectName: 'worker' }));
    const r = await renderChart(join(dir, 'chart'), { release: { name: 'w' }, values: { image: { repository: 'reg/w', tag: 'sha256:' + 'a'.repeat(64) } } });
    expect(r.manifests.map((m) => m.kind)).toEqual(['Deployment']);
    const dep = parse(r.manifests[0]!.content);
    const spec = dep.spec.template.spec;
    expect(spec.imagePullSecrets).toBeUndefined();
    expect(spec.containers[0].command).toBeUndefined();
    expect(spec.containers[0].ports).toBeUndefined();
    expect(spec.containers[0].image).toBe(`reg/w@sha256:${'a'.repeat(64)}`);
  });

  it('never overwrites a file the user has', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'chart'), { recursive: true });
    writeFileSync(join(dir, 'chart/values.yaml'), 'mine: true\n');
    const { written, skipped } = await writeChart(dir, generateChart({ projectName: 'x', ports: [{ port: 80 }] }));
    expect(skipped).toEqual(['chart/values.yaml']);
    expect(written).toContain('chart/templates/deployment.yaml');
    expect(readFileSync(join(dir, 'chart/values.yaml'), 'utf8')).toBe('mine: true\n');
  });

  it('rejects bad ports and names charts safely', () => {
    expect(() => generateChart({ projectName: 'x', ports: [{ port: 70000 }] })).toThrow(/not a valid port number/);
    expect(() => generateChart({ projectName: 'x', ports: [{ port: 80, name: 'Not_OK' }] })).toThrow(/not a valid Kubernetes port name/);
    expect(chartNameFor('123 Hello World!!')).toBe('hello-world');
    expect(chartNameFor('___')).toBe('app');
  });
});
