// Generated Dockerfiles must be real Dockerfiles: build them with a real builder (Podman's Docker
// API). Offline, so the base images are stand-ins made from busybox under the real names
// (node:22-alpine, python:3.13-slim, nginx:alpine) with fake npm/pip that log their arguments.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerBuilder } from '../build/docker/dockerBuilder';
import { startPodmanEngine, which, type TestEngine } from '../build/docker/testDaemons';
import { BASE_IMAGES } from './dockerfileTemplates';
import { writeGeneratedDockerfile } from './dockerfileGeneration';

const missing = ['podman'].filter((c) => !which(c));
if (!existsSync('/bin/busybox')) missing.push('/bin/busybox');
if (missing.length) console.log(`skipping the generated-Dockerfile builds: ${missing.join(', ')} not installed`);

describe.skipIf(missing.length > 0)('generated Dockerfiles build', () => {
  let engine: TestEngine;
  let builder: DockerBuilder;
  let work = '';

  const standIn = async (image: string, fakeTools: string[]) => {
    const dir = path.join(work, `base-${image.replace(/[^a-z0-9]/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
    const lines = ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', 'RUN mkdir -p /usr/local/bin /usr/share/nginx/html /tmp'];
    for (const tool of fakeTools) {
      writeFileSync(path.join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> /tools.log\n`, { mode: 0o755 });
      lines.push(`COPY ${tool} /usr/local/bin/${tool}`);
    }
    lines.push('ENV PATH=/usr/local/bin:/bin');
    writeFileSync(path.join(dir, 'Dockerfile'), `${lines.join('\n')}\n`);
    await builder.build({ contextDir: dir, imageRef: `docker.io/library/${image}` });
  };

  beforeAll(async () => {
    engine = await startPodmanEngine([]);
    builder = new DockerBuilder({ endpoint: { kind: 'unix', socketPath: engine.socketPath }, dockerConfigDir: '/nonexistent' });
    work = mkdtempSync(path.join(os.tmpdir(), 'ds-genbuild-'));
    await standIn(BASE_IMAGES.node, ['npm', 'yarn', 'node']);
    await standIn(BASE_IMAGES.python, ['pip', 'python']);
    await standIn(BASE_IMAGES.static, []);
  }, 180_000);
  afterAll(async () => {
    await engine?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const buildGenerated = async (name: string, files: Record<string, string>) => {
    const dir = path.join(work, name);
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
    }
    await writeGeneratedDockerfile(dir);
    const steps: string[] = [];
    await builder.build({ contextDir: dir, imageRef: `localhost/${name}:1`, onStep: (s) => steps.push(s.instruction) });
    return steps;
  };

  it('node with npm, a build script and a start script', async () => {
    const steps = await buildGenerated('gen-node', {
      'package.json': JSON.stringify({ scripts: { build: 'tsc', start: 'node dist/server.js' } }),
      'package-lock.json': '{}',
      'server.js': 'app.listen(3000)',
    });
    expect(steps).toEqual(expect.arrayContaining(['RUN npm ci', 'RUN npm run build', 'EXPOSE 3000']));
  });

  it('python with requirements.txt and Flask', async () => {
    const steps = await buildGenerated('gen-python', { 'requirements.txt': 'flask\n', 'app.py': 'app.run(port=5000)\n' });
    expect(steps).toEqual(expect.arrayContaining(['RUN pip install --no-cache-dir -r requirements.txt']));
  });

  it('a static site', async () => {
    const steps = await buildGenerated('gen-static', { 'index.html': '<h1>hi</h1>' });
    expect(steps[0]).toMatch(/^FROM nginx:alpine/);
  });
});
