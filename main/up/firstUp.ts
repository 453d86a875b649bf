// A project's first Up: writes .devspace/config.yaml, and a generated Dockerfile and chart where
// the project has none. Nothing existing is replaced (every write is exclusive).
// Not yet: the user's confirmation before writing (the UI piece shows previewGeneratedFiles and
// generateChart's files first); for now Up writes them directly and says so in its step detail.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProjectInfo } from '../../preload/api';
import { chartNameFor, generateChart, writeChart } from '../project/chart/generateChart';
import { writeInitialConfig } from '../project/config/writeConfig';
import { detectLanguage } from '../project/languageDetection';
import { writeGeneratedDockerfile } from '../project/dockerfileGeneration';

export interface FirstUpResult {
  /** Project-relative paths of the files written. */
  written: string[];
}

export async function prepareFirstUp(project: ProjectInfo): Promise<FirstUpResult> {
  const dir = project.path;
  const written: string[] = [];
  const rel = (p: string) => path.relative(dir, path.resolve(dir, p)).split(path.sep).join('/');
  if (!existsSync(path.join(dir, 'Dockerfile'))) {
    const r = await writeGeneratedDockerfile(dir);
    written.push(...r.written.map(rel));
  }
  const detection = await detectLanguage(dir);
  const ports = detection.port ? [{ port: detection.port }] : [];
  const name = chartNameFor(project.name);
  if (!existsSync(path.join(dir, 'chart'))) {
    const r = await writeChart(dir, generateChart({ projectName: project.name, ports }));
    written.push(...r.written.map(rel));
  }
  const file = await writeInitialConfig(dir, {
    deploymentName: name,
    chartPath: 'chart',
    imageName: name,
    labelSelector: { 'app.kubernetes.io/instance': name, 'devspace.sh/component': 'dev' },
    ports: ports.map((p) => ({ localPort: p.port, remotePort: p.port })),
    builder: 'kaniko',
  });
  written.push(rel(file));
  return { written };
}
