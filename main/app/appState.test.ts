import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import { type AppState, MAX_RECENTS, createAppStateStore, touchRecent } from './appState';
import { createHandlers } from './handlers';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-state-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function app(now = () => new Date('2026-01-02T03:04:05Z')) {
  const events = new EventBus();
  const seen: string[] = [];
  events.subscribe((e) => seen.push(e));
  const handlers = createHandlers({
    mode: 'browser',
    version: '0.0.0-test',
    homeDir: tmp,
    dataDir: path.join(tmp, 'data'),
    env: { KUBECONFIG: path.join(tmp, 'no-such-kubeconfig') },
    now,
    log: () => {},
    events,
  });
  return { handlers, seen };
}

describe('recent projects', () => {
  it('persist across app restarts, newest first, without duplicates', async () => {
    const a = await fs.mkdtemp(path.join(tmp, 'a-'));
    const b = await fs.mkdtemp(path.join(tmp, 'b-'));
    let t = 0;
    const first = app(() => new Date(Date.UTC(2026, 0, 1, 0, 0, t++)));
    await first.handlers['projects.open'](a);
    await first.handlers['projects.open'](b);
    await first.handlers['projects.open'](a);
    expect(first.seen).toEqual(['project.changed', 'project.changed', 'project.changed']);

    const second = app();
    const recents = await second.handlers['projects.recent']();
    expect(recents.map((r) => r.path)).toEqual([a, b]);
    expect(recents.every((r) => r.available)).toBe(true);
    expect(recents[0]?.name).toBe(path.basename(a));
  });

  it('mark a folder that no longer exists, and can remove it', async () => {
    const gone = await fs.mkdtemp(path.join(tmp, 'gone-'));
    const { handlers } = app();
    await handlers['projects.open'](gone);
    await fs.rm(gone, { recursive: true });
    const [entry] = await handlers['projects.recent']();
    expect(entry).toMatchObject({ path: gone, available: false, problem: 'Folder no longer exists' });
    await expect(handlers['projects.open'](gone)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await handlers['projects.removeRecent'](gone)).toEqual([]);
  });

  it('keep at most MAX_RECENTS entries', () => {
    let state: AppState = { version: 1, recents: [], projects: {} };
    for (let i = 0; i < MAX_RECENTS + 5; i++) state = touchRecent(state, `/p/${i}`, new Date(0));
    expect(state.recents).toHaveLength(MAX_RECENTS);
    expect(state.recents[0]?.path).toBe(`/p/${MAX_RECENTS + 4}`);
  });

  it('set a corrupt state file aside instead of overwriting it', async () => {
    const dataDir = path.join(tmp, 'data');
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'state.json'), '{ "recents": [ oops');
    const logged: string[] = [];
    const store = createAppStateStore(dataDir, (l) => logged.push(l));
    expect((await store.read()).recents).toEqual([]);
    const files = await fs.readdir(dataDir);
    expect(files.some((f) => f.startsWith('state.json.corrupt-'))).toBe(true);
    expect(logged.join()).toContain('could not be read');
  });

  it('write the state file readable by the user only', async () => {
    const dir = await fs.mkdtemp(path.join(tmp, 'p-'));
    await app().handlers['projects.open'](dir);
    const stat = await fs.stat(path.join(tmp, 'data', 'state.json'));
    expect(stat.mode & 0o077).toBe(0);
  });

  it('remember the cluster choice per project', async () => {
    const p1 = await fs.mkdtemp(path.join(tmp, 'one-'));
    const p2 = await fs.mkdtemp(path.join(tmp, 'two-'));
    const { handlers } = app();
    await expect(handlers['cluster.select']({ context: 'x' })).rejects.toMatchObject({ code: 'NO_PROJECT' });
    await handlers['projects.open'](p1);
    await handlers['cluster.select']({ context: 'dev', namespace: 'team-a' });
    await handlers['projects.open'](p2);
    await handlers['cluster.select']({ context: 'prod' });
    const again = app().handlers;
    expect((await again['projects.open'](p1)).selection).toEqual({ context: 'dev', namespace: 'team-a' });
    expect((await again['projects.open'](p2)).selection).toEqual({ context: 'prod' });
  });
});
