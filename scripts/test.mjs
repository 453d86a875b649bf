// `npm test`: unit and integration tests (vitest), then the e2e suite (Playwright in Chromium
// against the browser host and the test cluster). Installs the Debian packages the tests need
// when it can (root + apt), otherwise says exactly what to install.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureSystemDeps } from './system-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

if (!ensureSystemDeps()) process.exit(1);

const run = (label, cmd, args) => {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR } });
  return r.status === 0;
};

const results = [
  ['typecheck', run('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])],
  ['unit + integration', run('unit and integration tests (vitest)', bin('vitest'), ['run'])],
  ['e2e', run('end-to-end tests (Playwright)', bin('playwright'), ['test'])],
];

console.log('\n=== summary ===');
for (const [label, ok] of results) console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
