// The Kaniko executor stand-in as the app's Kaniko builder uses it: a build pod, the context
// uploaded with `tar -x` over exec stdin, then `/kaniko/executor …` exec'd into it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import bcrypt from 'bcryptjs';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseKanikoFlags } from './kaniko-stand-in';
import { SLOW, cannotRunNode, createPod, eventually, execPath, getPod, openChannelSocket, startNodeTestCluster, waitForRunning, type NodeTestCluster } from './node-test-harness';
import { freePort, RegistryProcess } from './registry-process';

const skip = cannotRunNode();
if (skip) console.log(`skipping Kaniko stand-in tests: ${skip}`);
const ALL = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

function tarOf(files: Record<string, string>): Promise<Buffer> {
  const p = pack();
  for (const [name, content] of Object.entries(files)) p.entry({ name }, content);
  p.finalize();
  const chunks: Buffer[] = [];
  return new Promise((resolve) => { p.on('data', (d: unknown) => { chunks.push(d as Buffer); }); p.on('end', () => resolve(Buffer.concat(chunks))); });
}

describe('Kaniko flags', () => {
  it('reads flags in both --k=v and --k v forms, repeated build args, and refuses unknown ones', () => {
    const f = parseKanikoFlags(['--dockerfile', 'docker/Dockerfile', '--context=dir:///workspace', '--destination=r:5000/a:1', '-d', 'r:5000/a:latest', '--build-arg', 'A=1', '--build-arg=B=2', '--cache=true', '--insecure', '--insecure-registry', 'r:5000']);
    expect(f).toMatchObject({ dockerfile: 'docker/Dockerfile', context: 'dir:///workspace', destinations: ['r:5000/a:1', 'r:5000/a:latest'], buildArgs: ['A=1', 'B=2'], cache: true, insecure: true, insecureRegistries: ['r:5000'] });
    expect(() => parseKanikoFlags(['--bogus'])).toThrow('unknown flag: --bogus');
  });
});

