// The hapi messages on the wire and the Helm 2 chart mapping, without a cluster.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChart } from '../../chart';
import { chartFiles, chartMessage, loadChartMessage } from './chartMessage';
import { decode, decodeRelease, encode, encodeRelease, isCompatible, type Release } from './hapi';

const CHART = join(import.meta.dirname, 'testdata/web');

describe('hapi messages', () => {
  it('puts InstallReleaseRequest fields at the numbers Tiller reads', () => {
    const bytes = encode('InstallReleaseRequest', { name: 'web', namespace: 'ns', values: { raw: 'a: 1\n' }, wait: true, timeout: 300 });
    // field 4 (name), wire type 2 → tag 0x22; field 6 (namespace) → 0x32; field 2 (values) → 0x12; field 9 (wait) → 0x48; field 8 (timeout) → 0x40
    expect([...bytes]).toEqual(expect.arrayContaining([0x22, 0x32, 0x12, 0x48, 0x40]));
    expect(bytes.indexOf(Buffer.from([0x22, 3, ...Buffer.from('web')]))).toBeGreaterThanOrEqual(0);
    expect(bytes.indexOf(Buffer.from([0x48, 1]))).toBeGreaterThanOrEqual(0);
    expect(decode<any>('InstallReleaseRequest', bytes)).toMatchObject({ name: 'web', namespace: 'ns', values: { raw: 'a: 1\n' }, wait: true, timeout: 300 });
  });

  it('round-trips a Release with its status as a name', () => {
    const r: Release = {
      name: 'web', namespace: 'ns', version: 3, manifest: '---\n', hooks: [], config: { raw: 'x: 1' },
      chart: { metadata: { name: 'web', version: '0.1.0' }, templates: [{ name: 'templates/a.yaml', data: Buffer.from('a') }], dependencies: [], files: [] },
      info: { status: { code: 'SUPERSEDED' }, description: 'Upgrade complete', firstDeployed: { seconds: 10, nanos: 0 } },
    };
    const bytes = encodeRelease(r);
    // Release.version is field 7 (varint): tag 0x38.
    expect(bytes.indexOf(Buffer.from([0x38, 3]))).toBeGreaterThanOrEqual(0);
    const back = decodeRelease(bytes);
    expect(back).toMatchObject({ name: 'web', namespace: 'ns', version: 3, info: { status: { code: 'SUPERSEDED' }, description: 'Upgrade complete', firstDeployed: { seconds: 10 } } });
    expect(Buffer.from(back.chart.templates[0]!.data).toString()).toBe('a');
  });

  it('maps a chart folder as Helm 2 does and back', async () => {
    const chart = await loadChart(CHART);
    const msg = chartMessage(chart);
    expect(msg.metadata).toMatchObject({ name: 'web', version: '0.1.0', apiVersion: 'v1' });
    expect(msg.templates.map((t) => t.name).sort()).toEqual(['templates/deployment.yaml', 'templates/service.yaml']);
    expect(msg.files.map((f) => f.typeUrl)).toEqual(['README.md']);
    expect(msg.values?.raw).toMatch(/message: hello/);
    const wire = decode<any>('hapi.chart.Chart', encode('hapi.chart.Chart', msg));
    expect(chartFiles(wire).map((f) => f.name).sort()).toEqual(['Chart.yaml', 'README.md', 'templates/deployment.yaml', 'templates/service.yaml', 'values.yaml']);
    const again = await loadChartMessage(wire);
    expect(again.values).toEqual(chart.values);
    expect(again.metadata.name).toBe('web');
  });

  it('checks client versions with Helm 2\'s rule (^major.minor of the client)', () => {
    expect(isCompatible('v2.17.0', 'v2.17.0')).toBe(true);
    expect(isCompatible('v2.16.1', 'v2.17.0')).toBe(true); // an older minor client is accepted
    expect(isCompatible('v2.18.0', 'v2.17.0')).toBe(false);
    expect(isCompatible('v3.0.0', 'v2.17.0')).toBe(false);
    expect(isCompatible('', 'v2.17.0')).toBe(false);
    expect(isCompatible('v2.17.0-rc.1', 'v2.17.0')).toBe(false);
  });
});
