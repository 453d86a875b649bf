// Writes `.devspace/config.yaml`: a documented first version on the first Up, and targeted edits
// afterwards (the port-mapping editor) that change only the values that changed, so the user's
// comments, key order and formatting survive.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { AppError } from '../../ipc/errors';
import { parseConfigText, readConfig } from './parseConfig';
import { CONFIG_FILE, CONFIG_VERSION, type PortForwarding, type PortMapping } from './schema';

export interface InitialConfig {
  deploymentName: string;
  chartPath: string;
  imageName: string;
  labelSelector: Record<string, string>;
  ports: Array<{ localPort: number; remotePort: number }>;
  builder: 'kaniko' | 'docker';
}

/** The config written on a project's first Up; commented so the file explains itself. */
export function initialConfigText(c: InitialConfig): string {
  const selector = Object.entries(c.labelSelector).map(([k, v]) => `${k}: ${v}`);
  const lines = [
    '# DevSpace Desktop project configuration (compatible with DevSpace v1alpha1).',
    '# Safe to commit: credentials are never stored here.',
    `version: ${CONFIG_VERSION}`,
    'devSpace:',
    '  deployments:',
    `  - name: ${c.deploymentName}`,
    '    helm:',
    `      chartPath: ${c.chartPath}`,
    '  # Ports forwarded to localhost while the project is up (edit them in the app or here).',
    '  ports:',
    '  - labelSelector:',
    ...selector.map((s) => `      ${s}`),
    ...(c.ports.length ? ['    portMappings:', ...c.ports.flatMap((p) => [`    - localPort: ${p.localPort}`, `      remotePort: ${p.remotePort}`])] : ['    portMappings: []']),
    '  # The terminal tab opens this command in the dev container (default: bash if present, else sh).',
    '  terminal:',
    '    labelSelector:',
    ...selector.map((s) => `      ${s}`),
    'images:',
    '  default:',
    `    name: ${c.imageName}`,
    '    build:',
    `      engine: ${c.builder}`,
    '',
  ];
  return lines.join('\n');
}

export async function writeInitialConfig(projectDir: string, c: InitialConfig): Promise<string> {
  const file = path.join(projectDir, CONFIG_FILE);
  const text = initialConfigText(c);
  parseConfigText(text, file); // never write a file we could not read back
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, text, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new AppError('CONFIG_INVALID', `${CONFIG_FILE} already exists; it was left as it is.`);
    throw err;
  }
  return file;
}

/** Saves the port forwardings, touching only what differs from the file. */
export async function savePortForwardings(projectDir: string, forwardings: PortForwarding[]): Promise<void> {
  const loaded = await readConfig(projectDir);
  if (!loaded) throw new AppError('CONFIG_INVALID', `${CONFIG_FILE} does not exist yet.`, 'Click Up once to create it.');
  const doc = loaded.document;
  const key = doc.hasIn(['devSpace', 'portForwarding']) && !doc.hasIn(['devSpace', 'ports']) ? 'portForwarding' : 'ports';
  const seqPath = ['devSpace', key];
  if (!isSeq(doc.getIn(seqPath, true))) doc.setIn(seqPath, doc.createNode([]));
  const seq = doc.getIn(seqPath, true) as YAMLSeq;
  forwardings.forEach((fw, i) => {
    const existing = seq.items[i];
    if (isMap(existing)) updateForwarding(doc, existing, fw);
    else seq.items[i] = doc.createNode(plainForwarding(fw)) as YAMLMap;
  });
  seq.items.splice(forwardings.length);
  const original = await fs.readFile(loaded.file, 'utf8');
  const text = doc.toString({ indentSeq: usesIndentedSequences(original) });
  parseConfigText(text, loaded.file); // validate what we are about to write
  await writeAtomically(loaded.file, text);
}

function updateForwarding(doc: Document, node: YAMLMap, fw: PortForwarding): void {
  setOrDelete(doc, node, ['namespace'], fw.namespace);
  const selector = node.get('labelSelector', true);
  if (isMap(selector)) {
    for (const item of [...selector.items]) {
      const k = String((item.key as { value?: unknown })?.value ?? item.key);
      if (!(k in fw.labelSelector)) selector.delete(k);
    }
    for (const [k, v] of Object.entries(fw.labelSelector)) if (selector.get(k) !== v) selector.set(k, v);
  } else node.set('labelSelector', doc.createNode(fw.labelSelector));
  let mappings = node.get('portMappings', true);
  if (!isSeq(mappings)) {
    node.set('portMappings', doc.createNode([]));
    mappings = node.get('portMappings', true);
  }
  const seq = mappings as unknown as YAMLSeq;
  fw.portMappings.forEach((m, j) => {
    const existing = seq.items[j];
    if (!isMap(existing)) {
      seq.items[j] = doc.createNode(plainMapping(m)) as YAMLMap;
      return;
    }
    for (const field of ['localPort', 'remotePort'] as const) if (Number(existing.get(field)) !== m[field]) existing.set(field, m[field]);
    setOrDelete(doc, existing, ['bindAddress'], m.bindAddress);
    setOrDelete(doc, existing, ['enabled'], m.enabled === false ? false : undefined);
  });
  seq.items.splice(fw.portMappings.length);
  // An empty list written in flow style reads better than a dangling key.
  if (seq.items.length === 0) seq.flow = true;
  else if (seq.flow) seq.flow = false;
}

function setOrDelete(_doc: Document, node: YAMLMap, keyPath: string[], value: unknown): void {
  const key = keyPath[0] as string;
  if (value === undefined) {
    if (node.has(key)) node.delete(key);
  } else if (node.get(key) !== value) node.set(key, value);
}

function plainMapping(m: PortMapping): Record<string, unknown> {
  return {
    localPort: m.localPort,
    remotePort: m.remotePort,
    ...(m.bindAddress ? { bindAddress: m.bindAddress } : {}),
    ...(m.enabled === false ? { enabled: false } : {}),
  };
}

function plainForwarding(fw: PortForwarding): Record<string, unknown> {
  return {
    ...(fw.namespace ? { namespace: fw.namespace } : {}),
    labelSelector: fw.labelSelector,
    portMappings: fw.portMappings.map(plainMapping),
  };
}

/** Whether the file indents list items under their key (`key:\n  - a`) or not (`key:\n- a`). */
export function usesIndentedSequences(text: string): boolean {
  const m = /^( *)[^\s#-][^:\n]*:[ \t]*(?:#.*)?\n( *)- /m.exec(text);
  return m ? (m[2] as string).length > (m[1] as string).length : true;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const current = await fs.readFile(file, 'utf8').catch(() => null);
  if (current === text) return;
  const stat = await fs.stat(file).catch(() => null);
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, { mode: stat ? stat.mode & 0o777 : 0o644 });
  await fs.rename(tmp, file);
}
