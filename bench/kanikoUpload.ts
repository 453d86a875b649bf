// Benchmark: context packing + upload into a Kaniko build pod against `tar czf` of the same files
// on this machine. Target (DESIGN.md): packing + upload ≥ 0.8× the speed of tar czf. Measured
// twice: into `cat > /dev/null` in the pod (packing + the exec stream through the API server and
// the node: what the target is about), and the builder's real upload (unpacking with the pod's
// busybox tar, then the completeness check), whose cost is mostly the pod's file system.
//   npx tsx bench/kanikoUpload.ts [--files N] [--rounds R]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { startTestCluster } from '../e2e/cluster/index';
import { packBuildContext } from '../main/build/context/contextPacker';
import { computeBuildHash } from '../main/build/hash/buildHash';
import { BuildPod } from '../main/build/kaniko/buildPod';
import { uploadContext } from '../main/build/kaniko/contextUpload';
import { execInPod } from '../main/build/kaniko/podExec';
import { waitForBuildPod } from '../main/build/kaniko/podReady';
import { DEFAULT_EXECUTOR_IMAGE } from '../main/build/kaniko/kanikoBuilder';
import { loadKubeconfig } from '../main/kube/kubeconfig';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FILES = arg('files', 2000);
const ROUNDS = arg('rounds', 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kaniko-bench-'));
  // Source-like files: text that compresses like code, in nested folders, plus a few larger assets.
  let seed = 1;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  const words = ['const', 'return', 'function', 'import', 'export', 'value', 'index', 'render', 'state', 'props', '{', '}', '(', ')', ';', '\n'];
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `pkg${i % 40}`, `mod${i % 7}`);
    mkdirSync(sub, { recursive: true });
    const parts: string[] = [];
    const n = 200 + (rand() % 1800);
    for (let w = 0; w < n; w++) parts.push(words[rand() % words.length]!, String(rand() % 1000));
    writeFileSync(join(sub, `file${i}.ts`), parts.join(' '));
  }
  for (let i = 0; i < 5; i++) writeFileSync(join(dir, `asset${i}.bin`), randomBytes(1 << 20));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /app\n');

  const cluster = await startTestCluster();
  try {
    const kc = (await loadKubeconfig([cluster.kubeconfigPath])).kubeConfig('test-admin');
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'bench' } } });
    const { entries } = await computeBuildHash({ contextDir: dir });
    const pod = await BuildPod.create(kc, { namespace: 'bench', projectId: 'bench', buildHash: 'bench', executorImage: DEFAULT_EXECUTOR_IMAGE, log: () => {} });
    try {
      await waitForBuildPod(kc, { namespace: 'bench', name: pod.name, executorImage: DEFAULT_EXECUTOR_IMAGE });
      const tarMs: number[] = [];
      const upMs: number[] = [];
      const streamMs: number[] = [];
      let bytes = 0;
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate, so both see the same machine load.
        let t = performance.now();
        // Through a pipe: GNU tar skips reading the files when the archive itself is /dev/null.
        execFileSync('sh', ['-c', `tar czf - -C '${dir}' . | cat > /dev/null`]);
        tarMs.push(performance.now() - t);
        t = performance.now();
        await execInPod(kc, { namespace: 'bench', pod: pod.name, container: 'kaniko', command: ['sh', '-c', 'cat > /dev/null'], stdin: packBuildContext({ contextDir: dir, entries }) });
        streamMs.push(performance.now() - t);
        await execInPod(kc, { namespace: 'bench', pod: pod.name, container: 'kaniko', command: ['sh', '-c', 'rm -rf /workspace/* /workspace/.[!.]*; true'] });
        t = performance.now();
        const up = await uploadContext(kc, { namespace: 'bench', pod: pod.name, container: 'kaniko', contextDir: dir, entries });
        upMs.push(performance.now() - t);
        bytes = up.bytes;
      }
      const tar = median(tarMs);
      const up = median(upMs);
      const stream = median(streamMs);
      console.log(`context: ${FILES + 6} files, ${(bytes / (1 << 20)).toFixed(1)} MiB gzipped; ${ROUNDS} rounds, medians`);
      console.log(`tar czf - | cat > /dev/null (local):        ${tar.toFixed(0)} ms`);
      console.log(`pack + upload into cat > /dev/null in pod:  ${stream.toFixed(0)} ms  → speed ${(tar / stream).toFixed(2)}× of tar czf (target ≥ 0.8×)`);
      console.log(`the builder's upload (+ tar -x in pod, check): ${up.toFixed(0)} ms  → ${(tar / up).toFixed(2)}×`);
    } finally {
      await pod.delete();
    }
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
