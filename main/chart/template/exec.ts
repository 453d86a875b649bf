// Go text/template's executor (text/template/exec.go): walks a parse tree against data and writes
// the output, following Go's evaluation order, variable scoping, missingkey option, typed function
// arguments and error messages (`template: t:1:5: executing "t" at <.a.b>: ...`).
import { builtinFuncs, CallError, FuncEntry, isTruth, ParamType } from './builtins';
import { isStackOverflow, TemplateError } from './errors';
import { sprint } from './fmt';
import type {
  ArgNode, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node, NumberNode, PipeNode,
  TemplateNode, VariableNode,
} from './nodes';
import { nodeString } from './nodes';
import type { Tree } from './parse';
import { goQuote } from './quote';
import { fromData, fromPlain, Iface, indirectInterface, MISSING, RV, toFmtArg, toPlain, typeOfRV } from './reflect';
import { GoComplex, GoUint8, goTypeName, isStruct, mapView, NO_VALUE, sortedKeys, structMethod, utf8Length } from './values';

export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

/** Go's maxExecDepth: how deeply {{template}} calls may nest. */
export const maxExecDepth = 100000;

/** What the executor needs from a template set. */
export interface ExecContext {
  lookup(name: string): Tree | undefined;
  findFunction(name: string): FuncEntry | undefined;
  missingKey: MissingKey;
}

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

interface Variable {
  name: string;
  value: RV;
}

/** Go's ErrorContext: "parseName:line:col" (col in bytes, 0-based) and the node's text. */
export function errorContext(n: Node): [string, string] {
  const pos = n.pos;
  const text = n.tree.text.slice(0, pos);
  const nl = text.lastIndexOf('\n');
  const byteNum = nl === -1 ? utf8Length(text) : utf8Length(text.slice(nl + 1));
  let lineNum = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineNum++;
  return [`${n.tree.parseName}:${lineNum}:${byteNum}`, nodeString(n)];
}

/** A struct method as a callable function: declared arity/params, else its fixed JS arity. */
function methodEntry(receiver: object, method: (...args: unknown[]) => unknown, name: string): FuncEntry {
  const meta = method as { arity?: { min: number; max?: number }; params?: ParamType[]; variadic?: boolean };
  const fn = (...args: unknown[]) => method.apply(receiver, args);
  if (meta.params) return { name, fn, params: [...meta.params], variadic: meta.variadic === true, builtin: false };
  if (meta.arity) {
    const { min, max } = meta.arity;
    if (max === min) return { name, fn, params: new Array<ParamType>(min).fill('any'), variadic: false, builtin: false };
    const entry: FuncEntry = { name, fn, params: new Array<ParamType>(min + 1).fill('any'), variadic: true, builtin: false };
    if (max !== undefined) entry.maxArgs = max;
    return entry;
  }
  return { name, fn, params: new Array<ParamType>(method.length).fill('any'), variadic: false, builtin: false };
}

