// `npm run bench`: runs every benchmark in turn. Each prints its figures as ratios against a
// baseline it measures in the same run (Go's own template engine, `tar czf`, a bare WebSocket
// client …), so numbers from different machines stay comparable. Nothing here asserts on time.
//   npm run bench                 all of them
//   npm run bench -- chart ports  only those whose name contains one of the words
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const BENCHES: Array<{ name: string; file: string; what: string }> = [
  { name: 'template', file: 'main/chart/template/bench.ts', what: 'Go text/template: parse + execute a 30-template set (vs Go compiled to wasm)' },
  { name: 'chart', file: 'main/chart/bench.ts', what: 'render a 30-template chart (warm vs parse-only baseline)' },
  { name: 'sprig', file: 'main/chart/sprig/bench.ts', what: 'Sprig functions per call (vs plain JS doing the same work)' },
  { name: 'build', file: 'main/build/bench.ts', what: 'context hashing (cold/warm) and packing of 10,000 files (vs tar czf)' },
  { name: 'ports', file: 'bench/ports.ts', what: 'port-forward throughput and 100 concurrent connections (vs a bare WebSocket client)' },
  { name: 'terminal', file: 'bench/terminal.ts', what: 'keystroke echo latency and 50 MB of terminal output' },
  { name: 'logs', file: 'bench/logs.ts', what: '100,000 log lines into the log stream' },
  { name: 'ui-streams', file: 'bench/uiStreams.ts', what: 'longest UI frame while 50 MB of terminal output / 100,000 log lines stream in Chromium' },
  { name: 'up-pipeline', file: 'bench/up.ts', what: 'cold and warm Up with 20 ms API latency: time to ready and API calls per step (vs the same warm Up at 0 ms)' },
  { name: 'kaniko-upload', file: 'bench/kanikoUpload.ts', what: 'build context packing + upload into a pod (vs tar czf)' },
];

const wanted = process.argv.slice(2);
const selected = BENCHES.filter((b) => wanted.length === 0 || wanted.some((w) => b.name.includes(w)));
const results: Array<[string, string]> = [];
for (const b of selected) {
  const file = path.join(root, b.file);
  console.log(`\n=== ${b.name}: ${b.what} ===`);
  if (!existsSync(file)) {
    console.log(`(not present: ${b.file})`);
    results.push([b.name, 'missing']);
    continue;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  results.push([b.name, r.status === 0 ? 'ok' : `failed (exit ${r.status})`]);
}
console.log('\n=== benchmarks ===');
for (const [name, outcome] of results) console.log(`${outcome.padEnd(16)} ${name}`);
process.exit(results.some(([, o]) => o.startsWith('failed')) ? 1 : 0);
