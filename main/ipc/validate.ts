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
const optBool: Check = (v, what) => {
  if (v !== undefined && v !== null && typeof v !== 'boolean') throw bad(`${what} must be true or false`);
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
