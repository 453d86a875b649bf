// A Helm chart for a project that has none: one Deployment running the dev container (image from
// values, pull secrets, command/args override, env, ports, resources) and a Service for its ports.
// Returned as files so the UI can show them before anything is written; writeChart never
// overwrites a file the user already has.
import { mkdir, open } from 'node:fs/promises';
import * as path from 'node:path';
import { AppError } from '../../ipc/errors';
import { DEPLOYMENT_YAML, HELMIGNORE, HELPERS_TPL, NOTES_TXT, SERVICE_YAML } from './chartTemplates';

export interface ContainerPort {
  port: number;
  /** IANA service name (≤ 15 characters); made up from the port when absent. */
  name?: string;
}

export interface ChartRequest {
  /** The project's name; becomes the chart name (made DNS-safe). */
  projectName: string;
  ports?: ContainerPort[];
  env?: Record<string, string>;
  /** Replaces the image's entrypoint while developing (e.g. ['sleep', 'infinity']). */
  command?: string[];
  args?: string[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  /** Placeholder image for values.yaml; the app injects the image it built at deploy time. */
  image?: { repository: string; tag: string };
}

export interface GeneratedFile {
  /** Relative to the project folder, '/'-separated, under chart/. */
  path: string;
  content: string;
}

/** A valid chart name from a folder name: lowercase letters, digits and '-', starting with a letter. */
export function chartNameFor(projectName: string): string {
  const cleaned = projectName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return cleaned || 'app';
}

function portName(p: ContainerPort, i: number, all: ContainerPort[]): string {
  if (p.name) {
    if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(p.name) || !/[a-z]/.test(p.name) || p.name.includes('--')) {
      throw new AppError('INVALID_ARGUMENT', `The port name "${p.name}" is not a valid Kubernetes port name (up to 15 lowercase letters, digits and '-', with at least one letter).`, 'Rename the port in the ports editor, e.g. "http" or "metrics".');
    }
    return p.name;
  }
  return all.length === 1 && i === 0 ? 'http' : `http-${p.port}`;
}

/** Always quoted: YAML 1.1 (which Helm reads) turns bare y, n, on, off, yes, no into booleans. */
function yamlString(s: string): string {
  return JSON.stringify(s);
}

function valuesYaml(req: ChartRequest, name: string): string {
  const ports = req.ports ?? [];
  for (const p of ports) {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new AppError('INVALID_ARGUMENT', `The port ${p.port} is not a valid port number (1–65535).`);
  }
  const list = (xs: string[] | undefined) => (xs?.length ? `[${xs.map(yamlString).join(', ')}]` : '[]');
  const env = Object.entries(req.env ?? {});
  const res = req.resources;
  const resLines = res && (res.requests || res.limits)
    ? ['resources:', ...(['requests', 'limits'] as const).flatMap((k) => (res[k] ? [`  ${k}:`, ...Object.entries(res[k]!).map(([rk, rv]) => `    ${rk}: ${yamlString(rv)}`)] : []))]
    : ['resources: {}'];
  return [
    `# Values of the chart DevSpace Desktop generated for ${req.projectName}.`,
    '# At deploy time the app sets image.repository, image.tag and pullSecrets to the image it',
    '# built; values in .devspace/config.yaml and your values file win over them.',
    '',
    'replicaCount: 1',
    '',
    'image:',
    `  repository: ${yamlString(req.image?.repository ?? name)}`,
    `  tag: ${yamlString(req.image?.tag ?? 'latest')}`,
    '  pullPolicy: IfNotPresent',
    '',
    '# Names of Secrets holding registry credentials (filled in by the app for its registry).',
    'pullSecrets: []',
    '',
    'containerName: dev',
    '',
    '# Override the image\'s entrypoint while developing, e.g. command: ["sleep", "infinity"].',
    `command: ${list(req.command)}`,
    `args: ${list(req.args)}`,
    '',
    '# Environment variables of the dev container (name: value).',
    env.length ? ['env:', ...env.map(([k, v]) => `  ${yamlString(k)}: ${yamlString(v)}`)].join('\n') : 'env: {}',
    '',
    '# Container ports; each also becomes a port of the Service.',
    ports.length ? ['ports:', ...ports.flatMap((p, i) => [`  - name: ${yamlString(portName(p, i, ports))}`, `    port: ${p.port}`])].join('\n') : 'ports: []',
    '',
    'service:',
    '  type: ClusterIP',
    '',
    ...resLines,
    '',
    'nameOverride: ""',
    'fullnameOverride: ""',
    '',
  ].join('\n');
}

/** The files of a new chart under chart/. Throws AppError INVALID_ARGUMENT naming the bad port when the request is invalid. */
export function generateChart(req: ChartRequest): GeneratedFile[] {
  const name = chartNameFor(req.projectName);
  const sub = (t: string) => t.replaceAll('NAME.', `${name}.`);
  return [
    {
      path: 'chart/Chart.yaml',
      content: [
        'apiVersion: v2',
        `name: ${name}`,
        `description: Deploys ${yamlString(req.projectName).slice(1, -1)} for development (generated by DevSpace Desktop)`,
        'type: application',
        'version: 0.1.0',
        'appVersion: "0.1.0"',
        '',
      ].join('\n'),
    },
    { path: 'chart/values.yaml', content: valuesYaml(req, name) },
    { path: 'chart/.helmignore', content: HELMIGNORE },
    { path: 'chart/templates/_helpers.tpl', content: sub(HELPERS_TPL) },
    { path: 'chart/templates/deployment.yaml', content: sub(DEPLOYMENT_YAML) },
    { path: 'chart/templates/service.yaml', content: sub(SERVICE_YAML) },
    { path: 'chart/templates/NOTES.txt', content: sub(NOTES_TXT) },
  ];
}

/**
 * Writes the files into the project folder. A file that already exists is left as it is and
 * reported as skipped (opened with O_EXCL, so even a file created meanwhile is never replaced).
 */
export async function writeChart(projectDir: string, files: GeneratedFile[]): Promise<{ written: string[]; skipped: string[] }> {
  const root = path.resolve(projectDir);
  const written: string[] = [];
  const skipped: string[] = [];
  for (const f of files) {
    const target = path.resolve(root, f.path);
    if (!target.startsWith(root + path.sep)) throw new AppError('INVALID_ARGUMENT', `Refusing to write ${f.path}: it is outside the project folder.`);
    await mkdir(path.dirname(target), { recursive: true });
    let handle;
    try {
      handle = await open(target, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        skipped.push(f.path);
        continue;
      }
      throw e;
    }
    try {
      await handle.writeFile(f.content, 'utf8');
    } finally {
      await handle.close();
    }
    written.push(f.path);
  }
  return { written, skipped };
}
