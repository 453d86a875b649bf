import { describe, expect, it } from 'vitest';
import { dockerfileSteps } from './dockerfileSteps';
import { KanikoLogParser, LineSplitter } from './kanikoLog';

const info = (t: string, msg: string) => `\x1b[36mINFO\x1b[0m[${t}] ${msg}`;
const DOCKERFILE = 'FROM node:22 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\nEXPOSE 80\n';

describe('KanikoLogParser', () => {
  it('turns Kaniko\'s colored log of a multi-stage build into steps, plain lines and the digest', () => {
    const p = new KanikoLogParser(dockerfileSteps(DOCKERFILE));
    const lines = [
      info('0000', 'Retrieving image manifest node:22'),
      info('0001', "Building stage 'node:22' [idx: '0', base-idx: '-1']"),
      info('0001', 'Unpacking rootfs as cmd RUN npm ci requires it.'),
      info('0005', 'WORKDIR /app'),
      info('0005', 'Cmd: workdir'),
      info('0005', 'COPY package*.json ./'),
      info('0005', 'RUN npm ci'),
      info('0009', 'Cmd: /bin/sh'),
      '\x1b[32madded 12 packages\x1b[0m',
      info('0012', 'COPY . .'),
      info('0013', "Building stage 'nginx:alpine' [idx: '1', base-idx: '-1']"),
      info('0014', 'COPY --from=build /app/dist /usr/share/nginx/html'),
      info('0014', 'EXPOSE 80'),
      info('0015', 'Pushing image to registry:5000/app:devspace-1'),
      info('0016', `Pushed registry:5000/app@sha256:${'ab'.repeat(32)}`),
    ];
    const out = lines.map((l) => p.line(l));
    expect(out.filter((o) => o.step).map((o) => `${o.step!.index}/${o.step!.total} ${o.step!.instruction}`)).toEqual([
      '1/8 FROM node:22 AS build', '2/8 WORKDIR /app', '3/8 COPY package*.json ./', '4/8 RUN npm ci', '5/8 COPY . .',
      '6/8 FROM nginx:alpine', '7/8 COPY --from=build /app/dist /usr/share/nginx/html', '8/8 EXPOSE 80',
    ]);
    expect(out[0]!.line).toBe('INFO[0000] Retrieving image manifest node:22');
    expect(out[8]!.line).toBe('\x1b[32madded 12 packages\x1b[0m'); // the build's own output keeps its colours
    expect(p.digest).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(p.error).toBeUndefined();
  });

  it('keeps the failing step and Kaniko\'s fatal line (printed on stdout by the real executor)', () => {
    const p = new KanikoLogParser(dockerfileSteps('FROM busybox\nRUN echo hi\nRUN false\nCMD ["sh"]\n'));
    for (const l of [info('0000', "Building stage 'busybox' [idx: '0', base-idx: '-1']"), info('0000', 'RUN echo hi'), 'hi', info('0001', 'RUN false'), 'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1']) p.line(l);
    expect(p.currentStep).toEqual({ index: 3, total: 4, instruction: 'RUN false' });
    expect(p.error).toBe('error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1');
    expect(p.tail.at(-2)).toBe('INFO[0001] RUN false');
  });

  it('does not move backwards or take output that merely looks like an instruction', () => {
    const p = new KanikoLogParser(dockerfileSteps('FROM a\nRUN one\nRUN two\n'));
    p.line(info('0', "Building stage 'a' [idx: '0', base-idx: '-1']"));
    p.line('RUN two'); // the build's output, not Kaniko's
    expect(p.currentStep?.index).toBe(1);
    p.line(info('1', 'RUN one'));
    p.line(info('1', 'RUN two'));
    p.line(info('1', 'COPY x y')); // not in the Dockerfile: ignored
    expect(p.currentStep).toEqual({ index: 3, total: 3, instruction: 'RUN two' });
  });
});

describe('LineSplitter', () => {
  it('splits across chunks without breaking multi-byte characters', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('grüße\nzwei\ndrei');
    s.write(bytes.subarray(0, 3)); // cuts "ü" in half
    s.write(bytes.subarray(3, 12));
    s.write(bytes.subarray(12));
    s.end();
    expect(lines).toEqual(['grüße', 'zwei', 'drei']);
  });
});
