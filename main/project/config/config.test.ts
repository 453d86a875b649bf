import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigText, readConfig } from './parseConfig';
import { initialConfigText, savePortForwardings, writeInitialConfig } from './writeConfig';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'devspace-config-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const FILE = '/p/.devspace/config.yaml';

describe('.devspace/config.yaml: reading', () => {
  it('reads a DevSpace v1alpha1 file, with portForwarding as ports and string ports as numbers', () => {
    const { config, warnings } = parseConfigText(
      `version: v1alpha1
cluster:
  kubeContext: minikube
  namespace: devspace
devSpace:
  terminal:
    containerName: default
    command: [sh, -c, bash]
    labelSelector:
      release: devspace-default
  deployments:
  - name: devspace-default
    helm:
      chartPath: chart/
  portForwarding:
  - resourceType: pod
    labelSelector:
      release: my-app
    portMappings:
    - localPort: "3000"
      remotePort: 3000
  sync:
  - containerPath: /app
images:
  default:
    name: devspace-user/devspace
    build:
      kaniko:
        cache: true
      options:
        buildArgs:
          myarg1: myvalue1
registries:
  internal:
    user:
      username: user-XXXXX
      password: secret
internalRegistry:
  deploy: true
tiller:
  namespace: tiller-server
`,
      FILE,
    );
    expect(config.cluster).toEqual({ kubeContext: 'minikube', namespace: 'devspace' });
    expect(config.devSpace?.ports).toEqual([{ resourceType: 'pod', labelSelector: { release: 'my-app' }, portMappings: [{ localPort: 3000, remotePort: 3000 }] }]);
    expect(config.devSpace?.terminal?.command).toEqual(['sh', '-c', 'bash']);
    expect(config.images?.default?.build?.options?.buildArgs).toEqual({ myarg1: 'myvalue1' });
    expect(JSON.stringify(config)).not.toContain('secret');
    expect(warnings.map((w) => `${w.line} ${w.field}`)).toEqual(['22 devSpace.sync', '35 registries.internal.user']);
  });

  it('names the file, line and field of each problem', () => {
    const bad = `version: v1alpha1
devSpace:
  ports:
  - labelSelector:
      app: web
    portMappings:
    - localPort: 3000
      remotePort: 70000
    - localPort: 3000
      remotePort: 80
`;
    expect(() => parseConfigText(bad, FILE)).toThrow(/^\.devspace\/config\.yaml line 8: devSpace\.ports\[0\]\.portMappings\[0\]\.remotePort: 70000 is not a port number/);
    try {
      parseConfigText(bad, FILE);
    } catch (err) {
      const problems = (err as { problems: Array<{ line: number; field: string }> }).problems;
      expect(problems.map((p) => `${p.line} ${p.field}`)).toEqual(['8 devSpace.ports[0].portMappings[0].remotePort']);
      expect((err as { hint: string }).hint).toContain('delete it');
    }
    expect(() => parseConfigText('version: v1alpha1\ndevSpace:\n  ports:\n  - labelSelector: {a: b}\n    portMappings:\n    - {localPort: 3000, remotePort: 1}\n    - {localPort: 3000, remotePort: 2}\n', FILE)).toThrow(
      'line 7: devSpace.ports[0].portMappings[1].localPort: local port 3000 is already used by ports[0].portMappings[0]',
    );
  });

  it('reads the rollout timeout in seconds and refuses one that is not a sensible number of seconds', () => {
    const withTimeout = (t: string) => `version: v1alpha1\ndevSpace:\n  deployments:\n  - name: app\n    helm:\n      chartPath: chart\n      rolloutTimeout: ${t}\n`;
    expect(parseConfigText(withTimeout('600'), FILE).config?.devSpace?.deployments?.[0]?.helm?.rolloutTimeout).toBe(600);
    expect(() => parseConfigText(withTimeout('5m'), FILE)).toThrow(/line 7: devSpace\.deployments\[0\]\.helm\.rolloutTimeout: must be the seconds Up waits/);
    expect(() => parseConfigText(withTimeout('0'), FILE)).toThrow(/rolloutTimeout/);
  });

  it('explains YAML syntax errors and a missing or unknown version', () => {
    expect(() => parseConfigText('version: v1alpha1\ndevSpace:\n  ports: [\n', FILE)).toThrow(/^\.devspace\/config\.yaml line \d+/);
    expect(() => parseConfigText('devSpace: {}\n', FILE)).toThrow('version: missing; add `version: v1alpha1`');
    expect(() => parseConfigText('version: v2\n', FILE)).toThrow('line 1: version: "v2" is not supported');
    expect(() => parseConfigText('- a\n- b\n', FILE)).toThrow('must be a YAML map');
  });

  it('returns null when the project has no config yet', async () => {
    expect(await readConfig(dir)).toBeNull();
  });
});

