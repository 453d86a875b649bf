// Change detection: the hash moves exactly when what would be built moves, and the stat cache
// spares reading unchanged files (including across a save/load through generated.yaml).
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeBuildHash, imageTagForHash, type BuildHashInput } from './buildHash';
import { StatCache, RACY_WINDOW_MS } from './statCache';
import { GENERATED_FILE, contextKey, loadStatCache, saveStatCache } from './statCacheFile';

let dir = '';
const past = new Date(Date.now() - 60_000); // files older than the racy window
let clock = Date.now();
const now = () => clock;

function write(rel: string, content: string | Buffer, mtime = past) {
  const abs = path.join(dir, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  utimesSync(abs, mtime, mtime);
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ds-hash-'));
  clock = Date.now();
  write('Dockerfile', 'FROM node:22-alpine\nCOPY . /app\n');
  write('.dockerignore', 'node_modules\n*.log\n');
  write('src/index.js', 'console.log("hi")\n');
  write('src/lib/util.js', 'export const x = 1;\n');
  write('package.json', '{"name":"x"}\n');
  write('debug.log', 'noise\n');
  write('node_modules/dep/index.js', 'module.exports = 1;\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hashOf = (extra: Partial<BuildHashInput> = {}) => computeBuildHash({ contextDir: dir, now, ...extra });

describe('computeBuildHash', () => {
  it('is stable: the same content gives the same hash and tag', async () => {
    const a = await hashOf();
    const b = await hashOf();
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(b.tag).toBe(a.tag);
    expect(a.tag).toBe(`devspace-${a.hash.slice(0, 12)}`);
    expect(a.filesTotal).toBe(5); // Dockerfile, .dockerignore, package.json, src/index.js, src/lib/util.js
  });

  it('does not depend on where the project lives', async () => {
    const a = await hashOf();
    const copy = mkdtempSync(path.join(os.tmpdir(), 'ds-hash-copy-'));
    try {
      for (const rel of ['Dockerfile', '.dockerignore', 'src/index.js', 'src/lib/util.js', 'package.json']) {
        mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
        writeFileSync(path.join(copy, rel), readFileSync(path.join(dir, rel)));
      }
      expect((await computeBuildHash({ contextDir: copy })).hash).toBe(a.hash);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('touching a file without changing it keeps the hash and, with the cache, reads nothing', async () => {
    const first = await hashOf();
    expect(first.filesRead).toBe(5);
    clock += 10 * RACY_WINDOW_MS;
    const warm = await hashOf({ cache: first.cache });
    expect(warm.filesRead).toBe(0);
    expect(warm.hash).toBe(first.hash);

    const touched = new Date(clock - 5 * RACY_WINDOW_MS);
    utimesSync(path.join(dir, 'src/index.js'), touched, touched);
    clock += 10 * RACY_WINDOW_MS;
    const afterTouch = await hashOf({ cache: warm.cache });
    expect(afterTouch.hash).toBe(first.hash);
    expect(afterTouch.filesRead).toBe(1); // its stat changed, so it was read once ...
    clock += 10 * RACY_WINDOW_MS;
    expect((await hashOf({ cache: afterTouch.cache })).filesRead).toBe(0); // ... and then trusted again
  });

  it('changes when one byte of a sent file changes, even with the same size and mtime', async () => {
    const first = await hashOf();
    write('src/index.js', 'console.log("ho")\n'); // same length, same (old) mtime, new inode or content
    const second = await hashOf();
    expect(second.hash).not.toBe(first.hash);
    expect(second.tag).not.toBe(first.tag);
  });

  it('re-reads a file whose mtime is too close to the last run to be trusted (racy)', async () => {
    clock = past.getTime() + 500; // the last run happened right after the files were written
    const first = await hashOf();
    const abs = path.join(dir, 'src/index.js');
    writeFileSync(abs, 'console.log("ho")\n'); // same size ...
    utimesSync(abs, past, past); // ... and the same mtime (a coarse filesystem would show this)
    clock += 10 * RACY_WINDOW_MS;
    const second = await hashOf({ cache: first.cache });
    expect(second.hash).not.toBe(first.hash);
  });

  it('ignores changes to ignored files', async () => {
    const first = await hashOf();
    write('debug.log', 'more noise\n');
    write('node_modules/dep/index.js', 'module.exports = 2;\n');
    write('node_modules/new/index.js', 'new');
    expect((await hashOf()).hash).toBe(first.hash);
  });

  it('changes with build args, target, the Dockerfile, modes, links, and added or removed files', async () => {
    const base = (await hashOf()).hash;
    const seen = new Set([base]);
    const expectNew = async (extra: Partial<BuildHashInput> = {}) => {
      const h = (await hashOf(extra)).hash;
      expect(seen.has(h)).toBe(false);
      seen.add(h);
    };
    await expectNew({ buildArgs: { NODE_ENV: 'production' } });
    await expectNew({ buildArgs: { NODE_ENV: 'development' } });
    await expectNew({ target: 'dev' });
    // build args are a set: their order does not matter
    expect((await hashOf({ buildArgs: { A: '1', B: '2' } })).hash).toBe((await hashOf({ buildArgs: { B: '2', A: '1' } })).hash);
    write('Dockerfile', 'FROM node:22-alpine\nCOPY . /srv\n');
    await expectNew();
    chmodSync(path.join(dir, 'src/index.js'), 0o755);
    await expectNew();
    symlinkSync('index.js', path.join(dir, 'src/main.js'));
    await expectNew();
    unlinkSync(path.join(dir, 'src/main.js'));
    symlinkSync('lib/util.js', path.join(dir, 'src/main.js'));
    await expectNew();
    mkdirSync(path.join(dir, 'empty'));
    await expectNew(); // an empty folder is sent too
    write('src/new.js', '');
    await expectNew();
    unlinkSync(path.join(dir, 'src/new.js'));
    expect((await hashOf()).hash).toBe([...seen].at(-2));
  });

  it('explains a missing Dockerfile', async () => {
    unlinkSync(path.join(dir, 'Dockerfile'));
    await expect(hashOf()).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no Dockerfile') });
  });
});

describe('imageTagForHash', () => {
  it('takes the first 12 hex characters after the prefix', () => {
    const hash = 'ab'.repeat(32);
    expect(imageTagForHash(hash)).toBe('devspace-abababababab');
    expect(imageTagForHash(hash, 'v1-')).toBe('v1-abababababab');
  });
  it('refuses a prefix Docker would not accept as a tag', () => {
    expect(() => imageTagForHash('ab'.repeat(32), '-bad')).toThrow(/cannot start an image tag/);
    expect(() => imageTagForHash('ab'.repeat(32), 'has space')).toThrow();
  });
});

describe('stat cache in .devspace/generated.yaml', () => {
  it('survives a save and load, and keeps the other keys and comments of the file', async () => {
    const generated = path.join(dir, GENERATED_FILE);
    mkdirSync(path.dirname(generated), { recursive: true });
    writeFileSync(generated, '# state DevSpace keeps for itself\ndeploy:\n  lastRelease: 3 # keep me\nbuild:\n  lastImage: app:devspace-123\n');
    const first = await hashOf();
    const key = contextKey(dir, dir);
    await saveStatCache(dir, key, first.cache);
    const text = readFileSync(generated, 'utf8');
    expect(text).toContain('# state DevSpace keeps for itself');
    expect(text).toContain('lastRelease: 3 # keep me');
    expect(text).toContain('lastImage: app:devspace-123');
    expect(text).toMatch(/cache:\n\s+\.:\n\s+version: 1/);

    // generated.yaml is inside the context, yet saving the cache must not change the hash
    expect((await hashOf({ cache: first.cache })).hash).toBe(first.hash);
    const loaded = await loadStatCache(dir, key);
    expect(loaded.entries.size).toBe(5);
    clock += 10 * RACY_WINDOW_MS;
    const warm = await hashOf({ cache: loaded });
    expect(warm.filesRead).toBe(0);
    expect(warm.hash).toBe(first.hash);
  });

  it('leaves the whole .devspace/ folder out: editing config.yaml (ports, settings) does not change the image', async () => {
    const config = path.join(dir, '.devspace', 'config.yaml');
    mkdirSync(path.dirname(config), { recursive: true });
    writeFileSync(config, 'version: v1alpha1\n');
    const before = await hashOf();
    expect(before.entries.map((e) => e.path).filter((p) => p.startsWith('.devspace'))).toEqual([]);
    writeFileSync(config, 'version: v1alpha1\ndevSpace:\n  ports: []\n');
    expect((await hashOf()).hash).toBe(before.hash);
  });

  it('writes a new generated.yaml in block style, the cache as a literal block', async () => {
    const first = await hashOf();
    await saveStatCache(dir, '.', first.cache);
    const text = readFileSync(path.join(dir, GENERATED_FILE), 'utf8');
    expect(text).toMatch(/^build:\n\s+cache:\n\s+\.:\n/);
    expect(text).toMatch(/files: \|-?\n\s+[0-9a-f]{64} \d+ /);
    expect((await loadStatCache(dir, '.')).entries.size).toBe(5);
  });

  it('a warm run with nothing changed hands back the loaded cache, and saving it does not rewrite the file', async () => {
    const generated = path.join(dir, GENERATED_FILE);
    await saveStatCache(dir, '.', (await hashOf()).cache);
    clock += 10 * RACY_WINDOW_MS;
    const loaded = await loadStatCache(dir, '.');
    const warm = await hashOf({ cache: loaded });
    expect(warm.filesRead).toBe(0);
    expect(warm.cache).toBe(loaded);
    const ino = lstatSync(generated).ino;
    await saveStatCache(dir, '.', warm.cache);
    expect(lstatSync(generated).ino).toBe(ino); // saves replace the file (rename), so the same inode means no write

    // Someone else rewrote the file since it was loaded: the save goes through.
    writeFileSync(generated, `${readFileSync(generated, 'utf8')}other: 1\n`);
    const before = lstatSync(generated).ino;
    await saveStatCache(dir, '.', warm.cache);
    expect(lstatSync(generated).ino).not.toBe(before);
    expect((await loadStatCache(dir, '.')).entries.size).toBe(5);

    // One file changed: a new cache (new writtenAt), and it is saved.
    write('src/index.js', 'console.log("changed")\n');
    const changed = await hashOf({ cache: await loadStatCache(dir, '.') });
    expect(changed.filesRead).toBe(1);
    expect(changed.cache.writtenAt).toBe(clock);
    const ino2 = lstatSync(generated).ino;
    await saveStatCache(dir, '.', changed.cache);
    expect(lstatSync(generated).ino).not.toBe(ino2);
    expect((await loadStatCache(dir, '.')).lookup('src/index.js', lstatSync(path.join(dir, 'src/index.js')))).toBe(changed.cache.entries.get('src/index.js')?.hash);
  });

  it('a file gone since the last run gives a new cache without it', async () => {
    const first = await hashOf();
    clock += 10 * RACY_WINDOW_MS;
    unlinkSync(path.join(dir, 'package.json'));
    const next = await hashOf({ cache: first.cache });
    expect(next.filesRead).toBe(0);
    expect(next.cache).not.toBe(first.cache);
    expect([...next.cache.entries.keys()].sort()).toEqual(['.dockerignore', 'Dockerfile', 'src/index.js', 'src/lib/util.js']);
  });

  it('treats a missing or damaged file as an empty cache', async () => {
    expect((await loadStatCache(dir, '.')).entries.size).toBe(0);
    mkdirSync(path.join(dir, '.devspace'));
    writeFileSync(path.join(dir, GENERATED_FILE), 'build: [unclosed\n');
    expect((await loadStatCache(dir, '.')).entries.size).toBe(0);
    await expect(saveStatCache(dir, '.', new StatCache())).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('round-trips paths with spaces, quotes and newlines', () => {
    const c = new StatCache(new Map([['a b/"q"\nx', { size: 3, mtimeMs: 1733300000123.4567, ino: 42, hash: 'f'.repeat(64) }]]), 99);
    const back = StatCache.parse(c.serialize(), 99);
    expect([...back.entries]).toEqual([...c.entries]);
    const odd = ['plain/name.js', 'back\\slash', 'tab\there', 'ünïcödé/😀.txt', '"', ''];
    const many = new StatCache(new Map(odd.map((p, i) => [p, { size: i, mtimeMs: 1.5, ino: i, hash: 'a'.repeat(64) }])), 7);
    expect([...StatCache.parse(many.serialize(), 7).entries]).toEqual([...many.entries]);
    // damaged lines are dropped, not misread
    expect(StatCache.parse(`${'a'.repeat(64)} 1 2 3 "unterminated\n${'a'.repeat(64)} 1 2 3 "a"b"\n`, 7).entries.size).toBe(0);
  });
});
