// The kubeconfig watcher on real files: in-place writes, atomic replacement (how kubectl and most
// CLIs save), and files or folders that appear later. Each test waits for the callback itself.
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watchKubeconfig } from './watchKubeconfig';

let dir: string;
const stops: (() => void)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'watch-kubeconfig-'));
});
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts a watcher and returns a promise for its next callback. */
function nextChange(paths: string[]): { changed: Promise<number> } {
  let calls = 0;
  let resolve!: (n: number) => void;
  const changed = new Promise<number>((r) => (resolve = r));
  stops.push(
    watchKubeconfig(
      paths,
      () => {
        calls++;
        resolve(calls);
      },
      { debounceMs: 20 },
    ),
  );
  return { changed };
}

describe('watchKubeconfig', () => {
  it('calls back when a watched file is written', async () => {
    const file = path.join(dir, 'written');
    await writeFile(file, 'a: 1\n');
    const { changed } = nextChange([file]);
    await writeFile(file, 'a: 2\n');
    expect(await changed).toBe(1);
  });

  it('calls back when a watched file is replaced by a rename, and keeps watching the new file', async () => {
    const file = path.join(dir, 'replaced');
    await writeFile(file, 'a: 1\n');
    let resolveSecond!: () => void;
    const second = new Promise<void>((r) => (resolveSecond = r));
    let calls = 0;
    let resolveFirst!: () => void;
    const first = new Promise<void>((r) => (resolveFirst = r));
    stops.push(
      watchKubeconfig(
        [file],
        () => {
          calls++;
          if (calls === 1) resolveFirst();
          else resolveSecond();
        },
        { debounceMs: 20 },
      ),
    );
    await writeFile(`${file}.tmp`, 'a: 2\n');
    await rename(`${file}.tmp`, file);
    await first;
    await writeFile(file, 'a: 3\n');
    await second;
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('calls back when a missing file is created, even in a folder that does not exist yet', async () => {
    const file = path.join(dir, 'later', 'kube', 'config');
    const { changed } = nextChange([file]);
    await mkdir(path.join(dir, 'later', 'kube'), { recursive: true });
    await writeFile(file, 'a: 1\n');
    expect(await changed).toBeGreaterThanOrEqual(1);
  });

  it('ignores other files in the same folder', async () => {
    const watched = path.join(dir, 'quiet', 'config');
    const other = path.join(dir, 'quiet', 'other');
    await mkdir(path.dirname(watched), { recursive: true });
    await writeFile(watched, 'a: 1\n');
    let otherCalls = 0;
    stops.push(watchKubeconfig([watched], () => otherCalls++, { debounceMs: 1 }));
    // A second watcher on the other file tells us when the event for `other` has been delivered.
    const { changed } = nextChange([other]);
    await writeFile(other, 'x\n');
    await changed;
    expect(otherCalls).toBe(0);
  });
});
