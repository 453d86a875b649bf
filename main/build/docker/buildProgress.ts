// Reads the JSON progress stream of POST /build into log lines and step progress. Both formats a
// Docker-compatible daemon writes are understood: Docker's classic builder ("Step 3/7 : RUN …")
// and Buildah/Podman's ("STEP 3/7: RUN …"). Errors arrive as {"error", "errorDetail"} messages.
import type { BuildStep } from '../buildErrors';

export type BuildEvent =
  | { kind: 'log'; line: string }
  | { kind: 'step'; step: BuildStep }
  | { kind: 'imageId'; id: string }
  | { kind: 'error'; message: string };

const STEP_RE = /^(?:Step|STEP) (\d+)\/(\d+)\s?: ?(.*)$/;
const TAIL_LINES = 30;

export class BuildProgressParser {
  /** The step running now (the last announced). */
  currentStep: BuildStep | undefined;
  imageId: string | undefined;
  error: string | undefined;
  readonly tail: string[] = [];
  private partial = '';

  /** One message of the stream to the events it means. */
  feed(msg: Record<string, unknown>): BuildEvent[] {
    const events: BuildEvent[] = [];
    if (typeof msg.stream === 'string') {
      const text = this.partial + msg.stream;
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      for (const raw of lines) events.push(...this.line(raw.replace(/\r$/, '')));
    }
    if (typeof msg.status === 'string') {
      // pulls of base images: "Pulling from library/node", "Download complete" …
      const id = typeof msg.id === 'string' ? `${msg.id}: ` : '';
      events.push(...this.line(`${id}${msg.status}${typeof msg.progress === 'string' ? ` ${msg.progress}` : ''}`));
    }
    const aux = msg.aux as { ID?: unknown } | undefined;
    if (aux && typeof aux.ID === 'string') {
      this.imageId = aux.ID;
      events.push({ kind: 'imageId', id: aux.ID });
    }
    const detail = msg.errorDetail as { message?: unknown } | undefined;
    const error = typeof detail?.message === 'string' ? detail.message : typeof msg.error === 'string' ? msg.error : undefined;
    if (error !== undefined) {
      this.error = error.trim();
      events.push({ kind: 'error', message: this.error });
    }
    return events;
  }

  /** Whatever is left of an unfinished line at the end of the stream. */
  end(): BuildEvent[] {
    const rest = this.partial;
    this.partial = '';
    return rest ? this.line(rest) : [];
  }

  private line(line: string): BuildEvent[] {
    if (!line.trim()) return [];
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    const events: BuildEvent[] = [{ kind: 'log', line }];
    const m = STEP_RE.exec(line.trim());
    if (m) {
      this.currentStep = { index: Number(m[1]), total: Number(m[2]), instruction: m[3].trim() };
      events.push({ kind: 'step', step: this.currentStep });
    }
    const built = /^Successfully built ([0-9a-f]{12,})$/.exec(line.trim());
    if (built && !this.imageId) this.imageId = built[1];
    return events;
  }
}
