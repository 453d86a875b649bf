// A chart's templates as Helm's engine handles them: parsed into one template set in Helm's order
// (so a parent's defines win over a subchart's), Helm's functions installed, every non-partial
// template executed with its chart's built-in objects, and errors cleaned up the way Helm words
// them. Parsed sets are cached by content, so re-rendering an unchanged chart reuses them.

import * as path from 'node:path';
import { ChartError } from './errors';
import { installHelmFunctions, WARN_END, WARN_START, type SyncLookup } from './functions';
import { TemplateSet } from './template';

export interface Renderable {
  template: string;
  vals: Record<string, unknown>;
  basePath: string;
}

/** Helm's template parse order: deeper paths first, then reverse name order (sortTemplates). */
export function parseOrder(names: string[]): string[] {
  const depth = (s: string) => s.split('/').length;
  return [...names].sort((a, b) => {
    const da = depth(a);
    const db = depth(b);
    if (da !== db) return db - da;
    return a < b ? 1 : a > b ? -1 : 0;
  });
}

/** Helm's cleanupParseError / cleanupExecError on the engine's Go-style messages. */
export function templateError(phase: 'parse' | 'exec', file: string, err: unknown): ChartError {
  const message = err instanceof Error ? err.message : String(err);
  let text = message;
  if (phase === 'parse') {
    const tokens = message.split(': ');
    text = tokens.length === 1 ? `parse error in (${file}): ${message}` : `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
  } else if (/nested reference name|exceeded maximum template depth/.test(message)) {
    // Runaway recursion: Go wraps the error once per level; keep Helm's message for the innermost name.
    const names = [...message.matchAll(/executing "([^"]+)"/g)].map((m) => m[1]);
    const name = /nested reference name: ([^:\s]+)/.exec(message)?.[1] ?? names[names.length - 1] ?? file;
    return new ChartError('TEMPLATE_ERROR', `rendering template has a nested reference name: ${name}: unable to execute template`, {
      file,
      cause: err,
      hint: `the template "${name}" includes itself without a condition that ends the recursion`,
    });
  } else {
    const marked = new RegExp(`${WARN_START}([\\s\\S]*?)${WARN_END}`).exec(message);
    const tokens = message.split(': ');
    if (marked && tokens.length >= 3) text = `execution error at (${tokens[1]}): ${marked[1]}`;
    else if (marked) text = `execution error in (${file}): ${marked[1]}`;
  }
  return new ChartError('TEMPLATE_ERROR', text, { file, cause: err, ...(phase === 'parse' ? { hint: 'fix the template syntax at the line shown' } : {}) });
}

interface PassResult {
  files: Map<string, string>;
}

/**
 * Parsed template sets by content (names and texts in parse order). Parsing is a large part of a
 * render and depends only on the templates, so re-rendering an unchanged chart reuses the trees;
 * each render works on a clone with its own functions (include/tpl/lookup/now).
 */
const parsedSets = new Map<string, TemplateSet>();
const PARSED_SET_LIMIT = 16;
const parsedWith = new WeakMap<TemplateSet, Record<string, unknown>>();

function parsedSet(templates: Map<string, Renderable>, order: string[], funcs: Record<string, (...args: unknown[]) => unknown>, strict: boolean): TemplateSet {
  let key = strict ? 'strict\0' : 'zero\0';
  for (const name of order) key += name + '\0' + templates.get(name)!.template + '\0';
  const hit = parsedSets.get(key);
  if (hit) {
    // Keep recently used sets at the end of the map (least recently used are evicted first).
    parsedSets.delete(key);
    parsedSets.set(key, hit);
    return hit;
  }
  const set = new TemplateSet({ funcs, missingKey: strict ? 'error' : 'zero' });
  installHelmFunctions(set, { strict });
  for (const name of order) {
    try {
      set.parse(name, templates.get(name)!.template);
    } catch (err) {
      throw templateError('parse', name, err);
    }
  }
  parsedWith.set(set, funcs);
  if (parsedSets.size >= PARSED_SET_LIMIT) parsedSets.delete(parsedSets.keys().next().value as string);
  parsedSets.set(key, set);
  return set;
}

/** Forgets parsed templates (for benchmarks that measure cold parsing). */
export function clearTemplateCache(): void {
  parsedSets.clear();
}

export function renderTemplates(templates: Map<string, Renderable>, funcs: Record<string, (...args: unknown[]) => unknown>, options: { strict?: boolean }, lookup: SyncLookup): PassResult {
  const order = parseOrder([...templates.keys()]);
  const strict = options.strict ?? false;
  const base = parsedSet(templates, order, funcs, strict);
  const set = base.clone();
  // The cached set may have been parsed with another render's clock/randomness: bind this one's.
  if (parsedWith.get(base) !== funcs) set.funcs(funcs);
  installHelmFunctions(set, { lookup, strict });
  const files = new Map<string, string>();
  for (const name of order) {
    if (path.posix.basename(name).startsWith('_')) continue;
    const r = templates.get(name)!;
    r.vals.Template = { Name: name, BasePath: r.basePath };
    let out: string;
    try {
      out = set.execute(name, r.vals);
    } catch (err) {
      throw templateError('exec', name, err);
    }
    // missingkey=zero still prints "<no value>" for interface{} maps; Helm removes it.
    files.set(name, options.strict ? out : out.replaceAll('<no value>', ''));
  }
  return { files };
}
