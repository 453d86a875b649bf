// A set of associated templates sharing functions and options, like Go's *template.Template with
// its common map: parse files into it, execute any template by name (re-entrantly, as Helm's
// include does), clone it (as Helm's tpl does).
import { builtinFuncs, FuncEntry, ParamType } from './builtins';
import { isStackOverflow, TemplateError } from './errors';
import { MissingKey, State } from './exec';
import { isEmptyTree } from './nodes';
import { parseTemplates, Tree } from './parse';
import { goQuote } from './quote';

export type TemplateFunc = (...args: unknown[]) => unknown;
export type FuncMap = Record<string, TemplateFunc>;

/**
 * Optional properties a TemplateFunc may carry so calls are checked like Go's typed functions:
 * - `arity: {min, max?}`: argument count; `max` omitted = variadic (Go: "want at least N got M"),
 *   `max === min` = fixed (Go: "want N got M"); `max > min` adds "want at most MAX got M".
 * - `params: ParamType[]` (+ `variadic: true` if the last one repeats): Go parameter types such as
 *   'string', 'int', 'float64', 'bool', 'any'; arguments of another type fail like Go
 *   ("wrong type for value; expected string; got float64", "expected string; found 1").
 *   `params` wins over `arity`. Without either, any number of arguments is accepted.
 */
export interface TemplateFuncMeta {
  arity?: { min: number; max?: number };
  params?: ParamType[];
  variadic?: boolean;
}

export interface TemplateSetOptions {
  funcs?: FuncMap;
  missingKey?: MissingKey;
  leftDelim?: string;
  rightDelim?: string;
}

const identifier = /^[\p{L}_][\p{L}\p{Nd}_]*$/u;

function toEntry(name: string, fn: TemplateFunc): FuncEntry {
  const meta = fn as TemplateFunc & TemplateFuncMeta;
  if (meta.params) return { name, fn, params: [...meta.params], variadic: meta.variadic === true, builtin: false };
  if (meta.arity) {
    const { min, max } = meta.arity;
    if (max === min) return { name, fn, params: new Array<ParamType>(min).fill('any'), variadic: false, builtin: false };
    const entry: FuncEntry = { name, fn, params: new Array<ParamType>(min + 1).fill('any'), variadic: true, builtin: false };
    if (max !== undefined) entry.maxArgs = max;
    return entry;
  }
  return { name, fn, params: ['any'], variadic: true, builtin: false };
}

export class TemplateSet {
  private templates = new Map<string, Tree>();
  private userFuncs = new Map<string, FuncEntry>();
  private missing: MissingKey;
  private readonly leftDelim: string;
  private readonly rightDelim: string;
  /** Name of the first template parsed: Go's root template, named in "no template" errors. */
  private rootName: string | undefined;

  constructor(options: TemplateSetOptions = {}) {
    this.missing = options.missingKey ?? 'default';
    this.leftDelim = options.leftDelim ?? '{{';
    this.rightDelim = options.rightDelim ?? '}}';
    if (options.funcs) this.funcs(options.funcs);
  }

  /** Add or replace functions; names must be Go identifiers. Call before parse(). */
  funcs(map: FuncMap): this {
    for (const [name, fn] of Object.entries(map)) {
      if (!identifier.test(name)) {
        throw new TemplateError('TEMPLATE_PARSE', `function name ${goQuote(name)} is not a valid identifier`);
      }
      if (typeof fn !== 'function') {
        throw new TemplateError('TEMPLATE_PARSE', `value for ${name} not a function`);
      }
      this.userFuncs.set(name, toEntry(name, fn));
    }
    return this;
  }

  /** Like template.New(name).Parse(text) inside this set: adds `name` and every {{define}}/{{block}} in it. */
  parse(name: string, text: string): this {
    const trees = parseTemplates(name, text, {
      leftDelim: this.leftDelim,
      rightDelim: this.rightDelim,
      hasFunction: (fn) => this.userFuncs.has(fn) || builtinFuncs.has(fn),
    });
    this.rootName ??= name;
    for (const [treeName, tree] of trees) {
      const old = this.templates.get(treeName);
      // A template that is only whitespace/defines does not replace an existing one.
      if (old && isEmptyTree(tree.root)) continue;
      this.templates.set(treeName, tree);
    }
    return this;
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  names(): string[] {
    return [...this.templates.keys()].sort();
  }

  option(missingKey: MissingKey): this {
    this.missing = missingKey;
    return this;
  }

  get missingKey(): MissingKey {
    return this.missing;
  }

  /** Like ExecuteTemplate into a buffer. Safe to call from inside a function while executing. */
  execute(name: string, data: unknown): string {
    const tree = this.templates.get(name);
    if (!tree) {
      throw new TemplateError('TEMPLATE_NOT_FOUND', `template: no template ${goQuote(name)} associated with template ${goQuote(this.rootName ?? name)}`, {
        hint: `define it with {{define ${goQuote(name)}}} or check the name's spelling`,
        templateName: name,
      });
    }
    const templates = this.templates;
    const userFuncs = this.userFuncs;
    const ctx = {
      lookup: (n: string) => templates.get(n),
      findFunction: (n: string) => userFuncs.get(n) ?? builtinFuncs.get(n),
      missingKey: this.missing,
    };
    try {
      return State.run(ctx, name, tree, data);
    } catch (e) {
      if (isStackOverflow(e)) {
        throw new TemplateError('TEMPLATE_DEPTH', `template: ${name}: exceeded maximum template depth (templates call each other too deeply)`, {
          hint: 'a template probably includes itself without a condition that stops the recursion',
          templateName: name,
        });
      }
      throw e;
    }
  }

  /** A copy with the same templates, functions and options; parsing into it leaves this set alone. */
  clone(): TemplateSet {
    const c = new TemplateSet({ missingKey: this.missing, leftDelim: this.leftDelim, rightDelim: this.rightDelim });
    c.templates = new Map(this.templates);
    c.userFuncs = new Map(this.userFuncs);
    c.rootName = this.rootName;
    return c;
  }
}

/** Parse and execute one template text. */
export function execute(text: string, data: unknown, options: { funcs?: FuncMap; missingKey?: MissingKey; name?: string } = {}): string {
  const name = options.name ?? 'template';
  const set = new TemplateSet({ ...(options.funcs ? { funcs: options.funcs } : {}), missingKey: options.missingKey ?? 'default' });
  return set.parse(name, text).execute(name, data);
}
