// `npm test`: unit and integration tests (vitest), then the e2e suite (Playwright in Chromium
// against the browser host and the test cluster). Installs the Debian packages the tests need
// when it can (root + apt), otherwise says exactly what to install.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

if (!ensureSystemDeps()) process.exit(1);

const reports = path.join(root, 'e2e', 'artifacts');
mkdirSync(reports, { recursive: true });
const vitestJson = path.join(reports, 'vitest-report.json');
const playwrightJson = path.join(reports, 'playwright-report.json');

const run = (label, cmd, args, env = {}) => {
  console.log(`\n=== ${label} ===`);
  const colour = process.env.CI ? { NO_COLOR: '1', FORCE_COLOR: '0' } : {};
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...colour, ...env } });
  return r.status === 0;
};

const results = [
  ['typecheck', run('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])],
  [
    'unit + integration',
    run('unit and integration tests (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]),
  ],
  ['e2e', run('end-to-end tests (Playwright)', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson })],
];

// One plain closing line over both runners: passed, failed, skipped.
const counts = { passed: 0, failed: 0, skipped: 0 };
try {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  counts.passed += v.numPassedTests ?? 0;
  counts.failed += v.numFailedTests ?? 0;
  counts.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} catch {
  counts.failed += 1; // no report: vitest did not finish
}
try {
  const p = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats;
  counts.passed += (p.expected ?? 0) + (p.flaky ?? 0);
  counts.failed += p.unexpected ?? 0;
  counts.skipped += p.skipped ?? 0;
} catch {
  counts.failed += 1; // no report: Playwright did not finish
}

console.log('\n=== summary ===');
for (const [label, ok] of results) console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
const allOk = results.every(([, ok]) => ok);
if (!allOk && counts.failed === 0) counts.failed = 1; // e.g. the typecheck failed
console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(allOk ? 0 : 1);
