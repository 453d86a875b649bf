// The settings writer: each change touches only its own lines (diffed against the original),
// comments and layout survive, and what is written reads back as the settings asked for.
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectSettings } from '../../../preload/api';
import { AppError } from '../../ipc/errors';
import { parseConfigText } from './parseConfig';
import { DEFAULT_SETTINGS, projectSettings } from './projectSettings';
import { checkSettings, registryUrlProblem, saveProjectSettings, settingsText } from './settingsWriter';

const ORIGINAL = [
  '# My project: keep this comment',
  'version: v1alpha1',
  'devSpace:',
  '  deployments:',
  '  - name: shop # the release',
  '    helm:',
  '      chartPath: ./chart',
  '  ports:',
  '  - labelSelector:',
  '      app: shop',
  '    portMappings:',
  '    - localPort: 3000',
  '      remotePort: 3000',
  'images:',
  '  # the image Up builds',
  '  web:',
  '    name: shop',
  '    build:',
  '      options: { target: dev }',
  '',
].join('\n');

/** Lines removed from `a` and added in `b` (longest common subsequence of lines). */
function lineDiff(a: string, b: string): { removed: string[]; added: string[] } {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) (i++, j++);
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) removed.push(x[i++]!);
    else added.push(y[j++]!);
  }
  removed.push(...x.slice(i));
  added.push(...y.slice(j));
  return { removed, added };
}

const write = (text: string, s: ProjectSettings) => settingsText(parseConfigText(text, '/p/.devspace/config.yaml'), text, s, 'shop');

