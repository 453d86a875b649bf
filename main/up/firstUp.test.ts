// The first Up's files: the preview lists exactly what Up would write and writes nothing; Up
// without the user's confirmation fails fast and writes nothing; confirmed, it never replaces a file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectInfo } from '../../preload/api';
import { EventBus } from '../ipc/events';
import { planFirstUp, prepareFirstUp, writeFirstUp } from './firstUp';
import { createUpHandlers } from './upHandlers';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fixture(files: Record<string, string>): ProjectInfo {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'first-up-'));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return { path: dir, name: 'My Shop', hasDevspaceConfig: false, hasDockerfile: 'Dockerfile' in files, hasChart: false, selection: {} };
}

/** Every file under dir, '/'-separated and sorted. */
function tree(dir: string, sub = ''): string[] {
  return readdirSync(path.join(dir, sub), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tree(dir, path.posix.join(sub, e.name)) : [path.posix.join(sub, e.name)]))
    .sort();
}

const NODE_PROJECT = { 'package.json': JSON.stringify({ scripts: { start: 'node server.js' } }), 'package-lock.json': '{}', 'server.js': 'app.listen(3000)' };

function handlersFor(project: ProjectInfo) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'first-up-data-'));
  dirs.push(dataDir);
  return createUpHandlers({
    events: new EventBus(),
    resolveProjectCluster: async () => ({ project, kubeConfig: new KubeConfig(), context: 'test', namespace: 'default', config: null }),
    log: () => {},
    dataDir,
    startPorts: async () => null,
  });
}

describe('the first Up\'s files', () => {
  it('previews a bare project: Dockerfile (with its reason), .dockerignore, chart files, config; writes nothing', async () => {
    const project = fixture(NODE_PROJECT);
    const before = tree(project.path);
    const preview = await handlersFor(project)['up.preview']();
    expect(preview.needed).toBe(true);
    const paths = preview.files.map((f) => f.path);
    expect(paths).toEqual([
      'Dockerfile', '.dockerignore',
      'chart/Chart.yaml', 'chart/values.yaml', 'chart/.helmignore', 'chart/templates/_helpers.tpl', 'chart/templates/deployment.yaml', 'chart/templates/service.yaml', 'chart/templates/NOTES.txt',
      '.devspace/config.yaml',
    ]);
    expect(preview.files[0]?.reason).toBe('no Dockerfile: generated for a Node.js project (npm)');
    expect(preview.files[0]?.content).toContain('EXPOSE 3000');
    expect(preview.files.at(-1)?.content).toContain('version: v1alpha1');
    expect(preview.files.at(-1)?.content).toContain('localPort: 3000');
    for (const f of preview.files) expect(f.reason).not.toBe('');
    expect(preview.warnings).toEqual([]);
    expect(tree(project.path)).toEqual(before);
  });

  it('leaves out the Dockerfile of a project that has one, and warns when no port is known', async () => {
    const project = fixture({ Dockerfile: 'FROM busybox\n' });
    const preview = await planFirstUp(project, false);
    const paths = preview.files.map((f) => f.path);
    expect(paths).not.toContain('Dockerfile');
    expect(paths).not.toContain('.dockerignore');
    expect(paths).toContain('chart/Chart.yaml');
    expect(paths).toContain('.devspace/config.yaml');
    expect(preview.warnings.join('\n')).toMatch(/No port found/);
    expect(tree(project.path)).toEqual(['Dockerfile']);
  });

  it('needs nothing once the project has its config', async () => {
    const project = fixture({ Dockerfile: 'FROM busybox\n', '.devspace/config.yaml': 'version: v1alpha1\n' });
    expect(await planFirstUp(project, false)).toEqual({ needed: false, files: [], warnings: [] });
  });

  it('Up without the user\'s confirmation fails fast and writes nothing', async () => {
    const project = fixture(NODE_PROJECT);
    const before = tree(project.path);
    const handlers = handlersFor(project);
    await expect(handlers['up.start']()).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT', message: 'This project needs generated files before its first Up.', hint: 'Review them and confirm.',
    });
    await expect(handlers['up.start']({ acceptGenerated: false })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(handlers['up.current']()).toBeNull();
    expect(tree(project.path)).toEqual(before);
  });

  it('writes exactly the previewed files and keeps a file that appeared meanwhile', async () => {
    const project = fixture(NODE_PROJECT);
    const preview = await planFirstUp(project, false);
    writeFileSync(path.join(project.path, '.dockerignore'), 'mine\n');
    const r = await writeFirstUp(project.path, preview.files);
    expect(r.kept).toEqual(['.dockerignore']);
    expect([...r.written, ...r.kept].sort()).toEqual(preview.files.map((f) => f.path).sort());
    expect(readFileSync(path.join(project.path, '.dockerignore'), 'utf8')).toBe('mine\n');
    for (const f of preview.files.filter((x) => x.path !== '.dockerignore')) {
      expect(readFileSync(path.join(project.path, f.path), 'utf8')).toBe(f.content);
    }
    expect(existsSync(path.join(project.path, '.devspace', 'config.yaml'))).toBe(true);
    // Written once, it is no longer a first Up; writing again replaces nothing.
    expect((await planFirstUp(project, false)).needed).toBe(false);
    expect(await prepareFirstUp(project)).toEqual({ written: [], kept: [] });
  });
});
