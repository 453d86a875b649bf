// Writes the project's settings (builder, registry, deploy engine, Kaniko image, in-cluster registry) into
// .devspace/config.yaml the way projectSettings.ts reads them, touching only the keys whose value
// changed so the user's comments, key order and formatting survive. Credentials never go in:
// a registry URL with a user or password in it is refused.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Document, isMap, type YAMLMap } from 'yaml';
import type { InClusterRegistrySettings, ProjectSettings } from '../../../preload/api';
import { AppError } from '../../ipc/errors';
import { parseImageRef } from '../../registry/imageRef';
import { chartNameFor } from '../chart/generateChart';
import { type LoadedConfig, parseConfigText, readConfig } from './parseConfig';
import { firstImage, projectSettings } from './projectSettings';
import { CONFIG_FILE, type DevspaceConfig } from './schema';
import { isNamespaceName } from './validateConfig';
import { usesIndentedSequences } from './writeConfig';

/** The registry entry name the app uses when the image names none (DevSpace's own default). */
export const DEFAULT_REGISTRY_NAME = 'default';
/** DevSpace v1alpha1's name for its in-cluster registry: never turned into an external one. */
const LEGACY_INTERNAL = 'internal';

const HOST = String.raw`(?:localhost|\[[0-9a-fA-F:]+\]|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)`;
const PATH_COMPONENT = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*`;
const REGISTRY_URL = new RegExp(`^${HOST}(?::(\\d{1,5}))?(?:/${PATH_COMPONENT})*$`);

/** Why a registry URL cannot be used, in the user's words, or undefined when it is fine. */
export function registryUrlProblem(url: string): string | undefined {
  const u = url.trim();
  if (!u) return 'Enter the registry, e.g. ghcr.io/acme or registry.example.com:5000/team.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) return `Leave out "${/^[a-z][a-z0-9+.-]*:\/\//i.exec(u)![0]}": write the registry as host[:port][/path], e.g. ghcr.io/acme. Mark it insecure for plain HTTP.`;
  if (u.includes('@')) return 'The registry URL must not contain a user name or password: log in to the registry in the Registry panel instead (logins are kept encrypted, never in config.yaml).';
  if (/\s/.test(u)) return 'The registry URL must not contain spaces.';
  const m = REGISTRY_URL.exec(u);
  if (!m) return `"${u}" is not a registry address: write host[:port][/path] with a lower-case path, e.g. ghcr.io/acme or registry.example.com:5000/team.`;
  if (m[1] !== undefined) {
    const port = Number(m[1]);
    if (port < 1 || port > 65535) return `Port ${m[1]} is not a port number from 1 to 65535.`;
  }
  return undefined;
}

/** The settings cleaned up (trimmed, defaults filled), or an INVALID_ARGUMENT naming the field. */
export function checkSettings(s: ProjectSettings): ProjectSettings {
  const out: ProjectSettings = { builder: s.builder, deployEngine: s.deployEngine, registry: { kind: 'in-cluster' } };
  if (s.registry.kind === 'external') {
    const url = s.registry.url.trim().replace(/\/+$/, '');
    const problem = registryUrlProblem(url);
    if (problem) throw new AppError('INVALID_ARGUMENT', `Registry URL: ${problem}`, 'Fix the registry URL in Settings, then save again.');
    out.registry = { kind: 'external', url, insecure: s.registry.insecure === true };
  }
  const kaniko = checkImage(s.kanikoImage, 'Kaniko image', 'gcr.io/kaniko-project/executor:debug');
  if (kaniko) out.kanikoImage = kaniko;
  const r = s.inClusterRegistry;
  if (r) {
    const reg: InClusterRegistrySettings = {};
    if (r.port !== undefined) {
      if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) throw new AppError('INVALID_ARGUMENT', `Registry port: ${r.port} is not a port number from 1 to 65535.`, 'Pick a port that is free on every node, e.g. 5000 or 5001.');
      reg.port = r.port;
    }
    const ns = r.namespace?.trim();
    if (ns) {
      if (!isNamespaceName(ns)) throw new AppError('INVALID_ARGUMENT', `Registry namespace: "${ns}" is not a namespace name.`, 'Use at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit.');
      reg.namespace = ns;
    }
    const image = checkImage(r.image, 'Registry image', 'registry:2');
    if (image) reg.image = image;
    const proxyImage = checkImage(r.proxyImage, 'Registry proxy image', 'alpine/socat:latest');
    if (proxyImage) reg.proxyImage = proxyImage;
    if (Object.keys(reg).length) out.inClusterRegistry = reg;
  }
  return out;
}

/** A trimmed image name, undefined when empty, or an INVALID_ARGUMENT that names the field first. */
function checkImage(value: string | undefined, field: string, example: string): string | undefined {
  const image = value?.trim();
  if (!image) return undefined;
  try {
    parseImageRef(image);
  } catch (err) {
    throw new AppError('INVALID_ARGUMENT', `${field}: "${image}" is not an image name (${(err as Error).message}).`, `Use a name like ${example}, or leave the field empty for the default.`);
  }
  if (image.includes('@') && !/@sha256:[0-9a-f]{64}$/.test(image)) {
    throw new AppError('INVALID_ARGUMENT', `${field}: the name must not contain credentials.`, 'Log in to its registry in the Registry panel instead.');
  }
  return image;
}

/**
 * Applies `next` to the parsed config document, changing only what differs from what the file
 * says now. `projectName` names a new image entry when the file has none and one is needed.
 */
export function applySettings(doc: Document, config: DevspaceConfig, next: ProjectSettings, projectName: string): void {
  const now = projectSettings(config);
  let image = firstImage(config);
  const registryChanged = !sameSettings({ ...now, registry: next.registry }, now);
  const needImage = now.builder !== next.builder || now.kanikoImage !== next.kanikoImage || registryChanged;
  if (needImage && !image) {
    // No images: yet (a hand-written config): the one Up builds is named after the release.
    const name = config.devSpace?.deployments?.[0]?.name ?? chartNameFor(projectName);
    if (!isMap(doc.get('images', true))) doc.set('images', doc.createNode({}));
    doc.setIn(['images', 'default'], doc.createNode({ name }));
    image = { key: 'default', image: { name } };
  }
  const imagePath = ['images', image?.key ?? 'default'];

  if (now.builder !== next.builder) doc.setIn([...imagePath, 'build', 'engine'], next.builder);

  if (now.kanikoImage !== next.kanikoImage) {
    const kanikoPath = [...imagePath, 'build', 'kaniko'];
    if (next.kanikoImage) doc.setIn([...kanikoPath, 'image'], next.kanikoImage);
    else {
      doc.deleteIn([...kanikoPath, 'image']);
      const kaniko = doc.getIn(kanikoPath, true);
      if (isMap(kaniko) && kaniko.items.length === 0) doc.deleteIn(kanikoPath);
    }
  }

  if (registryChanged) {
    if (next.registry.kind === 'in-cluster') {
      // The registries: entry stays (other images or a later switch back may use it).
      doc.deleteIn([...imagePath, 'registry']);
    } else {
      const named = image?.image.registry;
      const name = named && named !== LEGACY_INTERNAL ? named : DEFAULT_REGISTRY_NAME;
      if (!isMap(doc.get('registries', true))) doc.set('registries', doc.createNode({}));
      const existing = doc.getIn(['registries', name], true);
      if (!isMap(existing)) doc.setIn(['registries', name], doc.createNode({ url: next.registry.url, insecure: next.registry.insecure }));
      else {
        const entry = existing as YAMLMap;
        if (entry.get('url') !== next.registry.url) entry.set('url', next.registry.url);
        if ((entry.get('insecure') === true) !== next.registry.insecure) entry.set('insecure', next.registry.insecure);
      }
      if (named !== name) doc.setIn([...imagePath, 'registry'], name);
    }
  }

  const regNow = now.inClusterRegistry ?? {};
  const regNext = next.inClusterRegistry ?? {};
  for (const key of ['port', 'namespace', 'image', 'proxyImage'] as const) {
    if (regNow[key] === regNext[key]) continue;
    if (regNext[key] !== undefined) {
      if (!isMap(doc.get('internalRegistry', true))) doc.set('internalRegistry', doc.createNode({}));
      doc.setIn(['internalRegistry', key], regNext[key]);
    } else {
      doc.deleteIn(['internalRegistry', key]);
      const left = doc.get('internalRegistry', true);
      if (isMap(left) && left.items.length === 0) doc.delete('internalRegistry');
    }
  }

  if (now.deployEngine !== next.deployEngine) {
    if (!config.devSpace?.deployments?.length) {
      throw new AppError('CONFIG_INVALID', `${CONFIG_FILE} has no deployment (devSpace.deployments) to set the deploy engine on.`, 'Add a deployment with a chartPath to the file, or delete the file to have the next Up write a new one.');
    }
    doc.setIn(['devSpace', 'deployments', 0, 'helm', 'engine'], next.deployEngine);
  }
}

/** The new file text for `next`, read back and checked before anyone writes it. */
export function settingsText(loaded: LoadedConfig, originalText: string, next: ProjectSettings, projectName: string): string {
  applySettings(loaded.document, loaded.config, next, projectName);
  const text = loaded.document.toString({ indentSeq: usesIndentedSequences(originalText) });
  // A file we cannot read back, or that reads back as something else, is never written.
  const back = projectSettings(parseConfigText(text, loaded.file).config);
  if (!sameSettings(back, next)) {
    throw new AppError('INTERNAL', `The settings could not be written to ${CONFIG_FILE} so that they read back the same; the file was left as it is.`, `Edit ${CONFIG_FILE} by hand (see the README's config section).`);
  }
  return text;
}

