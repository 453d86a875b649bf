// The instructions of a Dockerfile in order, so Kaniko's log (which prints each instruction as it
// runs, but never "Step 3/7") can be turned into the same step progress the Docker builder shows.
// Only what step counting needs: line continuations, comments, the `escape` parser directive and
// heredocs (`RUN <<EOF … EOF`) — not a full Dockerfile parser.

export interface DockerfileStep {
  /** Upper-case keyword, e.g. "RUN". */
  keyword: string;
  /** The instruction on one line, as `docker build` prints it ("RUN npm ci"). */
  text: string;
  /** Index of the build stage (0-based); -1 for ARGs before the first FROM. */
  stage: number;
  /** The stage's name (`FROM x AS name`), lower-cased, on FROM steps. */
  stageName?: string;
}

/** Every instruction, meta ARGs (before the first FROM) included, as Docker's classic builder counts them. */
export function dockerfileSteps(text: string): DockerfileStep[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let escape = '\\';
  // Parser directives: only at the very top, before any instruction, comment or blank line.
  for (const line of lines) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const steps: DockerfileStep[] = [];
  let stage = -1;
  let current = '';
  let heredocs: string[] = [];
  for (const raw of lines) {
    if (heredocs.length) {
      // Heredoc bodies belong to the instruction; `<<-` allows leading tabs before the terminator.
      if (raw.replace(/^\t+/, '') === heredocs[0]) heredocs.shift();
      continue;
    }
    const line = raw.trimEnd();
    if (!current && (/^\s*#/.test(line) || !line.trim())) continue;
    if (current && /^\s*#/.test(line)) continue; // comments inside a continued instruction are dropped
    if (line.endsWith(escape)) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    current += line.trim();
    const instruction = current.trim();
    current = '';
    if (!instruction) continue;
    const m = /^(\S+)\s*(.*)$/.exec(instruction)!;
    const keyword = m[1]!.toUpperCase();
    if (keyword === 'FROM') stage++;
    const step: DockerfileStep = { keyword, text: `${keyword}${m[2] ? ` ${m[2]}` : ''}`, stage };
    if (keyword === 'FROM') {
      const as = /\s+AS\s+(\S+)\s*$/i.exec(m[2]!);
      if (as) step.stageName = as[1]!.toLowerCase();
    }
    steps.push(step);
    if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') {
      for (const h of m[2]!.matchAll(/<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) heredocs.push(h[2]!);
    }
  }
  return steps;
}

/**
 * The steps a build runs: everything up to the end of the `target` stage (Kaniko, like Docker's
 * classic builder, stops there), or all of them. Throws when the target does not exist.
 */
export function stepsToBuild(steps: DockerfileStep[], target?: string): DockerfileStep[] {
  if (!target) return steps;
  const stage = steps.find((s) => s.keyword === 'FROM' && s.stageName === target.toLowerCase())?.stage;
  if (stage === undefined) throw new Error(`the Dockerfile has no stage named "${target}"`);
  return steps.filter((s) => s.stage <= stage);
}