describe('settingsText: only what changed', () => {
  const cases: Array<{ name: string; settings: ProjectSettings; removed: string[]; added: string[]; from?: string }> = [
    { name: 'nothing changed', settings: DEFAULT_SETTINGS, removed: [], added: [] },
    { name: 'builder → docker', settings: { ...DEFAULT_SETTINGS, builder: 'docker' }, removed: [], added: ['      engine: docker'] },
    {
      name: 'kaniko image set',
      settings: { ...DEFAULT_SETTINGS, kanikoImage: 'mirror.example.com/kaniko/executor:debug' },
      removed: [],
      added: ['      kaniko:', '        image: mirror.example.com/kaniko/executor:debug'],
    },
    {
      name: 'external registry',
      settings: { ...DEFAULT_SETTINGS, registry: { kind: 'external', url: 'ghcr.io/acme', insecure: false } },
      removed: [],
      added: ['    registry: default', 'registries:', '  default:', '    url: ghcr.io/acme', '    insecure: false'],
    },
    {
      name: 'in-cluster registry port, namespace and mirrored images',
      settings: { ...DEFAULT_SETTINGS, inClusterRegistry: { port: 5001, namespace: 'team-registry', image: 'mirror.example.com/registry:2', proxyImage: 'mirror.example.com/socat:1.8' } },
      removed: [],
      added: ['internalRegistry:', '  port: 5001', '  namespace: team-registry', '  image: mirror.example.com/registry:2', '  proxyImage: mirror.example.com/socat:1.8'],
    },
    {
      name: 'deploy engine → tiller',
      settings: { ...DEFAULT_SETTINGS, deployEngine: 'tiller' },
      removed: [],
      added: ['      engine: tiller'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const text = write(c.from ?? ORIGINAL, c.settings);
      const d = lineDiff(c.from ?? ORIGINAL, text);
      expect(d.removed).toEqual(c.removed);
      expect(d.added.sort()).toEqual([...c.added].sort());
      expect(text).toContain('# My project: keep this comment');
      expect(text).toContain('# the image Up builds');
      expect(text).toContain('- name: shop # the release');
      expect(text).toContain('options: { target: dev }');
      expect(projectSettings(parseConfigText(text, 'c.yaml').config)).toEqual(checkSettings(c.settings));
    });
  }

  it('changes an existing external registry in place, reusing the name the image gives it', () => {
    const from = `${ORIGINAL.replace('    name: shop\n', '    name: shop\n    registry: hub\n')}registries:\n  # company registry\n  hub:\n    url: registry.example.com/team\n    insecure: false\n`;
    expect(projectSettings(parseConfigText(from, 'c.yaml').config).registry).toEqual({ kind: 'external', url: 'registry.example.com/team', insecure: false });
    const text = write(from, { ...DEFAULT_SETTINGS, registry: { kind: 'external', url: 'registry.example.com:5000/team', insecure: true } });
    expect(lineDiff(from, text)).toEqual({ removed: ['    url: registry.example.com/team', '    insecure: false'], added: ['    url: registry.example.com:5000/team', '    insecure: true'] });
    expect(text).toContain('  # company registry\n  hub:\n');
  });

  it('keeps a comment after a map key, though the yaml library moves it onto its own line', () => {
    const from = `${ORIGINAL}registries:\n  hub: # company registry\n    url: registry.example.com/team\n`;
    const text = write(from, { ...DEFAULT_SETTINGS, builder: 'docker' });
    expect(text).toMatch(/ {2}hub:\s*# company registry\n/);
  });

  it('back to in-cluster removes images.<first>.registry and keeps the registries entry', () => {
    const external = write(ORIGINAL, { ...DEFAULT_SETTINGS, registry: { kind: 'external', url: 'ghcr.io/acme', insecure: false } });
    const back = write(external, DEFAULT_SETTINGS);
    expect(lineDiff(external, back)).toEqual({ removed: ['    registry: default'], added: [] });
    expect(projectSettings(parseConfigText(back, 'c.yaml').config)).toEqual(DEFAULT_SETTINGS);
  });

  it('removes the kaniko image (and the then empty kaniko key) when cleared', () => {
    const withImage = write(ORIGINAL, { ...DEFAULT_SETTINGS, kanikoImage: 'k:1' });
    const cleared = write(withImage, DEFAULT_SETTINGS);
    expect(cleared).toBe(ORIGINAL);
  });

  it('changes one in-cluster registry field in place, keeps DevSpace\'s own keys, and drops internalRegistry once empty', () => {
    const from = `${ORIGINAL}internalRegistry:\n  # shared with the team\n  port: 5001\n`;
    expect(projectSettings(parseConfigText(from, 'c.yaml').config).inClusterRegistry).toEqual({ port: 5001 });
    const moved = write(from, { ...DEFAULT_SETTINGS, inClusterRegistry: { port: 5002 } });
    expect(lineDiff(from, moved)).toEqual({ removed: ['  port: 5001'], added: ['  port: 5002'] });
    expect(moved).toContain('# shared with the team');
    expect(write(from, DEFAULT_SETTINGS)).not.toContain('internalRegistry');
    const legacy = `${ORIGINAL}internalRegistry:\n  deploy: true\n`;
    const withPort = write(legacy, { ...DEFAULT_SETTINGS, inClusterRegistry: { port: 5003 } });
    expect(lineDiff(legacy, withPort)).toEqual({ removed: [], added: ['  port: 5003'] });
    expect(write(withPort, DEFAULT_SETTINGS)).toBe(legacy);
  });

  it('refuses a bad registry port, namespace or image, naming the field', () => {
    const refused = (r: NonNullable<ProjectSettings['inClusterRegistry']>) => {
      try {
        checkSettings({ ...DEFAULT_SETTINGS, inClusterRegistry: r });
        return undefined;
      } catch (err) {
        return (err as AppError).message;
      }
    };
    expect(refused({ port: 70000 })).toBe('Registry port: 70000 is not a port number from 1 to 65535.');
    expect(refused({ namespace: 'Team_Registry' })).toBe('Registry namespace: "Team_Registry" is not a namespace name.');
    expect(refused({ image: 'not an image' })).toMatch(/^Registry image: "not an image" is not an image name/);
    expect(refused({ proxyImage: 'user:pw@mirror/socat' })).toMatch(/^Registry proxy image: /);
    expect(checkSettings({ ...DEFAULT_SETTINGS, inClusterRegistry: { namespace: '  ', image: ' registry:2 ' } })).toEqual({ ...DEFAULT_SETTINGS, inClusterRegistry: { image: 'registry:2' } });
    expect(checkSettings({ ...DEFAULT_SETTINGS, inClusterRegistry: {} })).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps a v1alpha1 "internal" registry entry and writes the external one as "default"', () => {
    const from = `${ORIGINAL.replace('    name: shop\n', '    name: shop\n    registry: internal\n')}registries:\n  internal: {}\ninternalRegistry:\n  deploy: true\n`;
    const text = write(from, { ...DEFAULT_SETTINGS, registry: { kind: 'external', url: 'ghcr.io/acme', insecure: false } });
    const d = lineDiff(from, text);
    expect(d.removed).toEqual(['    registry: internal']);
    expect(d.added.sort()).toEqual(['    registry: default', '  default:', '    url: ghcr.io/acme', '    insecure: false'].sort());
  });

  it('adds images.default named after the release when the file has no images', () => {
    const from = 'version: v1alpha1\ndevSpace:\n  deployments:\n  - name: shop\n    helm:\n      chartPath: chart\n';
    const text = write(from, { ...DEFAULT_SETTINGS, builder: 'docker' });
    expect(text).toBe(`${from}images:\n  default:\n    name: shop\n    build:\n      engine: docker\n`);
  });

  it('keeps a file that does not indent sequences that way', () => {
    const from = 'version: v1alpha1\ndevSpace:\n  deployments:\n    - name: shop\n      helm:\n        chartPath: chart\n';
    const text = write(from, { ...DEFAULT_SETTINGS, deployEngine: 'tiller' });
    expect(lineDiff(from, text)).toEqual({ removed: [], added: ['        engine: tiller'] });
  });
});

describe('checkSettings', () => {
  it('accepts host[:port][/path] and refuses schemes, credentials and bad ports', () => {
    for (const ok of ['ghcr.io/acme', 'registry.example.com:5000/team', 'localhost:5000', '10.0.0.5:443/a/b', 'docker.io/myuser']) expect(registryUrlProblem(ok)).toBeUndefined();
    expect(registryUrlProblem('https://ghcr.io/acme')).toMatch(/Leave out "https:\/\/"/);
    expect(registryUrlProblem('user:pw@ghcr.io/acme')).toMatch(/must not contain a user name or password/);
    expect(registryUrlProblem('ghcr.io:70000')).toMatch(/not a port number/);
    expect(registryUrlProblem('ghcr.io/Acme')).toMatch(/not a registry address/);
    expect(registryUrlProblem('')).toMatch(/Enter the registry/);
    const err = (() => {
      try {
        checkSettings({ ...DEFAULT_SETTINGS, registry: { kind: 'external', url: 'https://u:p@ghcr.io', insecure: false } });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('INVALID_ARGUMENT');
    expect((err as AppError).message).toMatch(/^Registry URL: /);
    expect(() => checkSettings({ ...DEFAULT_SETTINGS, kanikoImage: 'Not An Image' })).toThrow(/Kaniko image/);
    expect(checkSettings({ ...DEFAULT_SETTINGS, registry: { kind: 'external', url: ' ghcr.io/acme/ ', insecure: false } }).registry).toEqual({ kind: 'external', url: 'ghcr.io/acme', insecure: false });
  });
});

describe('saveProjectSettings', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const project = async (config?: string) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'settings-'));
    dirs.push(dir);
    if (config !== undefined) {
      await mkdir(path.join(dir, '.devspace'));
      await writeFile(path.join(dir, '.devspace/config.yaml'), config);
    }
    return dir;
  };

  it('writes the file atomically, leaves no temp file and returns what the file now says', async () => {
    const dir = await project(ORIGINAL);
    const s: ProjectSettings = { builder: 'docker', registry: { kind: 'external', url: 'ghcr.io/acme', insecure: true }, deployEngine: 'helm3' };
    expect(await saveProjectSettings(dir, s)).toEqual(s);
    const text = await readFile(path.join(dir, '.devspace/config.yaml'), 'utf8');
    expect(text).toContain('# My project: keep this comment');
    expect(text).toContain('url: ghcr.io/acme');
    expect(await readdir(path.join(dir, '.devspace'))).toEqual(['config.yaml']);
  });

  it('without a config.yaml says to click Up once, and writes nothing', async () => {
    const dir = await project();
    await expect(saveProjectSettings(dir, DEFAULT_SETTINGS)).rejects.toMatchObject({ code: 'CONFIG_INVALID', hint: expect.stringContaining('Click Up once') });
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves a config it cannot read untouched', async () => {
    const broken = 'version: v1alpha1\nimages:\n  web:\n    name: [unclosed\n';
    const dir = await project(broken);
    await expect(saveProjectSettings(dir, { ...DEFAULT_SETTINGS, builder: 'docker' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await readFile(path.join(dir, '.devspace/config.yaml'), 'utf8')).toBe(broken);
  });

  it('refuses a deploy engine change when the file has no deployment', async () => {
    const from = 'version: v1alpha1\nimages:\n  web:\n    name: shop\n';
    const dir = await project(from);
    await expect(saveProjectSettings(dir, { ...DEFAULT_SETTINGS, deployEngine: 'tiller' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('no deployment') });
    expect(await readFile(path.join(dir, '.devspace/config.yaml'), 'utf8')).toBe(from);
  });
});
