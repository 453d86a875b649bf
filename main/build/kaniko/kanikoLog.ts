// Reads the Kaniko executor's output into build log lines, step progress, the error and the pushed
// digest. Kaniko never prints "Step 3/7": it logs each instruction as it runs it (`INFO[0002] RUN
// npm ci`) and each stage as "Building stage 'node:22' [idx: '0', base-idx: '-1']", so steps are
// found by walking the Dockerfile's instruction list forward. Kaniko's default log format forces
// colours (`\x1b[36mINFO\x1b[0m[0002] …`) even without a terminal; those prefixes are made plain.
// Its fatal error is printed with fmt.Println to stdout ("error building image: …"), cobra's flag
// errors to stderr ("Error: unknown flag: --x"): both streams are read the same way.
import type { BuildStep } from '../buildErrors';
import type { DockerfileStep } from './dockerfileSteps';

const TAIL_LINES = 30;
const SGR = /\x1b\[[0-9;]*m/g;
const LEVEL = /^(INFO|WARN|ERRO|DEBU|TRAC|FATA|PANI)\[[^\]]*\]\s?(.*)$/;
const KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'WORKDIR', 'USER', 'EXPOSE', 'LABEL', 'CMD', 'ENTRYPOINT', 'VOLUME', 'SHELL', 'STOPSIGNAL', 'HEALTHCHECK', 'ONBUILD', 'MAINTAINER']);
const FATAL = /^(error building image|error pushing image|error checking push permissions[^:]*|error resolving source context|error resolving dockerfile path|Error): (.*)$/;

export class KanikoLogParser {
  /** The step running now (the last one Kaniko announced). */
  currentStep: BuildStep | undefined;
  /** Kaniko's fatal error line, when it printed one. */
  error: string | undefined;
  digest: string | undefined;
  readonly tail: string[] = [];
  private position = -1;

  /** `steps`: the instructions the build runs (stepsToBuild). */
  constructor(private readonly steps: DockerfileStep[]) {}

  /** One output line → the line to show, and the step it started if any. */
  line(raw: string): { line: string; step?: BuildStep } {
    const plain = raw.replace(SGR, '').replace(/\r$/, '');
    const level = LEVEL.exec(plain);
    // Kaniko's own lines are shown without colour codes; the build's output stays as it was.
    const shown = level ? plain : raw.replace(/\r$/, '');
    if (shown.trim()) {
      this.tail.push(shown);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
    }
    const fatal = FATAL.exec(plain.trim());
    if (fatal) this.error = plain.trim();
    if (!level) return { line: shown };
    const [, lvl, msg] = level as unknown as [string, string, string];
    if (lvl === 'ERRO' || lvl === 'FATA') this.error = msg;
    const pushed = /^Pushed \S+@(sha256:[0-9a-f]{64})/.exec(msg);
    if (pushed) this.digest = pushed[1];
    let next: number | undefined;
    if (/^Building stage '.*' \[idx:/.test(msg)) next = this.find((s) => s.keyword === 'FROM');
    else {
      const kw = /^([A-Z]+)(?:\s|$)/.exec(msg)?.[1];
      if (kw && KEYWORDS.has(kw)) next = this.find((s) => s.keyword === kw && s.stage >= this.stage());
    }
    if (next === undefined) return { line: shown };
    this.position = next;
    const s = this.steps[next]!;
    this.currentStep = { index: next + 1, total: this.steps.length, instruction: s.text };
    return { line: shown, step: this.currentStep };
  }

  private stage(): number {
    return this.position >= 0 ? this.steps[this.position]!.stage : -1;
  }

  private find(pred: (s: DockerfileStep) => boolean): number | undefined {
    for (let i = this.position + 1; i < this.steps.length; i++) if (pred(this.steps[i]!)) return i;
    return undefined;
  }
}

/** Splits a byte stream into lines (UTF-8 safe across chunk borders). */
export class LineSplitter {
  private partial = '';
  private readonly decoder = new TextDecoder();
  constructor(private readonly onLine: (line: string) => void) {}
  write(chunk: Buffer): void {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const l of lines) this.onLine(l);
  }
  end(): void {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    if (rest) this.onLine(rest);
  }
}
