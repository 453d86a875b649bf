// Micro-benchmark for the Sprig port: typical chart calls (regexReplaceAll, the name helpers'
// trunc/trimSuffix pipeline, toJson, semverCompare, merge) against plain-JavaScript baselines
// doing the same work in the same run, printed as ratios (port time / baseline time).
// Run: npx tsx main/chart/sprig/bench.ts
import { performance } from 'node:perf_hooks';
import { sprigFunctions } from './index';

const f = sprigFunctions({ now: () => new Date(0), random: () => 0.5 });
const N = 20_000;

function time(fn: () => void): number {
  for (let i = 0; i < 500; i++) fn(); // warm up
  const start = performance.now();
  for (let i = 0; i < N; i++) fn();
  return performance.now() - start;
}

const name = 'my-release-with-a-very-long-name-that-exceeds-the-kubernetes-limit-for-names-';
const values = { image: { repository: 'nginx', tag: '1.25' }, replicas: 3, labels: { a: 'x', b: 'y' }, ports: [80, 443] };

const rows: [string, () => void, () => void][] = [
  ['regexReplaceAll "[^a-z0-9-]" … "-"', () => f.regexReplaceAll('[^a-z0-9-]', 'My_Release.Name', '-'), () => 'My_Release.Name'.replace(/[^a-z0-9-]/gu, '-')],
  ['trunc 63 | trimSuffix "-"', () => f.trimSuffix('-', f.trunc(63n, name)), () => {
    const t = name.slice(0, 63);
    void (t.endsWith('-') ? t.slice(0, -1) : t);
  }],
  ['toJson values', () => f.toJson(values), () => JSON.stringify(values)],
  ['semverCompare ">=1.19-0" "v1.27.4"', () => f.semverCompare('>=1.19-0', 'v1.27.4'), () => {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec('v1.27.4')!;
    void (Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 19));
  }],
  ['merge two label dicts', () => f.merge({ a: 'x' }, { b: 'y', a: 'z' }), () => ({ ...{ b: 'y', a: 'z' }, ...{ a: 'x' } })],
];

console.log(`${N} calls each; ratio = Sprig port / plain JS baseline (same run)`);
for (const [label, port, baseline] of rows) {
  const p = time(port);
  const b = time(baseline);
  console.log(`${label.padEnd(40)} port ${(p / N * 1000).toFixed(2)} µs/call  ratio ${(p / b).toFixed(1)}x`);
}