export function sameSettings(a: ProjectSettings, b: ProjectSettings): boolean {
  const key = (s: ProjectSettings) =>
    JSON.stringify([
      s.builder, s.deployEngine, s.kanikoImage ?? null, s.registry.kind, s.registry.kind === 'external' ? [s.registry.url, s.registry.insecure] : null,
      ['port', 'namespace', 'image', 'proxyImage'].map((k) => s.inClusterRegistry?.[k as keyof InClusterRegistrySettings] ?? null),
    ]);
  return key(a) === key(b);
}

/** Writes the settings into the project's config.yaml; returns what the file now says. */
export async function saveProjectSettings(projectDir: string, settings: ProjectSettings): Promise<ProjectSettings> {
  const next = checkSettings(settings);
  const loaded = await readConfig(projectDir);
  if (!loaded) throw new AppError('CONFIG_INVALID', `${CONFIG_FILE} does not exist yet.`, 'Click Up once; the first Up writes .devspace/config.yaml');
  const original = await fs.readFile(loaded.file, 'utf8');
  const text = settingsText(loaded, original, next, path.basename(projectDir));
  if (text !== original) await writeAtomically(loaded.file, text);
  return projectSettings(parseConfigText(text, loaded.file).config);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const stat = await fs.stat(file).catch(() => null);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, text, { mode: stat ? stat.mode & 0o777 : 0o644, flag: 'wx' });
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.unlink(tmp).catch(() => {});
    throw new AppError('PERMISSION_DENIED', `Could not write ${CONFIG_FILE}: ${(err as Error).message}`, 'Check that the project folder is writable.');
  }
}
