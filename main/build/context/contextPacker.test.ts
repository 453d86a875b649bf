// Round trip: pack a context, unpack it with the system `tar`, and compare the trees (contents,
// modes, symlinks, empty folders, owners), so the archive is one real tools read as we meant it.
import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listBuildContext } from './buildContext';
import { packBuildContext, packBuildContextToFile } from './contextPacker';

const base = mkdtempSync(path.join(os.tmpdir(), 'ds-pack-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(path.join(root, r));
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(path.join(root, r))}`;
      else if (st.isDirectory()) {
        out[`${r}/`] = `dir ${mode}`;
        walk(r);
      } else out[r] = `file ${mode} ${createHash('sha256').update(readFileSync(path.join(root, r))).digest('hex').slice(0, 16)}`;
    }
  };
  walk('');
  return out;
}

describe('packBuildContext', () => {
  const src = path.join(base, 'src');
  beforeAll(() => {
    mkdirSync(path.join(src, 'app/lib/deep'), { recursive: true });
    mkdirSync(path.join(src, 'empty/nested-empty'), { recursive: true });
    mkdirSync(path.join(src, 'node_modules/x'), { recursive: true });
    writeFileSync(path.join(src, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
    writeFileSync(path.join(src, '.dockerignore'), 'node_modules\n*.log\n');
    writeFileSync(path.join(src, 'node_modules/x/index.js'), 'ignored');
    writeFileSync(path.join(src, 'debug.log'), 'ignored');
    writeFileSync(path.join(src, 'app/main.js'), 'console.log(1)\n');
    writeFileSync(path.join(src, 'app/run.sh'), '#!/bin/sh\necho hi\n');
    chmodSync(path.join(src, 'app/run.sh'), 0o755);
    writeFileSync(path.join(src, 'app/private.key'), 'secret');
    chmodSync(path.join(src, 'app/private.key'), 0o600);
    writeFileSync(path.join(src, 'app/lib/deep/big.bin'), randomBytes(3 * 1024 * 1024 + 17)); // streamed, not read whole
    writeFileSync(path.join(src, 'app/lib/empty.txt'), '');
    const longDir = path.join(src, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(longDir, { recursive: true });
    writeFileSync(path.join(longDir, `${'c'.repeat(90)}.txt`), 'long path'); // needs a pax/ustar prefix
    writeFileSync(path.join(src, 'ünïcødé.txt'), 'utf8 name');
    symlinkSync('main.js', path.join(src, 'app/link-to-main'));
    symlinkSync('../../outside', path.join(src, 'app/escaping-link'));
    symlinkSync('lib', path.join(src, 'app/dir-link'));
  });

  it('unpacks with the system tar to the same tree, minus ignored files', async () => {
    const archive = path.join(base, 'ctx.tar.gz');
    const entries = await listBuildContext({ contextDir: src });
    await packBuildContextToFile({ contextDir: src, entries }, archive);
    const out = path.join(base, 'out');
    mkdirSync(out);
    execFileSync('tar', ['xzf', archive, '-C', out, '--same-permissions']);
    const expected = snapshot(src);
    delete expected['node_modules/'];
    delete expected['node_modules/x/'];
    delete expected['node_modules/x/index.js'];
    delete expected['debug.log'];
    expect(snapshot(out)).toEqual(expected);
    expect(expected['empty/nested-empty/']).toBe('dir 755');
    expect(expected['app/run.sh']).toMatch(/^file 755 /);
    expect(expected['app/private.key']).toMatch(/^file 600 /);
    expect(expected['app/escaping-link']).toBe('link -> ../../outside');
  });

  it('writes uid/gid 0, folders before contents, and kept modification times', async () => {
    const when = new Date('2021-03-04T05:06:07Z');
    utimesSync(path.join(src, 'app/main.js'), when, when);
    const archive = path.join(base, 'listing.tar.gz');
    await packBuildContextToFile({ contextDir: src, entries: await listBuildContext({ contextDir: src }) }, archive);
    const listing = execFileSync('tar', ['tzvf', archive, '--numeric-owner', '--full-time'], { encoding: 'utf8' }).trim().split('\n');
    for (const line of listing) expect(line.split(/\s+/)[1]).toBe('0/0');
    const names = execFileSync('tar', ['tzf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(names.indexOf('app/')).toBeLessThan(names.indexOf('app/main.js'));
    expect(names).toContain('empty/nested-empty/');
    expect(listing.find((l) => l.endsWith(' app/main.js'))).toContain('2021-03-04 05:06:07');
  });

  it('pins every mtime when asked, giving byte-identical archives', async () => {
    const entries = await listBuildContext({ contextDir: src });
    const hashOf = async () => {
      const h = createHash('sha256');
      for await (const chunk of packBuildContext({ contextDir: src, entries, mtime: new Date(0) })) h.update(chunk as Buffer);
      return h.digest('hex');
    };
    const first = await hashOf();
    utimesSync(path.join(src, 'app/main.js'), new Date(), new Date());
    expect(await hashOf()).toBe(first);
  });

  it('adds extra files such as a Dockerfile kept outside the context', async () => {
    const archive = path.join(base, 'extra.tar.gz');
    await packBuildContextToFile({ contextDir: src, entries: [], extraFiles: [{ path: '.dockerfile.devspace', content: Buffer.from('FROM scratch\n') }] }, archive);
    expect(execFileSync('tar', ['xzOf', archive, '.dockerfile.devspace'], { encoding: 'utf8' })).toBe('FROM scratch\n');
  });

  it('fails the stream with the file named when a listed file has vanished', async () => {
    const gone = path.join(base, 'gone');
    mkdirSync(gone);
    writeFileSync(path.join(gone, 'a.txt'), 'x');
    const entries = await listBuildContext({ contextDir: gone });
    rmSync(path.join(gone, 'a.txt'));
    const consume = async () => {
      for await (const _ of packBuildContext({ contextDir: gone, entries })) void _;
    };
    await expect(consume()).rejects.toThrow(/a\.txt/);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const consume = async () => {
      for await (const _ of packBuildContext({ contextDir: src, entries: await listBuildContext({ contextDir: src }), signal: ac.signal })) void _;
    };
    await expect(consume()).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
