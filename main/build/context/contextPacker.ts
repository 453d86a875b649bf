// Packs a build context into a gzipped tar stream, the form both the Docker Engine API (/build)
// and Kaniko (tar://stdin) take. It streams: tar bytes are gathered into ~1 MB chunks for gzip
// (which compresses on the thread pool while the next files are read), large files are piped in
// pieces, backpressure from the consumer pauses reading, and nothing holds the whole context.
// Entries carry their permission bits, uid/gid 0 (as `docker build` sends them), symlinks stay
// links, empty folders are kept. Modification times are kept by default, as the Docker CLI does
// (tools such as make and Python's zip writers rely on them); pass `mtime` to pin them to one date
// for byte-identical tars.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { AppError } from '../../ipc/errors';
import { contextReadError, type ContextEntry } from './buildContext';
import { padding, TAR_END, tarHeader, type TarHeaderFields } from './tarHeader';
import { timeSlicer } from './timeSlicer';

export interface ExtraContextFile {
  /** Path inside the tar, '/'-separated. */
  path: string;
  content: Buffer;
  mode?: number;
}

export interface PackOptions {
  contextDir: string;
  entries: Iterable<ContextEntry> | AsyncIterable<ContextEntry>;
  /** 'keep' (default) keeps each file's mtime; a Date sets every entry to it. */
  mtime?: 'keep' | Date;
  /** zlib level 0–9; default 6, what `gzip`/`tar czf` use. */
  gzipLevel?: number;
  /** Files added after the context, e.g. a Dockerfile that lives outside it. */
  extraFiles?: ExtraContextFile[];
  signal?: AbortSignal;
  /** Called after each entry with running totals (uncompressed bytes of file contents). */
  onProgress?: (p: { entries: number; bytes: number }) => void;
}

/** Above this a file is streamed rather than read whole. */
const STREAM_THRESHOLD = 1 << 20;
/** Tar bytes handed to gzip at once: few large writes keep zlib's per-call overhead small. */
const CHUNK = 1 << 20;

/** Starts packing and returns the gzipped tar as a stream; errors arrive on the stream. */
export function packBuildContext(opts: PackOptions): Readable {
  const gzip = zlib.createGzip({ level: opts.gzipLevel ?? 6, chunkSize: 128 * 1024 });
  writeTar(gzip, opts).then(
    () => gzip.end(),
    (err: unknown) => gzip.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return gzip;
}

/** Packs into a file (used by tests and the benchmark); resolves when the file is complete. */
export async function packBuildContextToFile(opts: PackOptions, file: string): Promise<void> {
  await pipeline(packBuildContext(opts), createWriteStream(file));
}

async function writeTar(gzip: zlib.Gzip, opts: PackOptions): Promise<void> {
  const fixedMtime = opts.mtime instanceof Date ? Math.floor(opts.mtime.getTime() / 1000) : undefined;
  const slice = timeSlicer();
  let parts: Buffer[] = [];
  let pending = 0;
  const flush = async () => {
    if (pending === 0) return;
    const chunk = parts.length === 1 ? parts[0] : Buffer.concat(parts, pending);
    parts = [];
    pending = 0;
    await write(gzip, chunk);
  };
  const push = async (b: Buffer) => {
    if (b.length === 0) return;
    parts.push(b);
    pending += b.length;
    if (pending >= CHUNK) await flush();
  };
  const checkCancel = () => {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'Packing the build context was cancelled.');
    if (gzip.destroyed) throw new AppError('CANCELLED', 'The build context stream was closed before it was complete.');
  };

  let entries = 0;
  let bytes = 0;
  for await (const entry of opts.entries) {
    checkCancel();
    const pause = slice();
    if (pause) await pause;
    const fields: TarHeaderFields = {
      name: entry.path,
      type: entry.type,
      mode: entry.mode,
      size: 0,
      mtime: fixedMtime ?? Math.floor(entry.mtimeMs / 1000),
      linkname: entry.linkTarget,
    };
    if (entry.type !== 'file') {
      await push(tarHeader(fields));
    } else if (entry.size <= STREAM_THRESHOLD) {
      const abs = path.join(opts.contextDir, entry.path);
      let content: Buffer;
      try {
        content = readFileSync(abs);
      } catch (err) {
        throw contextReadError(err, abs, entry.path);
      }
      // The file may have changed since the walk: its bytes now are what we send.
      await push(tarHeader({ ...fields, size: content.length }));
      await push(content);
      await push(Buffer.alloc(padding(content.length)));
      bytes += content.length;
    } else {
      await push(tarHeader({ ...fields, size: entry.size }));
      await flush();
      await streamFile(gzip, path.join(opts.contextDir, entry.path), entry.path, entry.size, checkCancel);
      await push(Buffer.alloc(padding(entry.size)));
      bytes += entry.size;
    }
    entries++;
    opts.onProgress?.({ entries, bytes });
  }
  for (const f of opts.extraFiles ?? []) {
    await push(tarHeader({ name: f.path, type: 'file', mode: f.mode ?? 0o644, size: f.content.length, mtime: fixedMtime ?? 0 }));
    await push(f.content);
    await push(Buffer.alloc(padding(f.content.length)));
  }
  await push(TAR_END);
  await flush();
}

async function streamFile(gzip: zlib.Gzip, abs: string, rel: string, size: number, checkCancel: () => void): Promise<void> {
  let read = 0;
  try {
    for await (const chunk of createReadStream(abs, { start: 0, end: size - 1, highWaterMark: CHUNK })) {
      checkCancel();
      read += (chunk as Buffer).length;
      await write(gzip, chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw contextReadError(err, abs, rel);
  }
  if (read !== size) {
    throw new AppError('INTERNAL', `${rel} changed while the build context was being packed.`, 'Wait until nothing writes to the project folder, then try again.');
  }
}

/** Writes with backpressure; fails instead of waiting forever when the stream is gone. */
function write(stream: zlib.Gzip, chunk: Buffer): Promise<void> {
  if (stream.destroyed) return Promise.reject(new AppError('CANCELLED', 'The build context stream was closed before it was complete.'));
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: unknown) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new AppError('CANCELLED', 'The build context stream was closed before it was complete.'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', done);
  });
}
