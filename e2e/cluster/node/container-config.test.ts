import { describe, expect, it } from 'vitest';
import { containerArgv, containerEnv, expand } from './container-config';
import { restartDelaySeconds } from './container-worker';
import type { ObjectLookup } from './pod-volumes';

const pod = { metadata: { name: 'web-1', namespace: 'dev', uid: 'u-1', labels: { app: 'web' } }, spec: { nodeName: 'test-node' }, status: { podIP: '10.244.0.7' } };
const objects: Record<string, any> = {
  'secrets/dev/db': { data: { password: Buffer.from('pw').toString('base64') } },
  'configmaps/dev/cfg': { data: { MODE: 'dev', LEVEL: 'debug' } },
};
const lookup: ObjectLookup = async (kind, ns, name) => objects[`${kind}/${ns}/${name}`];

describe('container configuration', () => {
  it('expands $(VAR) from earlier variables and keeps $$ and unknown references', () => {
    expect(expand('$(A)-$(B)-$$(A)-$(NOPE)', { A: '1', B: '2' })).toBe('1-2-$(A)-$(NOPE)');
  });

  it('builds env from envFrom, valueFrom and values in order', async () => {
    const env = await containerEnv(pod, {
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'URL', value: 'http://$(IP):$(PORT)/$(NAME)' },
        { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'missing', key: 'x', optional: true } } },
      ],
    }, lookup, { PORT: '80' });
    expect(env).toEqual({ HOSTNAME: 'web-1', CFG_MODE: 'dev', CFG_LEVEL: 'debug', PASSWORD: 'pw', NAME: 'web-1', APP: 'web', IP: '10.244.0.7', URL: 'http://10.244.0.7:80/web-1' });
  });

  it('refuses a missing Secret or key with the kubelet message', async () => {
    await expect(containerEnv(pod, { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, lookup)).rejects.toThrow('secret "nope" not found');
    await expect(containerEnv(pod, { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } }] }, lookup)).rejects.toThrow("couldn't find key user in Secret dev/db");
  });

  it('lets command replace Entrypoint and Cmd, and args replace only Cmd', () => {
    const image = { entrypoint: ['/entry'], cmd: ['--serve'] };
    expect(containerArgv({}, image, {})).toEqual(['/entry', '--serve']);
    expect(containerArgv({ args: ['--port=$(PORT)'] }, image, { PORT: '8080' })).toEqual(['/entry', '--port=8080']);
    expect(containerArgv({ command: ['sh', '-c'] }, image, {})).toEqual(['sh', '-c']);
    expect(containerArgv({ command: ['sh'], args: ['-c', 'echo'] }, image, {})).toEqual(['sh', '-c', 'echo']);
  });

  it('backs off restarts like the kubelet: at once, then 10 s doubling to 5 min', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => restartDelaySeconds(n, 1))).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(restartDelaySeconds(2, 0.5)).toBe(10);
  });
});
