// The node's registry: Debian's docker-registry on loopback, seeded with busybox from
// busybox-static, serving it over the v2 API as container runtimes ask for it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Buildah } from './buildah';
import { SLOW, cannotRunNode } from './node-test-harness';
import { ContainerProcess } from './container-process';
import { freePort, RegistryProcess } from './registry-process';
import { restoreSeedCache, SEEDED, seedInto } from './seeded-images';

const skip = cannotRunNode();
if (skip) console.log(`skipping registry tests: ${skip}`);

const MANIFEST_TYPES = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json';

describe.skipIf(!!skip)('the node registry and its seeded images', SLOW, () => {
  let dir: string;
  let cache: string;
  let reg: RegistryProcess;
  let b: Buildah;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'node-registry-test-'));
    cache = join(dir, 'cache');   // a cold cache: this test seeds for real
    b = new Buildah(join(dir, 'agent'));
    reg = new RegistryProcess(join(dir, 'registry'), await freePort());
    expect(restoreSeedCache(join(dir, 'registry', 'data'), cache)).toBe(false);
    await reg.start();
    await seedInto(b, reg.address, join(dir, 'registry', 'data'), cache);
    b.mirrorDockerHub(reg.address);
  }, SLOW.timeout);
  afterAll(async () => { await reg?.stop(); rmSync(dir, { recursive: true, force: true }); });

  it('serves the busybox manifest to a HEAD with the manifest Accept types', async () => {
    const url = `http://${reg.address}/v2/${SEEDED.busybox.replace(':', '/manifests/')}`;
    const head = await fetch(url, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
    expect(head.status).toBe(200);
    expect(head.headers.get('docker-content-digest')).toMatch(/^sha256:[0-9a-f]{64}$/);
    const tags = await (await fetch(`http://${reg.address}/v2/library/busybox/tags/list`)).json();
    expect(tags).toEqual({ name: 'library/busybox', tags: ['latest'] });
    const catalog = await (await fetch(`http://${reg.address}/v2/_catalog`)).json();
    expect(catalog.repositories).toEqual(expect.arrayContaining(['library/busybox', 'stand-ins/kaniko-executor']));
  });

  it('answers 404 for the OCI manifest when the HEAD has no Accept header (PROTOCOLS.md)', async () => {
    const head = await fetch(`http://${reg.address}/v2/library/busybox/manifests/latest`, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('fills the cache, so the next registry starts with the images already there', async () => {
    const other = new RegistryProcess(join(dir, 'registry-2'), await freePort());
    expect(restoreSeedCache(join(dir, 'registry-2', 'data'), cache)).toBe(true);
    await other.start();
    try {
      const head = await fetch(`http://${other.address}/v2/library/busybox/manifests/latest`, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
      expect(head.status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('resolves plain `busybox` through the docker.io mirror and runs it with its applets, /etc/passwd and /tmp', async () => {
    const ctr = (await b.ok(['from', '--quiet', '--pull-always', 'busybox'])).trim();
    const p = new ContainerProcess(b, { container: ctr, argv: ['sh', '-c', 'id -un; ls -d /tmp; readlink /bin/ls'], env: {}, hostname: 'seed-test', mounts: [], stdin: false, logPath: join(dir, 'seed.log') });
    expect(await p.exited).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(p.log.records.map((r) => r.text)).toEqual(['root', '/tmp', 'busybox']);
    await b.run(['rm', ctr]);
  });

  it('reports a command missing from the image as StartError with exit code 128', async () => {
    const ctr = (await b.ok(['from', '--quiet', 'busybox'])).trim();
    const p = new ContainerProcess(b, { container: ctr, argv: ['no-such-command'], env: {}, hostname: 'x', mounts: [], stdin: false, logPath: join(dir, 'missing.log') });
    const exit = await p.exited;
    expect(exit, `buildah said: ${p.rawTail}; log: ${JSON.stringify(p.log.records)}`).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(exit.message).toContain('exec: "no-such-command": executable file not found in $PATH');
    expect(p.log.records).toEqual([]);
    await b.run(['rm', ctr]);
  });

  it('stops and starts again on the same port with the same images', async () => {
    await reg.stop();
    await expect(fetch(`http://${reg.address}/v2/`)).rejects.toThrow();
    await reg.start();
    expect((await fetch(`http://${reg.address}/v2/library/busybox/tags/list`)).status).toBe(200);
  });
});
