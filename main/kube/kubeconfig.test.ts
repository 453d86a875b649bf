// Kubeconfig loading and merging, checked against real files and, where kubectl is installed,
// against what kubectl itself makes of the same KUBECONFIG.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../ipc/errors';
import { kubeconfigPaths, loadKubeconfig } from './kubeconfig';
import { OIDC_PROVIDER } from './oidcAuth';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

async function kubectl(kubeconfigEnv: string, args: string[]): Promise<string> {
  const { stdout } = await run(KUBECTL, args, { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfigEnv }, encoding: 'utf8' });
  return stdout;
}

function skipWithoutKubectl(ctx: { skip: () => void }) {
  if (!existsSync(KUBECTL)) {
    console.log(`skipped: ${KUBECTL} is not installed, so there is no reference to compare with`);
    ctx.skip();
  }
}

async function thrown(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kubeconfig-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(rel: string, text: string): Promise<string> {
  const p = path.join(dir, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, text);
  return p;
}

describe('kubeconfigPaths', () => {
  const d = path.delimiter;
  it('uses ~/.kube/config when KUBECONFIG is unset or empty', () => {
    expect(kubeconfigPaths({}, '/home/ann')).toEqual([path.join('/home/ann', '.kube', 'config')]);
    expect(kubeconfigPaths({ KUBECONFIG: '' }, '/home/ann')).toEqual([path.join('/home/ann', '.kube', 'config')]);
    expect(kubeconfigPaths({ KUBECONFIG: `${d}${d}` }, '/home/ann')).toEqual([path.join('/home/ann', '.kube', 'config')]);
  });
  it('takes one file or several from KUBECONFIG, dropping empty entries and duplicates, keeping order', () => {
    expect(kubeconfigPaths({ KUBECONFIG: '/a/one' }, '/home/ann')).toEqual(['/a/one']);
    expect(kubeconfigPaths({ KUBECONFIG: `/b${d}/a${d}/c` }, '/h')).toEqual(['/b', '/a', '/c']);
    expect(kubeconfigPaths({ KUBECONFIG: `${d}/b${d}${d}/a${d}/b${d}/c${d}/a${d}` }, '/h')).toEqual(['/b', '/a', '/c']);
  });
});

describe('loadKubeconfig merging', () => {
  let first: string;
  let second: string;
  let third: string;
  beforeAll(async () => {
    // Same relative names in different folders, so a path resolved against the wrong file shows.
    await file('team/certs/ca.crt', 'CA OF TEAM FILE\n');
    await file('team/client.crt', 'CLIENT CERT OF TEAM FILE\n');
    await file('team/client.key', 'CLIENT KEY OF TEAM FILE\n');
    await file('personal/certs/ca.crt', 'CA OF PERSONAL FILE\n');
    await file('personal/client.crt', 'CLIENT CERT OF PERSONAL FILE\n');
    await file('personal/client.key', 'CLIENT KEY OF PERSONAL FILE\n');
    // No current-context here: it must come from the first file that sets one.
    first = await file(
      'team/config',
      `apiVersion: v1
kind: Config
clusters:
- name: shared-cluster
  cluster:
    server: https://team.example:6443
    certificate-authority: certs/ca.crt
contexts:
- name: team
  context: {cluster: shared-cluster, user: shared-user, namespace: team-ns}
- name: both
  context: {cluster: shared-cluster, user: shared-user, namespace: from-team}
users:
- name: shared-user
  user:
    client-certificate: client.crt
    client-key: client.key
`,
    );
    second = await file(
      'personal/config',
      `apiVersion: v1
kind: Config
current-context: both
clusters:
- name: shared-cluster
  cluster:
    server: https://personal.example:6443
    certificate-authority: certs/ca.crt
- name: personal-cluster
  cluster:
    server: https://personal.example:7443
    certificate-authority: certs/ca.crt
contexts:
- name: both
  context: {cluster: personal-cluster, user: personal-user, namespace: from-personal}
- name: personal
  context: {cluster: personal-cluster, user: personal-user}
users:
- name: shared-user
  user: {token: personal-shadowed}
- name: personal-user
  user:
    client-certificate: client.crt
    client-key: client.key
`,
    );
    third = await file(
      'third/config',
      `current-context: personal
contexts:
- name: alpha
  context: {cluster: personal-cluster, user: personal-user}
`,
    );
  });

  it('lets the first file that defines a name win, and takes current-context from the first file that sets it', async () => {
    const kc = await loadKubeconfig([first, second, third]);
    expect(kc.sources).toEqual([first, second, third]);
    expect(kc.currentContext).toBe('both');
    expect(kc.contexts).toEqual([
      { name: 'alpha', cluster: 'personal-cluster', user: 'personal-user', server: 'https://personal.example:7443' },
      { name: 'both', cluster: 'shared-cluster', user: 'shared-user', namespace: 'from-team', server: 'https://team.example:6443' },
      { name: 'personal', cluster: 'personal-cluster', user: 'personal-user', server: 'https://personal.example:7443' },
      { name: 'team', cluster: 'shared-cluster', user: 'shared-user', namespace: 'team-ns', server: 'https://team.example:6443' },
    ]);
    // Reversed order: now the personal file wins.
    const reversed = await loadKubeconfig([second, first]);
    expect(reversed.contexts.find((c) => c.name === 'both')).toMatchObject({ cluster: 'personal-cluster', namespace: 'from-personal' });
  });

  it('resolves relative certificate paths against the file that contains them', async () => {
    const kc = await loadKubeconfig([first, second]);
    const team = kc.kubeConfig('team');
    expect(team.getCurrentCluster()?.caFile).toBe(path.join(dir, 'team/certs/ca.crt'));
    expect(team.getCurrentUser()?.certFile).toBe(path.join(dir, 'team/client.crt'));
    expect(team.getCurrentUser()?.keyFile).toBe(path.join(dir, 'team/client.key'));
    const personal = kc.kubeConfig('personal');
    expect(personal.getCurrentCluster()?.caFile).toBe(path.join(dir, 'personal/certs/ca.crt'));
    expect(personal.getCurrentUser()?.certFile).toBe(path.join(dir, 'personal/client.crt'));
    // Default context is the current one; the same object comes back (tokens stay cached).
    expect(kc.kubeConfig().getCurrentContext()).toBe('both');
    expect(kc.kubeConfig('both')).toBe(kc.kubeConfig());
  });

  it('agrees with kubectl on the contexts, the current context and each context’s cluster, user and namespace', async (ctx) => {
    skipWithoutKubectl(ctx);
    const env = [first, second, third].join(path.delimiter);
    const kc = await loadKubeconfig([first, second, third]);
    const names = (await kubectl(env, ['config', 'get-contexts', '-o', 'name'])).trim().split('\n');
    expect(kc.contexts.map((c) => c.name)).toEqual(names);
    expect(kc.currentContext).toBe((await kubectl(env, ['config', 'current-context'])).trim());
    for (const c of kc.contexts) {
      const jsonpath = '{.contexts[0].context.cluster}|{.contexts[0].context.user}|{.contexts[0].context.namespace}|{.clusters[0].cluster.server}';
      const out = await kubectl(env, ['config', 'view', '--minify', '--context', c.name, '-o', `jsonpath=${jsonpath}`]);
      expect(`${c.cluster}|${c.user}|${c.namespace ?? ''}|${c.server ?? ''}`).toBe(out);
    }
  });

  it('resolves relative file references to the same files kubectl reads', async (ctx) => {
    skipWithoutKubectl(ctx);
    const env = [first, second].join(path.delimiter);
    const kc = await loadKubeconfig([first, second]);
    const { readFile } = await import('node:fs/promises');
    const b64 = async (p: string | undefined) => (p ? (await readFile(p)).toString('base64') : '');
    for (const name of ['team', 'personal']) {
      // --flatten makes kubectl read each referenced file and embed it.
      const jsonpath = '{.clusters[0].cluster.certificate-authority-data}|{.users[0].user.client-certificate-data}|{.users[0].user.client-key-data}';
      const out = await kubectl(env, ['config', 'view', '--minify', '--flatten', '--context', name, '-o', `jsonpath=${jsonpath}`]);
      const k = kc.kubeConfig(name);
      expect(`${await b64(k.getCurrentCluster()?.caFile)}|${await b64(k.getCurrentUser()?.certFile)}|${await b64(k.getCurrentUser()?.keyFile)}`).toBe(out);
    }
  });

  it('resolves an exec command with a path relative to its file, and leaves bare commands to PATH', async () => {
    const p = await file(
      'exec/config',
      `clusters: [{name: c, cluster: {server: "https://x.example"}}]
contexts:
- {name: rel, context: {cluster: c, user: rel}}
- {name: bare, context: {cluster: c, user: bare}}
users:
- name: rel
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/get-token, args: [--x]}}
- name: bare
  user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: aws, args: [eks, get-token]}}
`,
    );
    const kc = await loadKubeconfig([p]);
    expect(kc.kubeConfig('rel').getCurrentUser()?.exec).toMatchObject({ command: path.join(dir, 'exec/bin/get-token'), args: ['--x'] });
    expect(kc.kubeConfig('bare').getCurrentUser()?.exec).toMatchObject({ command: 'aws', args: ['eks', 'get-token'] });
  });

  it('keeps auth-provider users (OIDC) with their config', async () => {
    const p = await file(
      'oidc/config',
      `clusters: [{name: c, cluster: {server: "https://x.example"}}]
contexts: [{name: o, context: {cluster: c, user: o}}]
users:
- name: o
  user:
    auth-provider:
      name: oidc
      config: {client-id: app, id-token: abc.def.ghi, idp-issuer-url: "https://issuer.example", refresh-token: r1}
`,
    );
    const kc = await loadKubeconfig([p]);
    expect(kc.kubeConfig('o').getCurrentUser()?.authProvider).toEqual({
      name: OIDC_PROVIDER,
      config: { 'client-id': 'app', 'id-token': 'abc.def.ghi', 'idp-issuer-url': 'https://issuer.example', 'refresh-token': 'r1' },
    });
  });
});

describe('loadKubeconfig errors', () => {
  it('names the file and the line of bad YAML', async () => {
    const p = await file(
      'bad-yaml/config',
      `apiVersion: v1
clusters:
- name: c
  cluster:
    server: https://x.example
contexts:
- name: x
  context:
     cluster: c
    user: u
`,
    );
    const err = await thrown(loadKubeconfig([p]));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toMatch(new RegExp(`^${escape(p)} line 10: `));
    expect(err.hint).toBeTruthy();
  });

  it('shows paths under the home folder as ~/', async () => {
    const p = await file('.kube/config', 'contexts:\n\t- name: x\n');
    const err = await thrown(loadKubeconfig([p], { homeDir: dir }));
    expect(err.message).toMatch(/^~\/\.kube\/config line 2: /);
  });

  it('names wrong shapes with their field and line', async () => {
    const p = await file('shape/config', 'apiVersion: v1\nclusters: []\ncontexts: not-a-list\n');
    const err = await thrown(loadKubeconfig([p]));
    expect(err.code).toBe('KUBECONFIG_INVALID');
    expect(err.message).toBe(`${p} line 3: contexts must be a list of {name, context} entries`);
    const q = await file('shape2/config', 'users:\n- name: u\n  user:\n    token: [1, 2]\n');
    expect((await thrown(loadKubeconfig([q]))).message).toBe(`${q} line 4: users[0].user.token must be a string`);
    const r = await file('shape3/config', '- just\n- a list\n');
    expect((await thrown(loadKubeconfig([r]))).message).toContain(`${r} line 1: a kubeconfig must be a mapping`);
  });

  it('rejects a name defined twice in one file, as kubectl does', async (ctx) => {
    const p = await file('dup/config', 'clusters:\n- name: c\n  cluster: {server: "https://a"}\n- name: c\n  cluster: {server: "https://b"}\n');
    const err = await thrown(loadKubeconfig([p]));
    expect(err.message).toBe(`${p} line 4: cluster "c" is defined twice in clusters`);
    skipWithoutKubectl(ctx);
    await expect(kubectl(p, ['config', 'get-contexts'])).rejects.toThrow(/duplicate name "c"/);
  });

  it('skips missing files like kubectl, and says what to do when all are missing', async () => {
    const present = await file('present/config', 'contexts: [{name: here, context: {cluster: c}}]\n');
    const missingA = path.join(dir, 'nope-a/config');
    const missingB = path.join(dir, 'nope-b');
    const kc = await loadKubeconfig([missingA, present, missingB]);
    expect(kc.sources).toEqual([present]);
    expect(kc.contexts.map((c) => c.name)).toEqual(['here']);

    const none = await thrown(loadKubeconfig([missingA, missingB]));
    expect(none.code).toBe('KUBECONFIG_MISSING');
    expect(none.message).toContain(missingA);
    expect(none.hint).toBe("Create one with your cluster provider's CLI, or set KUBECONFIG.");
    const home = await thrown(loadKubeconfig([path.join(dir, 'home/.kube/config')], { homeDir: path.join(dir, 'home') }));
    expect(home.message).toBe('No kubeconfig found: ~/.kube/config does not exist.');
  });

  it('uses the readFile it is given', async () => {
    const seen: string[] = [];
    const kc = await loadKubeconfig(['/virtual/one'], {
      readFile: async (p) => {
        seen.push(p);
        return 'current-context: v\ncontexts: [{name: v, context: {cluster: c}}]\n';
      },
    });
    expect(seen).toEqual(['/virtual/one']);
    expect(kc.currentContext).toBe('v');
  });

  it('CONTEXT_MISSING lists the available contexts; a context naming a missing cluster or user is KUBECONFIG_INVALID', async () => {
    const p = await file(
      'refs/config',
      `clusters: [{name: c, cluster: {server: "https://x.example"}}, {name: noserver, cluster: {}}]
users: [{name: u, user: {token: t}}]
contexts:
- {name: ok, context: {cluster: c, user: u}}
- {name: anonymous, context: {cluster: c}}
- {name: ghost-cluster, context: {cluster: gone, user: u}}
- {name: ghost-user, context: {cluster: c, user: gone}}
- {name: no-server, context: {cluster: noserver, user: u}}
`,
    );
    const kc = await loadKubeconfig([p]);
    const missing = (() => {
      try {
        kc.kubeConfig('typo');
      } catch (e) {
        return e as AppError;
      }
      throw new Error('expected CONTEXT_MISSING');
    })();
    expect(missing.code).toBe('CONTEXT_MISSING');
    expect(missing.hint).toContain('anonymous, ghost-cluster, ghost-user, no-server, ok');
    // No current-context in the file and none asked for.
    expect(() => kc.kubeConfig()).toThrow(/no current-context/);
    expect(kc.kubeConfig('ok').getCurrentUser()?.token).toBe('t');
    expect(kc.kubeConfig('anonymous').getCurrentUser()).toBeNull();
    for (const [name, text] of [
      ['ghost-cluster', 'names the cluster "gone"'],
      ['ghost-user', 'names the user "gone"'],
      ['no-server', 'has no server address'],
    ] as const) {
      expect(() => kc.kubeConfig(name)).toThrow(text);
      try {
        kc.kubeConfig(name);
      } catch (e) {
        expect((e as AppError).code).toBe('KUBECONFIG_INVALID');
      }
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
