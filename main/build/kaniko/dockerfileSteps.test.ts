import { describe, expect, it } from 'vitest';
import { dockerfileSteps, stepsToBuild } from './dockerfileSteps';

describe('dockerfileSteps', () => {
  it('lists instructions as Docker counts them: continuations joined, comments and blank lines skipped, meta ARGs counted', () => {
    const steps = dockerfileSteps([
      '# syntax=docker/dockerfile:1',
      'ARG BASE=node:22',
      '',
      'FROM ${BASE} AS Build',
      'WORKDIR /app',
      'RUN apt-get update \\',
      '  # a comment inside the continuation',
      '    && apt-get install -y git',
      'copy . .',
      'FROM nginx:alpine',
      'COPY --from=build /app/dist /usr/share/nginx/html',
    ].join('\n'));
    expect(steps.map((s) => [s.text, s.stage])).toEqual([
      ['ARG BASE=node:22', -1],
      ['FROM ${BASE} AS Build', 0],
      ['WORKDIR /app', 0],
      ['RUN apt-get update && apt-get install -y git', 0],
      ['COPY . .', 0],
      ['FROM nginx:alpine', 1],
      ['COPY --from=build /app/dist /usr/share/nginx/html', 1],
    ]);
    expect(steps[1]!.stageName).toBe('build');
  });

  it('honours the escape directive and skips heredoc bodies', () => {
    const steps = dockerfileSteps('# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir `\n  c:\\\nRUN <<EOF\necho one\nRUN not an instruction\nEOF\nCMD ["x"]\n');
    expect(steps.map((s) => s.text)).toEqual(['FROM mcr.microsoft.com/windows', 'RUN dir c:\\', 'RUN <<EOF', 'CMD ["x"]']);
  });

  it('stops at the target stage, and refuses a target that does not exist', () => {
    const steps = dockerfileSteps('FROM a AS deps\nRUN x\nFROM b AS dev\nRUN y\nFROM c\nRUN z\n');
    expect(stepsToBuild(steps, 'DEV').map((s) => s.text)).toEqual(['FROM a AS deps', 'RUN x', 'FROM b AS dev', 'RUN y']);
    expect(stepsToBuild(steps)).toHaveLength(6);
    expect(() => stepsToBuild(steps, 'prod')).toThrow('the Dockerfile has no stage named "prod"');
  });
});
