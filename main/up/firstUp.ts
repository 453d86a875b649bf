// A project's first Up: .devspace/config.yaml, and a generated Dockerfile and chart where the
// project has none. One function builds the list of files (what `up.preview` shows the user),
// another writes it; nothing existing is replaced (every write is exclusive), and Up writes only
// after the user has confirmed (`up.start` with `acceptGenerated: true`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FirstUpPreview, ProjectInfo } from '../../preload/api';
import { AppError } from '../ipc/errors';
import { chartNameFor, generateChart, writeChart } from '../project/chart/generateChart';
import { parseConfigText } from '../project/config/parseConfig';
import { CONFIG_FILE } from '../project/config/schema';
import { initialConfigText } from '../project/config/writeConfig';
import { previewGeneratedFiles } from '../project/dockerfileGeneration';
import { detectLanguage, type DetectedProject } from '../project/languageDetection';

export interface FirstUpPlan extends FirstUpPreview {
  /** Why Up cannot go on with these files (no Dockerfile and none could be generated). */
  problem?: AppError;
}

export interface FirstUpResult {
  /** Project-relative paths of the files written. */
  written: string[];
  /** Files that appeared meanwhile and were kept as they are. */
  kept: string[];
}

const LANGUAGE_NAMES: Record<string, string> = {
  node: 'Node.js', python: 'Python', go: 'Go', java: 'Java', ruby: 'Ruby', php: 'PHP', dotnet: '.NET', static: 'static web',
};

function describeProject(d: DetectedProject): string {
  const lang = LANGUAGE_NAMES[d.language] ?? d.language;
  const extras = [d.framework, d.packageManager && d.packageManager !== 'none' ? d.packageManager : undefined].filter(Boolean);
  return `a ${lang} project${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

export function firstUpNeedsConfirmation(): AppError {
  return new AppError('INVALID_ARGUMENT', 'This project needs generated files before its first Up.', 'Review them and confirm.');
}

/** The files the first Up would write; writes nothing. `hasConfig`: the project already has its config (not a first Up). */
export async function planFirstUp(project: ProjectInfo, hasConfig: boolean): Promise<FirstUpPlan> {
  const dir = project.path;
  if (hasConfig || existsSync(path.join(dir, CONFIG_FILE))) return { needed: false, files: [], warnings: [] };
  const files: FirstUpPreview['files'] = [];
  const warnings: string[] = [];
  let problem: AppError | undefined;
  let detection: DetectedProject | undefined;

  if (!existsSync(path.join(dir, 'Dockerfile'))) {
    const preview = await previewGeneratedFiles(dir);
    detection = preview.detection;
    if (preview.files.length === 0) {
      warnings.push(`No Dockerfile, and none can be generated: ${preview.summary}`);
      problem = new AppError('INVALID_ARGUMENT', preview.summary, 'Add a Dockerfile to the project folder yourself; DevSpace will build with it.');
    }
    for (const f of preview.files) {
      if (f.exists) continue;
      files.push({
        path: f.relPath,
        content: f.content,
        reason: f.relPath === 'Dockerfile'
          ? `no Dockerfile: generated for ${describeProject(preview.detection)}`
          : `no ${f.relPath}: keeps dependencies and build output out of the image's build context`,
      });
    }
  }
  detection ??= await detectLanguage(dir);
  const ports = detection.port ? [{ port: detection.port }] : [];
  if (!detection.port) warnings.push('No port found in the project: nothing will be forwarded to localhost until you add a port in the Ports panel.');
  const name = chartNameFor(project.name);

  if (!existsSync(path.join(dir, 'chart'))) {
    for (const f of generateChart({ projectName: project.name, ports })) {
      files.push({ path: f.path, content: f.content, reason: 'no chart/ folder: a generated Helm chart that deploys the dev container' });
    }
  } else {
    warnings.push('The project already has a chart/ folder; Up deploys it as it is.');
  }

  const config = initialConfigText({
    deploymentName: name,
    chartPath: 'chart',
    imageName: name,
    labelSelector: { 'app.kubernetes.io/instance': name, 'devspace.sh/component': 'dev' },
    ports: ports.map((p) => ({ localPort: p.port, remotePort: p.port })),
    builder: 'kaniko',
  });
  parseConfigText(config, path.join(dir, CONFIG_FILE)); // never offer a file we could not read back
  files.push({ path: CONFIG_FILE, content: config, reason: `no ${CONFIG_FILE}: the project's DevSpace configuration (deployment, image, ports)` });

  return { needed: true, files, warnings, ...(problem ? { problem } : {}) };
}

/** Writes the planned files; a file that exists already (or appeared meanwhile) is kept as it is. */
export async function writeFirstUp(projectDir: string, files: FirstUpPreview['files']): Promise<FirstUpResult> {
  const r = await writeChart(projectDir, files.map((f) => ({ path: f.path, content: f.content })));
  return { written: r.written, kept: r.skipped };
}

/** Plans and writes the first Up's files (the caller has the user's confirmation). */
export async function prepareFirstUp(project: ProjectInfo): Promise<FirstUpResult> {
  const plan = await planFirstUp(project, false);
  if (plan.problem) throw plan.problem;
  return writeFirstUp(project.path, plan.files);
}
