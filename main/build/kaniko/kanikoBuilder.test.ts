// The Kaniko builder against the test cluster: its node runs the build pod, its Kaniko stand-in
// builds with buildah and pushes into the cluster's real registry. Every test goes the way Up
// does: hash the context, ask shouldBuild, build, and look at what is left in the cluster.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../../e2e/cluster/index';
import { cannotRunNode } from '../../../e2e/cluster/node/node-test-harness';
import { AppError } from '../../ipc/errors';
import { loadKubeconfig } from '../../kube/kubeconfig';
import { RegistryClient } from '../../registry/registryClient';
import { startTestRegistry, type TestRegistry } from '../../registry/testSupport/testRegistry';
import { BuildFailedError, type BuildStep } from '../buildErrors';
import { computeBuildHash } from '../hash/buildHash';
import { BuildPod, buildPodManifest, buildSelector } from './buildPod';
import { uploadContext } from './contextUpload';
import { execInPod } from './podExec';
import { waitForBuildPod } from './podReady';
import { KanikoBuilder } from './kanikoBuilder';

const skip = cannotRunNode();
if (skip) console.log(`skipping the Kaniko builder tests: ${skip}`);

const NS = 'kaniko-e2e';
const PROJECT = 'my-app';

describe.skipIf(!!skip)('KanikoBuilder on the test cluster', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let builder: KanikoBuilder;
  let dir: string;
  const appLog: string[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ nodeOptions: { backoffScale: 0.05 } });
    kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    builder = new KanikoBuilder({ kubeConfig: kc, namespace: NS, log: (l) => appLog.push(l) });
    dir = mkdtempSync(join(tmpdir(), 'kaniko-project-'));
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const writeProject = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  };
  const imageFor = async () => {
    const h = await computeBuildHash({ contextDir: dir });
    return { ...h, imageRef: `${cluster.registry}/kaniko-e2e/app:${h.tag}` };
  };
  const buildPods = async (projectId = PROJECT) => (await core.listNamespacedPod({ namespace: NS, labelSelector: buildSelector(projectId) })).items;
  const buildSecrets = async () => (await core.listNamespacedSecret({ namespace: NS, labelSelector: buildSelector(PROJECT) })).items;
  /** Waits (without a time assertion) until no build pod of the project is left; the node finalises deletions. */
  const noBuildPodsLeft = async (projectId = PROJECT) => {
    for (;;) {
      const pods = await buildPods(projectId);
      if (pods.length === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Runs the built image and returns what its command printed. */
  const runImage = async (imageRef: string, name: string): Promise<string> => {
    await core.createNamespacedPod({ namespace: NS, body: { metadata: { name }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: imageRef }] } } });
    for (;;) {
      const p: V1Pod = await core.readNamespacedPod({ name, namespace: NS });
      if (p.status?.phase === 'Failed') throw new Error(`the built image did not run: ${JSON.stringify(p.status)}`);
      if (p.status?.phase === 'Succeeded') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // Seen once under load: Succeeded, then an empty log for a moment (the node's log of a
    // finished container lagging behind its status). Read again a few times before judging.
    let text = '';
    for (let i = 0; i < 10 && !text; i++) {
      if (i) await new Promise((r) => setTimeout(r, 300));
      text = await core.readNamespacedPodLog({ name, namespace: NS });
    }
    return text;
  };

  it('builds a fixture project (FROM the base image, a RUN and a COPY step) and pushes it into the cluster registry', async () => {
    writeProject({
      Dockerfile: `FROM ${cluster.baseImage}\nRUN echo "built by kaniko" > /built.txt\nCOPY app.txt /app.txt\nCMD ["cat", "/built.txt", "/app.txt"]\n`,
      'app.txt': 'version 1\n',
    });
    const { imageRef, entries, hash, tag } = await imageFor();
    const registry = { host: cluster.registry };
    expect(await builder.shouldBuild({ imageRef, registry })).toEqual({ build: true, reason: 'not-in-registry' });

    const steps: BuildStep[] = [];
    const log: string[] = [];
    let secretDuringBuild: Promise<unknown> | undefined;
    const result = await builder.build({
      projectId: PROJECT, contextDir: dir, entries, buildHash: hash, imageRef,
      registry: { ...registry, credentials: { username: 'ignored', password: 'by-the-open-registry' } },
      onStep: (s) => steps.push(s),
      onLog: (l) => {
        log.push(l);
        if (l.startsWith('Uploaded the build context')) secretDuringBuild = buildSecrets();
      },
    });

    expect(steps.map((s) => `${s.index}/${s.total} ${s.instruction.split(' ')[0]}`)).toEqual(['1/4 FROM', '2/4 RUN', '3/4 COPY', '4/4 CMD']);
    expect(log.some((l) => /^INFO\[\d+\] Pushing image to /.test(l))).toBe(true);
    expect(log.filter((l) => /^Uploaded the build context: 2 files, /.test(l))).toHaveLength(1);
    const secrets = (await secretDuringBuild) as Awaited<ReturnType<typeof buildSecrets>>;
    expect(secrets).toHaveLength(1);
    expect(secrets[0]!.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secrets[0]!.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Pod', name: result.podName });

    const manifest = await new RegistryClient(cluster.registry).manifest('kaniko-e2e/app', tag);
    expect(manifest.exists).toBe(true);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    if (manifest.exists) expect(manifest.digest).toBe(result.digest);
    expect(await runImage(imageRef, 'run-v1')).toBe('built by kaniko\nversion 1\n');
    await noBuildPodsLeft();
    expect(await buildSecrets()).toEqual([]);
  });

  it('skips a second build of unchanged content: same tag, already in the registry, no build pod created', async () => {
    const { imageRef } = await imageFor();
    cluster.requests.reset();
    const decision = await builder.shouldBuild({ imageRef, registry: { host: cluster.registry } });
    expect(decision).toMatchObject({ build: false, reason: 'already-in-registry' });
    if (decision.build) await builder.build({ projectId: PROJECT, contextDir: dir, imageRef, registry: { host: cluster.registry } });
    expect(cluster.requests.count({ verb: 'create', pathPrefix: `/api/v1/namespaces/${NS}/pods` })).toBe(0);
    // Forcing builds anyway.
    expect(await builder.shouldBuild({ imageRef, registry: { host: cluster.registry }, force: true })).toEqual({ build: true, reason: 'forced' });
  });

  it('gives a changed file a new tag, and builds it', async () => {
    const before = await imageFor();
    writeProject({ 'app.txt': 'version 2\n' });
    const after = await imageFor();
    expect(after.tag).not.toBe(before.tag);
    expect((await builder.shouldBuild({ imageRef: after.imageRef, registry: { host: cluster.registry } })).build).toBe(true);
    cluster.requests.reset();
    const r = await builder.build({ projectId: PROJECT, contextDir: dir, entries: after.entries, buildHash: after.hash, imageRef: after.imageRef, registry: { host: cluster.registry } });
    expect(r.podName).toMatch(/^devspace-build-/);
    // One pod, then three execs into it (tar, the upload check, the executor): all are "create" on pods.
    expect(cluster.requests.count({ verb: 'create', pathPrefix: `/api/v1/namespaces/${NS}/pods` })).toBe(4);
    expect(cluster.requests.count({ verb: 'create', pathPrefix: `/api/v1/namespaces/${NS}/pods/${r.podName}/exec` })).toBe(3);
    expect(await new RegistryClient(cluster.registry).tags('kaniko-e2e/app')).toEqual(expect.arrayContaining([before.tag, after.tag]));
    expect(await runImage(after.imageRef, 'run-v2')).toBe('built by kaniko\nversion 2\n');
  });

  it('fails a broken Dockerfile step with the step and the message, and leaves no build pod', async () => {
    writeProject({ Dockerfile: `FROM ${cluster.baseImage}\nCOPY app.txt /app.txt\nRUN echo about to fail && false\nCMD ["true"]\n` });
    const { imageRef, entries, hash } = await imageFor();
    const log: string[] = [];
    const err = await builder.build({ projectId: PROJECT, contextDir: dir, entries, buildHash: hash, imageRef, registry: { host: cluster.registry }, onLog: (l) => log.push(l) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BuildFailedError);
    const e = err as BuildFailedError;
    expect(e.code).toBe('BUILD_FAILED');
    expect(e.step).toEqual({ index: 3, total: 4, instruction: 'RUN echo about to fail && false' });
    expect(e.message).toMatch(/^Step 3\/4 \(RUN echo about to fail && false\) failed: error building image: /);
    expect(e.logTail).toContain('about to fail');
    expect(log).toContain('about to fail');
    await noBuildPodsLeft();
    expect(await buildSecrets()).toEqual([]);
    expect((await new RegistryClient(cluster.registry).manifest('kaniko-e2e/app', imageRef.split(':').pop()!)).exists).toBe(false);
  });

  it('cancels mid-build: the executor is stopped and the build pod deleted', async () => {
    writeProject({ Dockerfile: `FROM ${cluster.baseImage}\nRUN echo sleeping && sleep 300\nCMD ["true"]\n` });
    const { imageRef, entries, hash } = await imageFor();
    const ac = new AbortController();
    let podName = '';
    const err = await builder.build({
      projectId: PROJECT, contextDir: dir, entries, buildHash: hash, imageRef, registry: { host: cluster.registry }, signal: ac.signal,
      onLog: (l) => {
        podName ||= /^Build pod (\S+):/.exec(l)?.[1] ?? '';
        if (l === 'sleeping') ac.abort(); // the RUN step is running
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CANCELLED');
    expect(podName).toMatch(/^devspace-build-/);
    // Deleted by the builder (not by the pod ending: it would sleep for hours).
    await noBuildPodsLeft();
    expect((await new RegistryClient(cluster.registry).manifest('kaniko-e2e/app', imageRef.split(':').pop()!)).exists).toBe(false);
  });

  it('reports a connection dropped during the build as such (not as a Dockerfile error), and removes the pod', async () => {
    writeProject({ Dockerfile: `FROM ${cluster.baseImage}\nRUN echo waiting && sleep 300\n` });
    const { imageRef, entries, hash } = await imageFor();
    const err = await builder.build({
      projectId: PROJECT, contextDir: dir, entries, buildHash: hash, imageRef, registry: { host: cluster.registry },
      onLog: (l) => { if (l === 'waiting') cluster.faults.dropStreams(); },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).not.toBeInstanceOf(BuildFailedError);
    expect((err as AppError).code).toBe('CLUSTER_UNREACHABLE');
    expect((err as AppError).message).toMatch(/^The connection to the build pod devspace-build-\S+ dropped during the build \(at step 2\/2\)\.$/);
    await noBuildPodsLeft();
  });

  it('cleanupLeftovers removes stale build pods and Secrets of the project, and nothing else', async () => {
    const stale = await core.createNamespacedPod({ namespace: NS, body: buildPodManifest({ namespace: NS, projectId: PROJECT, buildHash: 'abcdef012345', executorImage: 'gcr.io/kaniko-project/executor:debug' }) });
    const other = await core.createNamespacedPod({ namespace: NS, body: buildPodManifest({ namespace: NS, projectId: 'other-project', buildHash: 'abcdef012345', executorImage: 'gcr.io/kaniko-project/executor:debug' }) });
    // The project's own app pod carries the project label but is no build pod.
    await core.createNamespacedPod({ namespace: NS, body: { metadata: { name: 'my-app-web', labels: { 'app.kubernetes.io/managed-by': 'devspace-desktop', 'devspace.sh/project': PROJECT } }, spec: { containers: [{ name: 'web', image: cluster.baseImage, command: ['sleep', '3600'] }] } } });
    await core.createNamespacedSecret({ namespace: NS, body: { metadata: { generateName: 'devspace-build-', labels: stale.metadata!.labels! }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') } } });

    const removed = await builder.cleanupLeftovers(PROJECT);
    expect(removed).toEqual([stale.metadata!.name]);
    await noBuildPodsLeft();
    expect(await buildSecrets()).toEqual([]);
    expect((await buildPods('other-project')).map((p) => p.metadata?.name)).toEqual([other.metadata!.name]);
    expect((await core.readNamespacedPod({ name: 'my-app-web', namespace: NS })).metadata?.deletionTimestamp).toBeUndefined();
  });

  it('explains an executor image the cluster cannot pull, and removes the pod', async () => {
    const broken = new KanikoBuilder({ kubeConfig: kc, namespace: NS, executorImage: `${cluster.registry}/nowhere/executor:debug` });
    const { imageRef, entries, hash } = await imageFor();
    const err = await broken.build({ projectId: 'pull-test', contextDir: dir, entries, buildHash: hash, imageRef, registry: { host: cluster.registry } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(new RegExp(`cannot pull the Kaniko executor image ${cluster.registry}/nowhere/executor:debug \\((ErrImagePull|ImagePullBackOff)`));
    expect((err as AppError).hint).toMatch(/executor image/);
    await noBuildPodsLeft('pull-test');
  });

  it('uploads the context intact (odd names, links, empty folders, modes) and refuses an unpacked tree that differs from what was sent', async () => {
    const ctx = mkdtempSync(join(tmpdir(), 'kaniko-upload-'));
    try {
      mkdirSync(join(ctx, 'empty dir'));
      mkdirSync(join(ctx, 'src'));
      writeFileSync(join(ctx, 'src', 'grüße — "quoted" name.txt'), 'unicode\n');
      writeFileSync(join(ctx, 'run.sh'), '#!/bin/sh\necho ok\n', { mode: 0o755 });
      writeFileSync(join(ctx, 'big.bin'), Buffer.alloc(3 << 20, 7));
      symlinkSync('src', join(ctx, 'link'));
      writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\n');
      const { entries } = await computeBuildHash({ contextDir: ctx });
      const pod = await BuildPod.create(kc, { namespace: NS, projectId: 'upload-test', buildHash: 'aa', executorImage: builder.executorImage, log: () => {} });
      try {
        await waitForBuildPod(kc, { namespace: NS, name: pod.name, executorImage: builder.executorImage });
        const up = await uploadContext(kc, { namespace: NS, pod: pod.name, container: 'kaniko', contextDir: ctx, entries });
        expect(up.files).toBe(5);
        const out: Buffer[] = [];
        await execInPod(kc, { namespace: NS, pod: pod.name, container: 'kaniko', command: ['sh', '-c', 'cd /workspace && ls -A | sort && cat "src/grüße — \\"quoted\\" name.txt" && ls -l run.sh | cut -c1-10 && readlink link && wc -c < big.bin && ls -d "empty dir"'], onStdout: (b) => out.push(b) });
        expect(Buffer.concat(out).toString()).toBe('Dockerfile\nbig.bin\nempty dir\nlink\nrun.sh\nsrc\nunicode\n-rwxr-xr-x\nsrc\n3145728\nempty dir\n');
        // A second upload into the same folder unpacks more than was sent: the check must notice.
        const err = await uploadContext(kc, { namespace: NS, pod: pod.name, container: 'kaniko', contextDir: ctx, entries: entries.filter((e) => e.path !== 'big.bin') }).catch((e: unknown) => e);
        expect((err as AppError).message).toBe('The build context did not arrive complete in the build pod (sent 4 files and links, 5 unpacked).');
      } finally {
        await pod.delete();
      }
    } finally {
      rmSync(ctx, { recursive: true, force: true });
    }
  });

  describe('with a registry that needs a login', () => {
    let reg: TestRegistry;
    beforeAll(async () => { reg = await startTestRegistry({ htpasswd: { username: 'builder', password: 's3cret' } }); });
    afterAll(async () => { await reg?.stop(); });

    it('pushes with the credentials from the mounted Secret, and names the push as the failure without them', async () => {
      writeProject({ Dockerfile: `FROM ${cluster.baseImage}\nCOPY app.txt /app.txt\n` });
      const { entries, hash, tag } = await imageFor();
      const imageRef = `${reg.host}/team/app:${tag}`;
      const credentials = { username: 'builder', password: 's3cret' };
      const denied = await builder.build({ projectId: PROJECT, contextDir: dir, entries, buildHash: hash, imageRef, registry: { host: reg.host } }).catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(BuildFailedError);
      expect((denied as BuildFailedError).message).toMatch(/^Pushing the image failed: error pushing image: /);
      await builder.build({ projectId: PROJECT, contextDir: dir, entries, buildHash: hash, imageRef, registry: { host: reg.host, credentials } });
      const check = await builder.shouldBuild({ imageRef, registry: { host: reg.host, credentials } });
      expect(check).toMatchObject({ build: false, reason: 'already-in-registry' });
    });
  });
});
