// settings.get / settings.update through the handlers: the open project's config, defaults when
// there is none, and a save that the next get reads back.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectInfo, ProjectSettings } from '../../preload/api';
import { EventBus } from '../ipc/events';
import { createSettingsHandlers } from './settingsHandlers';

describe('settings handlers', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const handlersFor = async (config?: string) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'settings-handlers-'));
    dirs.push(dir);
    if (config) {
      await mkdir(path.join(dir, '.devspace'));
      await writeFile(path.join(dir, '.devspace/config.yaml'), config);
    }
    const project: ProjectInfo = { path: dir, name: 'shop', hasDevspaceConfig: !!config, hasDockerfile: false, hasChart: false, selection: {} };
    return { dir, h: createSettingsHandlers({ events: new EventBus(), currentProject: () => project, log: () => {} }) };
  };

  it('without an open project says to open one', async () => {
    const h = createSettingsHandlers({ events: new EventBus(), currentProject: () => null, log: () => {} });
    await expect(Promise.resolve().then(() => h['settings.get']())).rejects.toMatchObject({ code: 'NO_PROJECT' });
  });

  it('reads defaults without a config, and a saved change on the next get', async () => {
    const empty = await handlersFor();
    expect(await empty.h['settings.get']()).toEqual({ builder: 'kaniko', registry: { kind: 'in-cluster' }, deployEngine: 'helm3' });

    const { dir, h } = await handlersFor('version: v1alpha1\n# mine\ndevSpace:\n  deployments:\n  - name: shop\n    helm:\n      chartPath: chart\nimages:\n  default:\n    name: shop\n');
    const next: ProjectSettings = { builder: 'docker', registry: { kind: 'external', url: 'ghcr.io/acme', insecure: false }, deployEngine: 'tiller', kanikoImage: 'mirror.local/kaniko:debug' };
    // Two saves at once are written one after the other; the last one wins.
    const [, second] = await Promise.all([h['settings.update']({ ...next, builder: 'kaniko' }), h['settings.update'](next)]);
    expect(second).toEqual(next);
    expect(await h['settings.get']()).toEqual(next);
    expect(await readFile(path.join(dir, '.devspace/config.yaml'), 'utf8')).toContain('# mine\n');
  });
});
