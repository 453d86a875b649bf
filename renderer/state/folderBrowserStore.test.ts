// The folder browser against a fake host with a small folder tree.
import { describe, expect, it } from 'vitest';
import type { DirEntry } from '../../preload/api';
import { createApi } from '../api/client';
import { createFakeBridge, FakeFailure } from '../dev/fakeBridge';
import { createFolderBrowserStore } from './folderBrowserStore';

const TREE: Record<string, string[]> = {
  '/': ['home/'],
  '/home': ['dev/'],
  '/home/dev': ['.config/', 'notes.txt', 'projects/', 'a-file', 'Zed/'],
  '/home/dev/.config': [],
  '/home/dev/projects': ['my-app/'],
  '/home/dev/projects/my-app': ['Dockerfile'],
  '/home/dev/Zed': [],
};

function setup() {
  const bridge = createFakeBridge({
    'fs.list': (path, options) => {
      const names = TREE[path];
      if (!names) throw new FakeFailure({ code: 'NOT_FOUND', message: `The folder ${path} does not exist.`, hint: 'Check the path.' });
      const entries: DirEntry[] = names
        .map((n) => ({ name: n.replace(/\/$/, ''), kind: n.endsWith('/') ? ('dir' as const) : ('file' as const), hidden: n.startsWith('.') }))
        .map((e) => ({ ...e, path: `${path === '/' ? '' : path}/${e.name}` }))
        .filter((e) => options?.showHidden || !e.hidden);
      return { path, parent: path === '/' ? null : path.slice(0, path.lastIndexOf('/')) || '/', entries, looksLikeProject: names.includes('Dockerfile') };
    },
  });
  return { bridge, store: createFolderBrowserStore(createApi(bridge), '/home/dev') };
}

describe('the folder browser', () => {
  it('lists a folder with folders first and highlights the first folder', async () => {
    const { store } = setup();
    await store.getState().navigate('/home/dev');
    const s = store.getState();
    expect(s.entries.map((e) => e.name)).toEqual(['projects', 'Zed', 'a-file', 'notes.txt']);
    expect(s.active).toBe(0);
    expect(s.pathText).toBe('/home/dev');
  });

  it('goes into a folder, says whether it looks like a project, and back up one level', async () => {
    const { store } = setup();
    await store.getState().navigate('/home/dev/projects/my-app');
    expect(store.getState().listing?.looksLikeProject).toBe(true);
    await store.getState().upOneLevel();
    expect(store.getState().listing?.path).toBe('/home/dev/projects');
    expect(store.getState().listing?.looksLikeProject).toBe(false);
  });

  it('a mistyped path shows the error and keeps both the text and the folder shown', async () => {
    const { store } = setup();
    await store.getState().navigate('/home/dev');
    store.getState().setPathText('~/projcts');
    expect(await store.getState().navigateToTyped()).toBe(false);
    const s = store.getState();
    expect(s.error).toEqual({ code: 'NOT_FOUND', message: 'The folder /home/dev/projcts does not exist.', hint: 'Check the path.' });
    expect(s.pathText).toBe('~/projcts');
    expect(s.listing?.path).toBe('/home/dev');
    // Correcting it clears the error.
    store.getState().setPathText('~/projects');
    expect(await store.getState().navigateToTyped()).toBe(true);
    expect(store.getState().error).toBeNull();
    expect(store.getState().pathText).toBe('/home/dev/projects');
  });

  it('shows hidden folders only when asked, and asks the host for them', async () => {
    const { store, bridge } = setup();
    await store.getState().navigate('/home/dev');
    expect(store.getState().entries.some((e) => e.name === '.config')).toBe(false);
    await store.getState().setShowHidden(true);
    expect(store.getState().entries[0]?.name).toBe('.config');
    expect(bridge.calls.at(-1)).toEqual(['fs.list', ['/home/dev', { showHidden: true }]]);
  });

  it('the keyboard highlight moves over folders only and Enter goes in', async () => {
    const { store } = setup();
    await store.getState().navigate('/home/dev');
    store.getState().moveActive(1);
    expect(store.getState().entries[store.getState().active]?.name).toBe('Zed');
    store.getState().moveActive(1); // the rest are files: stays put
    expect(store.getState().entries[store.getState().active]?.name).toBe('Zed');
    store.getState().moveActive(-1);
    await store.getState().enterActive();
    expect(store.getState().listing?.path).toBe('/home/dev/projects');
  });

  it('has no level above the root', async () => {
    const { store } = setup();
    await store.getState().navigate('/');
    expect(await store.getState().upOneLevel()).toBe(false);
    expect(store.getState().listing?.path).toBe('/');
  });
});