describe.skipIf(!!skip)('the Kaniko executor stand-in', SLOW, () => {
  let c: NodeTestCluster;
  beforeEach(({ onTestFailed }) => { onTestFailed(() => console.log(`node agent log:\n${c?.logTail()}`)); });
  beforeAll(async () => {
    c = await startNodeTestCluster();
    await createPod(c.api, { metadata: { name: 'builder' }, spec: { containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:debug', command: ['/busybox/sh', '-c', 'sleep 3600'] }] } });
    await waitForRunning(c.api, 'builder');
  }, SLOW.timeout);
  afterAll(async () => { await c?.stop(); });

  const upload = async (files: Record<string, string>) => {
    const s = await openChannelSocket(c, execPath('builder', ['sh', '-c', 'rm -rf /workspace/* && tar -x -C /workspace -f -'], { stdin: true }), ALL);
    s.send(0, await tarOf(files));
    s.ws.send(Buffer.from([255, 0]));
    await s.closed;
    expect(JSON.parse(s.text(3)).status).toBe('Success');
  };
  const executor = async (args: string[]) => {
    const s = await openChannelSocket(c, execPath('builder', ['/kaniko/executor', ...args]), ALL);
    await s.closed;
    return { status: JSON.parse(s.text(3)), out: s.text(1), err: s.text(2) };
  };

  it('builds the uploaded context with a RUN step, pushes it, and the image runs', async () => {
    await upload({ Dockerfile: 'FROM busybox\nARG GREETING=none\nCOPY hello.txt /hello.txt\nRUN echo "$GREETING" > /greeting\nCMD ["cat", "/hello.txt", "/greeting"]\n', 'hello.txt': 'hi from the context\n' });
    const dest = `${c.agent.registry}/built/app:v1`;
    const r = await executor(['--dockerfile=Dockerfile', '--context=dir:///workspace', `--destination=${dest}`, '--build-arg', 'GREETING=yo', '--insecure']);
    expect(r.status).toEqual({ metadata: {}, status: 'Success' });
    expect(r.err).toMatch(/^INFO\[0000\] Retrieving image manifest busybox$/m);
    expect(r.err).toMatch(/^INFO\[\d{4}\] RUN echo "\$GREETING" > \/greeting$/m);
    expect(r.err).toContain(`Pushing image to ${dest}`);
    const head = await fetch(`http://${c.agent.registry}/v2/built/app/manifests/v1`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
    expect(head.status).toBe(200);
    await createPod(c.api, { metadata: { name: 'built' }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: dest }] } });
    await eventually(async () => (await getPod(c.api, 'built')).status?.phase === 'Succeeded', 'built image to run');
    const log = await c.api.request('GET', '/api/v1/namespaces/default/pods/built/log');
    expect(log.body).toBe('hi from the context\nyo\n');
  });

  it('builds a gzipped tar context read from stdin (--context=tar://stdin)', async () => {
    const dest = `${c.agent.registry}/built/from-stdin:1`;
    const s = await openChannelSocket(c, execPath('builder', ['/kaniko/executor', '--context=tar://stdin', `--destination=${dest}`], { stdin: true }), ALL);
    s.send(0, gzipSync(await tarOf({ Dockerfile: 'FROM busybox\nCOPY msg /msg\nCMD ["cat", "/msg"]\n', msg: 'from stdin\n' })));
    s.ws.send(Buffer.from([255, 0]));
    await s.closed;
    expect(JSON.parse(s.text(3))).toEqual({ metadata: {}, status: 'Success' });
    expect(s.text(2)).toContain(`Pushing image to ${dest}`);
  });

  it('runs the executor as a pod\'s main process, the context attached to its stdin', async () => {
    const dest = `${c.agent.registry}/built/attached:1`;
    await createPod(c.api, { metadata: { name: 'kaniko-main' }, spec: { restartPolicy: 'Never', containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.24.0', args: ['--context=tar://stdin', `--destination=${dest}`], stdin: true, stdinOnce: true }] } });
    await eventually(async () => (await getPod(c.api, 'kaniko-main')).status?.containerStatuses?.[0]?.state?.running, 'executor running');
    const s = await openChannelSocket(c, '/api/v1/namespaces/default/pods/kaniko-main/attach?container=kaniko&stdin=true&stdout=true&stderr=true', ALL);
    s.send(0, gzipSync(await tarOf({ Dockerfile: 'FROM busybox\nRUN echo attached > /msg\n' })));
    s.ws.send(Buffer.from([255, 0]));
    const pod = await eventually(async () => { const p = await getPod(c.api, 'kaniko-main'); return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined; }, 'executor to finish');
    const log = await c.api.request('GET', '/api/v1/namespaces/default/pods/kaniko-main/log');
    expect(pod.status.phase, log.body).toBe('Succeeded');
    expect(log.body).toContain(`Pushing image to ${dest}`);
    const head = await fetch(`http://${c.agent.registry}/v2/built/attached/manifests/1`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
    expect(head.status).toBe(200);
  });

  it('fails like Kaniko when a RUN step fails', async () => {
    await upload({ 'Dockerfile': 'FROM busybox\nRUN exit 7\n' });
    const r = await executor(['--context=dir:///workspace', `--destination=${c.agent.registry}/built/broken:v1`]);
    expect(r.status.status).toBe('Failure');
    expect(r.status.details.causes[0].message).not.toBe('0');
    expect(r.err).toMatch(/^error building image: .*exit status 7$/m);
  });

  it('refuses base images and destinations outside the machine, as an offline Kaniko would fail', async () => {
    await upload({ Dockerfile: 'FROM quay.io/org/base:1\nRUN true\n' });
    const from = await executor([`--destination=${c.agent.registry}/x/y:1`]);
    expect(from.status.status).toBe('Failure');
    expect(from.err).toMatch(/^error building image: .*lookup quay\.io: no such host/m);
    await upload({ Dockerfile: 'FROM busybox\n' });
    const to = await executor(['--destination=docker.io/someone/app:1']);
    expect(to.err).toMatch(/^error pushing image: failed to push to destination docker\.io\/someone\/app:1: .*no such host/m);
  });

  it('pushes with the credentials in /kaniko/.docker/config.json, and is refused without them', async () => {
    const htpasswd = join(c.dataDir, 'kaniko-htpasswd');
    writeFileSync(htpasswd, `builder:${bcrypt.hashSync('pw', 5)}\n`);
    const reg = new RegistryProcess(join(c.dataDir, 'kaniko-auth-registry'), await freePort(), () => {}, htpasswd);
    await reg.start();
    try {
      await upload({ Dockerfile: 'FROM busybox\nCMD ["true"]\n' });
      const dest = `${reg.address}/team/app:1`;
      const refused = await executor([`--destination=${dest}`]);
      expect(refused.status.status).toBe('Failure');
      expect(refused.err).toMatch(/error pushing image: failed to push to destination .*(unauthorized|authentication required)/i);
      const config = JSON.stringify({ auths: { [reg.address]: { auth: Buffer.from('builder:pw').toString('base64') } } });
      const w = await openChannelSocket(c, execPath('builder', ['sh', '-c', `echo '${config}' > /kaniko/.docker/config.json`]), ALL);
      await w.closed;
      const ok = await executor([`--destination=${dest}`]);
      expect(ok.status.status).toBe('Success');
    } finally {
      await reg.stop();
    }
  });
});
