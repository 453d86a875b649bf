// Benchmark: render a 30-template chart 100 times and print CPU ms per render, warm, against a
// baseline measured in the same run (parsing the same templates into a TemplateSet once), so the
// ratio says how much the Helm layer adds on top of the template engine.
// Run: npx tsx main/chart/bench.ts   (target: < 5 ms per warm render)

import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadChart } from './loader';
import { clearManifestCache } from './manifests';
import { clearTemplateCache, renderChart } from './render';
import { sprigFunctions } from './sprig';
import { TemplateSet, type FuncMap } from './template';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, 'testdata', 'mychart');

/** The helm-create test chart plus copies of its deployment and service up to 30 templates. */
function makeChart(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'chart-bench-')), 'mychart');
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      if (e.isDirectory()) copy(path.join(from, e.name), path.join(to, e.name));
      else writeFileSync(path.join(to, e.name), readFileSync(path.join(from, e.name)));
    }
  };
  copy(source, dir);
  const deployment = readFileSync(path.join(source, 'templates', 'deployment.yaml'), 'utf8');
  const service = readFileSync(path.join(source, 'templates', 'service.yaml'), 'utf8');
  let count = readdirSync(path.join(dir, "templates")).length - 1 /* tests/ is a folder */ + 1 /* its test */ + 2 /* cache */;
  for (let i = 0; count < 30; i++, count++) {
    const text = (i % 2 === 0 ? deployment : service).replaceAll('include "mychart.fullname" .', `printf "%s-${i}" (include "mychart.fullname" .)`);
    writeFileSync(path.join(dir, 'templates', `extra-${i}.yaml`), text);
  }
  return dir;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * ms per call of `fn`: the median of `rounds` rounds of `runs` calls, in CPU time of this process
 * (user + system). The machine is shared, so wall-clock time mostly measures the neighbours.
 */
async function measure(rounds: number, runs: number, fn: () => unknown): Promise<number> {
  const results: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < runs; i++) await fn();
    const used = process.cpuUsage(start);
    results.push((used.user + used.system) / 1000 / runs);
  }
  return median(results);
}

async function main(): Promise<void> {
  const dir = makeChart();
  const chart = await loadChart(dir);
  const templateCount = chart.templates.length + chart.dependencies.reduce((n, d) => n + d.templates.length, 0);
  const docs = (await renderChart(chart)).manifests.length;

  // Baseline: parsing every template into a fresh TemplateSet, which any render without caches must do.
  const texts = [...chart.templates, ...chart.dependencies.flatMap((d) => d.templates)].map((f) => [f.name, new TextDecoder().decode(f.data)] as const);
  const funcs: FuncMap = { ...sprigFunctions() };
  for (const extra of ['include', 'tpl', 'required', 'toYaml', 'fromYaml', 'toJson', 'fromJson', 'lookup', 'toToml', 'fromYamlArray', 'fromJsonArray', 'mustToYaml', 'mustToJson']) funcs[extra] ??= () => '';
  const parseOnly = () => {
    const set = new TemplateSet({ funcs, missingKey: 'zero' });
    texts.forEach(([name, text], i) => set.parse(`${i}/${name}`, text));
  };
  for (let i = 0; i < 20; i++) parseOnly();
  const parseMs = await measure(5, 50, parseOnly);

  for (let i = 0; i < 20; i++) await renderChart(chart);
  const warmMs = await measure(5, 100, () => renderChart(chart));
  const uncachedMs = await measure(3, 20, () => {
    clearTemplateCache();
    clearManifestCache();
    return renderChart(chart);
  });
  const coldStart = performance.now();
  await renderChart(dir);
  const fromDiskMs = performance.now() - coldStart;

  console.log(`chart: ${templateCount} templates, ${docs} manifests per render`);
  console.log(`warm render (CPU ms, median of 5 rounds of 100): ${warmMs.toFixed(2)} ms per render (target < 5 ms)`);
  console.log(`render with caches cleared each time (CPU ms): ${uncachedMs.toFixed(2)} ms per render`);
  console.log(`baseline, parsing the templates only (CPU ms): ${parseMs.toFixed(2)} ms`);
  console.log(`ratio warm / parse-only:     ${(warmMs / parseMs).toFixed(2)}x`);
  console.log(`ratio uncached / parse-only: ${(uncachedMs / parseMs).toFixed(2)}x`);
  console.log(`render from disk (load + render, caches warm): ${fromDiskMs.toFixed(2)} ms`);
}

await main();
