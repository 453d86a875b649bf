import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFolder } from './folderListing';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-list-'));
  await fs.mkdir(path.join(tmp, 'zeta'));
  await fs.writeFile(path.join(tmp, 'zeta', 'go.mod'), 'module example.com/zeta\n');
  await fs.mkdir(path.join(tmp, 'Alpha'));
  await fs.mkdir(path.join(tmp, '.hidden'));
  await fs.writeFile(path.join(tmp, 'Dockerfile'), 'FROM busybox\n');
  await fs.writeFile(path.join(tmp, 'b.txt'), '');
  await fs.symlink(path.join(tmp, 'zeta'), path.join(tmp, 'link-to-zeta'));
  await fs.symlink(path.join(tmp, 'missing'), path.join(tmp, 'dangling'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('folder listing for the browser-mode folder picker', () => {
  it('lists folders first, sorted case-insensitively, hiding dot files by default', async () => {
    const listing = await listFolder(tmp);
    expect(listing.entries.map((e) => `${e.kind}:${e.name}`)).toEqual([
      'dir:Alpha',
      'dir:link-to-zeta',
      'dir:zeta',
      'file:b.txt',
      'other:dangling',
      'file:Dockerfile',
    ]);
    expect(listing.looksLikeProject).toBe(true);
    const byName = Object.fromEntries(listing.entries.map((e) => [e.name, e.looksLikeProject]));
    expect(byName).toMatchObject({ zeta: true, 'link-to-zeta': true, Alpha: false });
    expect(listing.parent).toBe(path.dirname(tmp));
  });

  it('shows hidden entries when asked', async () => {
    const listing = await listFolder(tmp, { showHidden: true });
    expect(listing.entries.find((e) => e.name === '.hidden')).toMatchObject({ kind: 'dir', hidden: true });
  });

  it('normalises the path and reports the root as having no parent', async () => {
    const listing = await listFolder(`${tmp}/zeta/../Alpha/.`);
    expect(listing.path).toBe(path.join(tmp, 'Alpha'));
    expect(listing.looksLikeProject).toBe(false);
    expect((await listFolder('/')).parent).toBeNull();
  });

  it('refuses relative paths, files and missing folders with clear codes', async () => {
    await expect(listFolder('relative/dir')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(listFolder(path.join(tmp, 'b.txt'))).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
    await expect(listFolder(path.join(tmp, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('does not exist') });
  });

  const isRoot = process.getuid?.() === 0;
  if (isRoot) console.log('skipped "says when a folder cannot be read": running as root, so permission bits do not stop reads');
  it.skipIf(isRoot)('says when a folder cannot be read', async () => {
    const locked = path.join(tmp, 'locked');
    await fs.mkdir(locked, { mode: 0o000 });
    await expect(listFolder(locked)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
