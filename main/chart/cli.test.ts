// The render command: output like `helm template`, errors on stderr with exit code 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './cli';

const here = path.dirname(fileURLToPath(import.meta.url));
const testdata = path.join(here, 'testdata');

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('npm run render', () => {
  it('prints the manifests like helm template, with --values/--set/--release-name/--namespace', async () => {
    const r = await run([
      path.join(testdata, 'mychart'),
      '--values', path.join(testdata, 'mychart-prod.values.yaml'),
      '--set', 'cache.enabled=false',
      '--set=serviceAccount.create=false',
      '--release-name', 'web',
      '--namespace', 'prod',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(path.join(testdata, 'mychart-prod.expected.yaml'), 'utf8'));
  });

  it('rejects unknown flags and a missing chart directory', async () => {
    expect((await run(['--bogus'])).code).toBe(1);
    expect((await run([])).err).toMatch(/a chart directory is required/);
  });

  it('as a process: writes errors to stderr and exits 1', () => {
    const tsx = path.join(here, '..', '..', 'node_modules', '.bin', 'tsx');
    const ok = execFileSync(tsx, [path.join(here, 'cli.ts'), path.join(testdata, 'mychart')], { encoding: 'utf8' });
    expect(ok).toBe(readFileSync(path.join(testdata, 'mychart.expected.yaml'), 'utf8'));
    const bad = spawnSync(tsx, [path.join(here, 'cli.ts'), path.join(testdata, 'mychart'), '--set', 'cache=oops'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^Error: type mismatch on cache/);
  });
});
