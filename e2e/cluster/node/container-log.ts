// The log of one container instance, kept like the CRI does: one record per line with a timestamp,
// the stream and whether the line was complete, in memory (for follow) and on disk under the pod's dir.
import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export interface LogRecord { time: Date; stream: 'stdout' | 'stderr'; text: string; complete: boolean }

export class ContainerLog extends EventEmitter {
  readonly records: LogRecord[] = [];
  ended = false;
  private readonly partial = { stdout: '', stderr: '' };
  private readonly file: WriteStream;

  constructor(readonly path: string) {
    super();
    this.setMaxListeners(0);
    mkdirSync(dirname(path), { recursive: true });
    this.file = createWriteStream(path, { flags: 'a' });
  }

  write(stream: 'stdout' | 'stderr', chunk: string): void {
    if (this.ended) return;
    const text = this.partial[stream] + chunk;
    const lines = text.split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.add({ time: new Date(), stream, text: line, complete: true });
  }

  private add(r: LogRecord): void {
    this.records.push(r);
    this.file.write(`${r.time.toISOString()} ${r.stream} ${r.complete ? 'F' : 'P'} ${r.text}\n`);
    this.emit('record', r);
  }

  /** Text not yet ended by a newline, which `kubectl logs` still shows. */
  end(): void {
    if (this.ended) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.add({ time: new Date(), stream, text: this.partial[stream], complete: false });
      this.partial[stream] = '';
    }
    this.ended = true;
    this.file.end();
    this.emit('end');
  }
}

export function formatRecord(r: LogRecord, timestamps: boolean): string {
  return `${timestamps ? `${rfc3339Nano(r.time)} ` : ''}${r.text}${r.complete ? '\n' : ''}`;
}

/** The kubelet's timestamp format: RFC 3339 with nanoseconds. */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
