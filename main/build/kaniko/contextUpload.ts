// Sends the build context into the build pod: the packed context (packBuildContext, the same
// entries that were hashed) streamed into `tar -xzf -` over exec stdin, then checked. A truncated
// upload is caught twice over: the tar stream ends with a marker file that only arrives if
// everything before it did, and the number of files and links unpacked must equal the number
// sent. (tar alone can miss a cut at an entry boundary, and on pre-v5 exec the exit status is
// not delivered at all.)
import { randomBytes } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { AppError } from '../../ipc/errors';
import type { ContextEntry } from '../context/buildContext';
import { packBuildContext } from '../context/contextPacker';
import { WORKSPACE } from './executorArgs';
import { execInPod } from './podExec';

export interface ContextUploadRequest {
  namespace: string;
  pod: string;
  container: string;
  contextDir: string;
  entries: ContextEntry[];
  /** A Dockerfile that lives outside the context, and where to put it in the pod. */
  outsideDockerfile?: { content: Buffer; path: string };
  signal?: AbortSignal;
}

export interface ContextUploadResult {
  /** Gzipped bytes sent. */
  bytes: number;
  /** Files and symlinks unpacked. */
  files: number;
}

export async function uploadContext(kc: KubeConfig, req: ContextUploadRequest): Promise<ContextUploadResult> {
  const nonce = randomBytes(8).toString('hex');
  const marker = `.devspace-upload-${nonce}`;
  const expected = req.entries.filter((e) => e.type !== 'dir').length;
  let bytes = 0;
  const counter = new Transform({ transform(chunk: Buffer, _enc, cb) { bytes += chunk.length; cb(null, chunk); } });
  const packed = packBuildContext({ contextDir: req.contextDir, entries: req.entries, extraFiles: [{ path: marker, content: Buffer.from(`${nonce} ${expected}\n`) }], signal: req.signal });
  packed.on('error', (err) => counter.destroy(err));
  const stderr: Buffer[] = [];
  const where = { namespace: req.namespace, pod: req.pod, container: req.container, signal: req.signal };
  const untar = await execInPod(kc, {
    ...where,
    command: ['tar', '-xzf', '-', '-C', WORKSPACE],
    stdin: packed.pipe(counter),
    onStderr: (b) => stderr.push(b),
  });
  if (untar.exitCode !== undefined && untar.exitCode !== 0) {
    throw new AppError('CLUSTER_ERROR', `Unpacking the build context in the build pod failed (tar exit code ${untar.exitCode}): ${Buffer.concat(stderr).toString('utf8').trim() || 'no message'}.`, 'The executor image must have tar with gzip support (the Kaniko debug image has it).');
  }
  if (req.outsideDockerfile) {
    const dir = req.outsideDockerfile.path.replace(/\/[^/]*$/, '') || '/';
    const r = await execInPod(kc, { ...where, command: ['sh', '-c', `mkdir -p '${dir}' && cat > '${req.outsideDockerfile.path}'`], stdin: Readable.from([req.outsideDockerfile.content]) });
    if (r.exitCode !== undefined && r.exitCode !== 0) throw new AppError('CLUSTER_ERROR', `Writing the Dockerfile into the build pod failed (exit code ${r.exitCode}).`);
  }
  // The marker is removed before counting, so it never reaches the image.
  const out: Buffer[] = [];
  const check = await execInPod(kc, {
    ...where,
    command: ['sh', '-c', `cd ${WORKSPACE} && cat ${marker} && rm -f ${marker} && find . ! -type d | wc -l${req.outsideDockerfile ? ` && wc -c < '${req.outsideDockerfile.path}'` : ''}`],
    onStdout: (b) => out.push(b),
  });
  const lines = Buffer.concat(out).toString('utf8').trim().split('\n').map((l) => l.trim());
  const files = Number(lines[1]);
  const complete = check.exitCode === 0 && lines[0] === `${nonce} ${expected}` && files === expected
    && (!req.outsideDockerfile || Number(lines[2]) === req.outsideDockerfile.content.length);
  if (!complete) {
    throw new AppError(
      'CLUSTER_ERROR',
      `The build context did not arrive complete in the build pod (sent ${expected} files and links, ${lines[0]?.startsWith(nonce) ? `${Number.isFinite(files) ? files : 'an unknown number'} unpacked` : 'the end of the upload never arrived'}).`,
      'The connection to the cluster may have dropped during the upload; press Up again.',
    );
  }
  return { bytes, files };
}