function canBeNil(typ: ParamType): boolean {
  return typ === 'any' || typ === 'reflect' || typ.startsWith('[]') || typ.startsWith('map[') || typ.startsWith('func');
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

export class State {
  private out = '';
  private vars: Variable[];
  private node: Node | null = null;
  private depth = 0;

  constructor(
    private readonly ctx: ExecContext,
    private tmplName: string,
    data: RV,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  static run(ctx: ExecContext, name: string, tree: Tree, data: unknown): string {
    const value = fromData(data);
    const s = new State(ctx, name, value);
    s.walk(value, tree.root);
    return s.out;
  }

  // --- errors ---

  private at(n: Node): void {
    this.node = n;
  }

  errorf(msg: string): never {
    const name = this.tmplName;
    let full: string;
    if (!this.node) {
      full = `template: ${name}: ${msg}`;
    } else {
      const [location, context] = errorContext(this.node);
      full = `template: ${location}: executing ${goQuote(name)} at <${context}>: ${msg}`;
    }
    throw new TemplateError('TEMPLATE_EXEC', full, { templateName: name });
  }

  // --- variables ---

  private mark(): number {
    return this.vars.length;
  }

  private pop(mark: number): void {
    this.vars.length = mark;
  }

  private setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: RV): void {
    this.vars[this.vars.length - n]!.value = value;
  }

  private varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) return this.vars[i]!.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking ---

  walk(dot: RV, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'comment': return;
      case 'if': case 'with': this.walkIfOrWith(dot, node); return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range': this.walkRange(dot, node); return;
      case 'template': this.walkTemplate(dot, node); return;
      case 'text': this.out += node.text; return;
      default: this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: RV, node: BranchNode): void {
    const mark = this.mark();
    const val = this.evalPipeline(dot, node.pipe);
    if (isTruth(val)) {
      this.walk(node.type === 'with' ? val : dot, node.list);
    } else if (node.elseList) {
      this.walk(dot, node.elseList);
    }
    this.pop(mark);
  }

  private walkRange(dot: RV, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      let val = indirectInterface(this.evalPipeline(dot, r.pipe));
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: RV, elem: RV): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          } else {
            this.setTopVar(1, elem);
          }
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      if (Array.isArray(val)) {
        if (val.length > 0) {
          for (let i = 0; i < val.length; i++) oneIteration(BigInt(i), new Iface(val[i]));
          return;
        }
      } else if (mapView(val)) {
        const map = mapView(val)!;
        const keys = sortedKeys(map);
        if (keys.length > 0) {
          for (const k of keys) oneIteration(k, new Iface(map[k]));
          return;
        }
      } else if (typeof val === 'bigint' || val instanceof GoUint8) {
        // range N counts 0..N-1 in N's own type.
        const isByte = val instanceof GoUint8;
        const n = val instanceof GoUint8 ? val.value : val;
        if (decl.length > 1) this.errorf(`can't use ${sprint([n])} to iterate over more than one variable`);
        if (n > 0n) {
          for (let i = 0n; i < n; i++) oneIteration(NO_VALUE, isByte ? new GoUint8(i) : i);
          return;
        }
      } else if (val !== NO_VALUE) {
        this.errorf(`range can't iterate over ${sprint([toFmtArg(val)])}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private walkTemplate(dot: RV, t: TemplateNode): void {
    this.at(t);
    const tree = this.ctx.lookup(t.name);
    if (!tree) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth === maxExecDepth) this.errorf(`exceeded maximum template depth (${maxExecDepth})`);
    dot = this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, name: this.tmplName, depth: this.depth };
    this.vars = [{ name: '$', value: dot }];
    this.tmplName = t.name;
    this.depth++;
    this.walk(dot, tree.root);
    this.vars = saved.vars;
    this.tmplName = saved.name;
    this.depth = saved.depth;
  }

  // --- evaluation ---

  private evalPipeline(dot: RV, pipe: PipeNode | null): RV {
    if (!pipe) return NO_VALUE;
    this.at(pipe);
    let value: RV = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface{} result is replaced by what it holds (nil becomes invalid).
      if (value instanceof Iface) value = indirectInterface(value);
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private notAFunction(args: ArgNode[] | null, final: RV): void {
    if ((args && args.length > 1) || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args![0]!)}`);
  }

  private evalCommand(dot: RV, cmd: CommandNode, final: RV): RV {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain': return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
    }
  }

  private idealConstant(c: NumberNode): RV {
    this.at(c);
    if (c.isComplex) return new GoComplex(c.complex[0], c.complex[1]);
    if (c.isFloat && !isHexInt(c.text) && c.text[0] !== "'" && /[.eEpP]/.test(c.text)) return c.float;
    if (c.isInt) return c.int;
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return NO_VALUE;
  }

  private evalFieldNode(dot: RV, field: FieldNode, args: ArgNode[] | null, final: RV): RV {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: RV, chain: ChainNode, args: ArgNode[] | null, final: RV): RV {
    this.at(chain);
    if (chain.field.length === 0) this.errorf('internal error: no fields in evalChainNode');
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: RV, variable: VariableNode, args: ArgNode[] | null, final: RV): RV {
    this.at(variable);
    const value = this.varValue(variable.ident[0]!);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, variable, variable.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: RV, receiver: RV, node: Node, ident: string[], args: ArgNode[] | null, final: RV): RV {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, ident[i]!, node, null, MISSING, receiver);
    return this.evalField(dot, ident[n - 1]!, node, args, final, receiver);
  }

  private evalField(dot: RV, fieldName: string, node: Node, args: ArgNode[] | null, final: RV, receiver: RV): RV {
    void dot;
    void node;
    if (receiver === NO_VALUE) {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return NO_VALUE;
    }
    const typ = typeOfRV(receiver);
    let v = receiver;
    if (v instanceof Iface) {
      if (v.value === null || v.value === undefined) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
      v = v.value;
    }
    // Methods come first, as in Go (a struct's class methods; see values.isStruct).
    if (isStruct(v)) {
      const method = structMethod(v, fieldName);
      if (method) return this.evalCall(dot, methodEntry(v, method, fieldName), node, fieldName, args, final);
    }
    const hasArgs = (args !== null && args.length > 1) || final !== MISSING;
    const map = mapView(v);
    if (!map && isStruct(v) && Object.prototype.hasOwnProperty.call(v, fieldName)) {
      if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
      const field = v[fieldName];
      return field === null || field === undefined ? new Iface(null) : field;
    }
    if (map) {
      if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
      if (Object.prototype.hasOwnProperty.call(map, fieldName)) return new Iface(map[fieldName]);
      switch (this.ctx.missingKey) {
        case 'zero': return new Iface(null);
        case 'error': this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
        default: return NO_VALUE;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalFunction(dot: RV, node: IdentifierNode, cmd: Node, args: ArgNode[] | null, final: RV): RV {
    this.at(node);
    const name = node.ident;
    const fn = this.ctx.findFunction(name);
    if (!fn) this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  private evalCall(dot: RV, fn: FuncEntry, node: Node, name: string, allArgs: ArgNode[] | null, final: RV): RV {
    const args = allArgs ? allArgs.slice(1) : [];
    const params = fn.params;
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = params.length - 1;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length - 1} got ${args.length}`);
      if (fn.maxArgs !== undefined && numIn > fn.maxArgs) this.errorf(`wrong number of args for ${name}: want at most ${fn.maxArgs} got ${numIn}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    if (fn.builtin && (name === 'and' || name === 'or')) {
      const argType = params[0]!;
      let v: RV = NO_VALUE;
      for (const arg of args) {
        v = this.evalArg(dot, argType, arg);
        if (isTruth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, argType);
      return v;
    }

    const argv: RV[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, params[i]!, args[i]!);
    if (fn.variadic) {
      const argType = params[params.length - 1]!;
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, argType, args[i]!);
    }
    if (final !== MISSING) {
      let t = params[params.length - 1]!;
      if (fn.variadic && numIn - 1 < numFixed) t = params[numIn - 1]!;
      argv[i] = this.validateType(final, t);
    }
    // Functions with interface{} parameters receive plain JS values; reflect.Value ones (builtins) the raw value.
    for (let k = 0; k < argv.length; k++) {
      const t = k < params.length - 1 || !fn.variadic ? params[k] : params[params.length - 1];
      if (t !== 'reflect') argv[k] = fn.builtin ? toFmtArg(argv[k]) : toPlain(argv[k]);
    }
    if (fn.builtin && name === 'call') {
      const calleeName = args.length === 0 ? sprint([toPlain(final)]) : nodeString(args[0]!);
      argv.unshift(calleeName);
    }
    let result: unknown;
    try {
      result = fn.fn(...argv);
    } catch (e) {
      // Stack exhaustion is reported once, at the outermost execute(), not wrapped at every level.
      if (isStackOverflow(e)) throw e;
      if (e instanceof TemplateError && e.code === 'TEMPLATE_DEPTH') throw e;
      this.at(node);
      const msg = e instanceof Error ? e.message : String(e);
      this.errorf(`error calling ${name}: ${msg}`);
    }
    return fn.builtin ? result : fromPlain(result);
  }

  private validateType(value: RV, typ: ParamType | null): RV {
    if (value === NO_VALUE) {
      if (typ === null) return NO_VALUE;
      if (canBeNil(typ)) return typ === 'reflect' ? NO_VALUE : null;
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === null || typ === 'reflect' || typ === 'any') return value;
    let v = value;
    if (v instanceof Iface) {
      if (v.value === null || v.value === undefined) {
        if (canBeNil(typ)) return null;
        this.errorf(`wrong type for value; expected ${typ}; got interface {}`);
      }
      v = v.value;
    }
    const actual = goTypeName(v);
    if (actual === typ) return v;
    this.errorf(`wrong type for value; expected ${typ}; got ${typeOfRV(value) === 'interface {}' ? actual : actual}`);
  }

  private evalArg(dot: RV, typ: ParamType | null, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        if (typ === null || canBeNil(typ)) return typ === 'reflect' || typ === null ? NO_VALUE : null;
        this.errorf(`cannot assign nil to ${typ}`);
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable': return this.validateType(this.evalVariableNode(dot, n, null, MISSING), typ);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, null, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float64':
        if (n.type === 'number' && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int': case 'int64':
        if (n.type === 'number' && n.isInt) return n.int;
        this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
      case 'any': case 'reflect':
        return this.evalEmptyInterface(dot, n);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  private evalEmptyInterface(dot: RV, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case 'bool': return n.value;
      case 'dot': return dot;
      case 'field': return this.evalFieldNode(dot, n, null, MISSING);
      case 'identifier': return this.evalFunction(dot, n, n, null, MISSING);
      case 'nil': this.errorf('evalEmptyInterface: nil (can\'t happen)');
      case 'number': return this.idealConstant(n);
      case 'string': return n.text;
      case 'variable': return this.evalVariableNode(dot, n, null, MISSING);
      case 'pipe': return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }

  private printValue(n: Node, v: RV): void {
    this.at(n);
    if (v === NO_VALUE) {
      this.out += '<no value>';
      return;
    }
    const plain = toFmtArg(v);
    if (typeof plain === 'function') this.errorf(`can't print ${nodeString(n)} of type ${goTypeName(plain)}`);
    switch (typeof plain) {
      case 'string': this.out += plain; return;
      case 'bigint': this.out += plain.toString(); return;
      case 'boolean': this.out += plain ? 'true' : 'false'; return;
    }
    this.out += sprint([plain]);
  }
}

export type { ListNode };
