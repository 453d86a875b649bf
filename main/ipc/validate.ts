// Runtime validation of request arguments: the renderer is untrusted input (a browser tab, a
// compromised page), so every method's arguments are checked here before any handler runs.
import type { ApiMethod, ArgsOf } from '../../preload/api';
import { AppError } from './errors';

type Check = (v: unknown, what: string) => void;

const str: Check = (v, what) => {
  if (typeof v !== 'string') throw bad(`${what} must be text`);
  if (v.length > 4096) throw bad(`${what} is too long`);
  if (v.includes('\0')) throw bad(`${what} contains a NUL character`);
};
const optStr: Check = (v, what) => {
  if (v !== undefined && v !== null) str(v, what);
};
const absPath: Check = (v, what) => {
  str(v, what);
  const s = v as string;
  if (!(s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s) || s.startsWith('\\\\'))) throw bad(`${what} must be an absolute path`);
};
const obj = (fields: Record<string, Check>, optional = false): Check => (v, what) => {
  if ((v === undefined || v === null) && optional) return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${what} must be an object`);
  for (const key of Object.keys(v)) if (!(key in fields)) throw bad(`${what} has an unknown field "${key}"`);
  for (const [key, check] of Object.entries(fields)) check((v as Record<string, unknown>)[key], `${what}.${key}`);
};
const text: Check = (v, what) => {
  // Terminal input and pasted text may be long, but not unbounded.
  if (typeof v !== 'string') throw bad(`${what} must be text`);
  if (v.length > 1024 * 1024) throw bad(`${what} is too long`);
};
const int = (min: number, max: number): Check => (v, what) => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw bad(`${what} must be a whole number from ${min} to ${max}`);
};
const optInt = (min: number, max: number): Check => (v, what) => {
  if (v !== undefined && v !== null) int(min, max)(v, what);
};
const optStrList: Check = (v, what) => {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v) || v.length > 256) throw bad(`${what} must be a list of text`);
  v.forEach((item, i) => str(item, `${what}[${i}]`));
};
/** Shallow check only: the config validator checks the contents field by field. */
const listOfObjects = (max: number): Check => (v, what) => {
  if (!Array.isArray(v) || v.length > max) throw bad(`${what} must be a list of at most ${max} entries`);
  v.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw bad(`${what}[${i}] must be an object`);
  });
};
const optBool: Check = (v, what) => {
  if (v !== undefined && v !== null && typeof v !== 'boolean') throw bad(`${what} must be true or false`);
};

const oneOf = (...values: string[]): Check => (v, what) => {
  if (typeof v !== 'string' || !values.includes(v)) throw bad(`${what} must be one of ${values.join(', ')}`);
};
const settingsCheck: Check = (v, what) => {
  obj({
    builder: oneOf('kaniko', 'docker'),
    registry: () => {},
    deployEngine: oneOf('helm3', 'tiller'),
    kanikoImage: optStr,
    inClusterRegistry: obj({ port: optInt(1, 65535), namespace: optStr, image: optStr, proxyImage: optStr }, true),
  })(v, what);
  const registry = (v as { registry: unknown }).registry;
  const kind = (registry as { kind?: unknown } | null)?.kind;
  if (kind === 'external') obj({ kind: str, url: str, insecure: optBool })(registry, `${what}.registry`);
  else obj({ kind: oneOf('in-cluster') })(registry, `${what}.registry`);
};

function bad(message: string): AppError {
  return new AppError('INVALID_ARGUMENT', `Invalid request: ${message}.`);
}

/** Per method: the checks of each positional argument (the count is checked too). */
const schemas: { [M in ApiMethod]: Check[] } = {
  'app.info': [],
  'projects.pick': [],
  'projects.open': [absPath],
  'projects.current': [],
  'projects.close': [],
  'projects.recent': [],
  'projects.removeRecent': [str],
  'fs.list': [absPath, obj({ showHidden: optBool }, true)],
  'cluster.contexts': [],
  'cluster.namespaces': [str],
  'cluster.status': [optStr, optStr],
  'cluster.select': [obj({ context: optStr, namespace: optStr })],
  'terminal.open': [obj({ title: optStr, command: optStrList, container: optStr }, true)],
  'terminal.write': [str, text],
  'terminal.resize': [str, int(1, 1000), int(1, 1000)],
  'terminal.rename': [str, str],
  'terminal.close': [str],
  'terminal.list': [],
  'ports.list': [],
  'ports.save': [listOfObjects(100)],
  'ports.start': [],
  'ports.stop': [],
  'logs.start': [obj({ pod: optStr, container: optStr, previous: optBool, tailLines: optInt(0, 1_000_000), timestamps: optBool, follow: optBool })],
  'logs.stop': [str],
  'logs.pods': [],
  'up.preview': [],
  'up.start': [obj({ forceRebuild: optBool, acceptGenerated: optBool }, true)],
  'up.cancel': [],
  'up.current': [],
  'up.buildLog': [],
  'up.stop': [],
  'up.purge': [],
  'settings.get': [],
  'settings.update': [settingsCheck],
  'registry.status': [],
  'registry.remove': [],
  'registry.logins': [],
  'registry.login': [obj({ host: str, username: str, password: str, insecure: optBool })],
  'registry.logout': [str],
  'deploy.status': [],
  'deploy.rollback': [int(1, 1_000_000)],
  'deploy.manifests': [],
};

export function validateArgs<M extends ApiMethod>(method: M, args: unknown): ArgsOf<M> {
  if (!Array.isArray(args)) throw bad('arguments must be a list');
  const checks = schemas[method];
  // Trailing undefined arguments arrive as null through JSON; drop them before counting.
  const trimmed = [...args];
  while (trimmed.length > 0 && (trimmed[trimmed.length - 1] === null || trimmed[trimmed.length - 1] === undefined)) trimmed.pop();
  if (trimmed.length > checks.length) throw bad(`${method} takes at most ${checks.length} argument(s), got ${args.length}`);
  checks.forEach((check, i) => check(trimmed[i], `argument ${i + 1} of ${method}`));
  return trimmed.map((a) => (a === null ? undefined : a)) as ArgsOf<M>;
}