describe('.devspace/config.yaml: writing', () => {
  const initial = {
    deploymentName: 'my-app',
    chartPath: './chart',
    imageName: 'my-app',
    labelSelector: { 'app.kubernetes.io/name': 'my-app' },
    ports: [{ localPort: 3000, remotePort: 3000 }],
    builder: 'kaniko' as const,
  };

  it('writes a first config that reads back to what was asked, and never overwrites one', async () => {
    await writeInitialConfig(dir, initial);
    const loaded = await readConfig(dir);
    expect(loaded?.config.devSpace?.ports?.[0]?.portMappings).toEqual([{ localPort: 3000, remotePort: 3000 }]);
    expect(loaded?.config.images?.default?.build?.engine).toBe('kaniko');
    await expect(writeInitialConfig(dir, { ...initial, imageName: 'other' })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await fs.readFile(path.join(dir, '.devspace/config.yaml'), 'utf8')).toBe(initialConfigText(initial));
  });

  it('saves edited port mappings keeping the user\'s comments and layout', async () => {
    const original = `# my project
version: v1alpha1
devSpace:
  # forwarded while up
  ports:
  - labelSelector:
      app: web   # the web tier
    portMappings:
    - localPort: 3000   # the UI
      remotePort: 3000
    - localPort: 9229   # node debugger
      remotePort: 9229
images:
  default:
    name: web   # keep me
`;
    await fs.mkdir(path.join(dir, '.devspace'));
    await fs.writeFile(path.join(dir, '.devspace/config.yaml'), original);
    await savePortForwardings(dir, [
      {
        labelSelector: { app: 'web' },
        portMappings: [
          { localPort: 3001, remotePort: 3000 },
          { localPort: 9229, remotePort: 9229, enabled: false },
          { localPort: 8080, remotePort: 80, bindAddress: '0.0.0.0' },
        ],
      },
    ]);
    const text = await fs.readFile(path.join(dir, '.devspace/config.yaml'), 'utf8');
    expect(text).toBe(`# my project
version: v1alpha1
devSpace:
  # forwarded while up
  ports:
  - labelSelector:
      app: web # the web tier
    portMappings:
    - localPort: 3001 # the UI
      remotePort: 3000
    - localPort: 9229 # node debugger
      remotePort: 9229
      enabled: false
    - localPort: 8080
      remotePort: 80
      bindAddress: 0.0.0.0
images:
  default:
    name: web # keep me
`);
    const again = await readConfig(dir);
    expect(again?.config.devSpace?.ports?.[0]?.portMappings).toHaveLength(3);
  });

  it('refuses to save mappings that would make the file invalid, leaving it untouched', async () => {
    await writeInitialConfig(dir, initial);
    const before = await fs.readFile(path.join(dir, '.devspace/config.yaml'), 'utf8');
    await expect(savePortForwardings(dir, [{ labelSelector: { a: 'b' }, portMappings: [{ localPort: 0, remotePort: 1 }] }])).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await fs.readFile(path.join(dir, '.devspace/config.yaml'), 'utf8')).toBe(before);
  });
});
