// Records what Go's text/template with the real Sprig (3.2.3, Debian's package) renders for each
// case in cases.ts into testdata/sprig-golden.json, which golden.test.ts replays against this
// port. Needs Go and golang-github-masterminds-sprig-dev:
//   apt-get install golang-go golang-github-masterminds-sprig-dev
//   npx tsx main/chart/sprig/oracle/generate.ts

import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ORACLE_CASES } from './cases';

const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sprig-oracle-'));
const binary = join(work, 'sprig-oracle');
const env = { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(work, 'cache'), TZ: 'UTC' };
execFileSync('go', ['build', '-o', binary, join(here, 'sprig-oracle.go')], { env, stdio: 'inherit' });
const out = execFileSync(binary, { input: JSON.stringify(ORACLE_CASES), env, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
const results = JSON.parse(out) as ({ output: string } | { error: string })[];
const golden = ORACLE_CASES.map((c, i) => ({ ...c, ...results[i] }));
const goVersion = execFileSync('go', ['version'], { env }).toString().trim();
writeFileSync(
  join(here, '..', 'testdata', 'sprig-golden.json'),
  JSON.stringify({ recordedWith: `${goVersion}; github.com/Masterminds/sprig 3.2.3 (Debian golang-github-masterminds-sprig-dev)`, cases: golden }, null, 1) + '\n',
);
console.log(`recorded ${golden.length} cases`);
