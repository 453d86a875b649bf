// Go text/template's parser (text/template/parse/parse.go): turns template text into one parse
// tree per template ({{define}} and {{block}} make more), with Go's grammar, Go's lookahead and
// Go's error messages, e.g. `template: t:1: function "foo" not defined`.
import { isStackOverflow, parseError, TemplateError } from './errors';
import { Item, ItemType, Lexer } from './lexer';
import type {
  ArgNode, BranchNode, ChainNode, CommandNode, ElseNode, EndNode, ListNode, Node, NumberNode, PipeNode,
  TemplateNode, TreeInfo, VariableNode,
} from './nodes';
import { isEmptyTree, nodeString } from './nodes';
import { NumberSyntaxError, parseNumber } from './number-literal';
import { goQuote, goUnquote, SyntaxError_ } from './quote';

export interface Tree extends TreeInfo {
  root: ListNode;
}

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** Is a function of this name defined (user functions or builtins)? */
  hasFunction: (name: string) => boolean;
}

function itemString(i: Item): string {
  if (i.type === ItemType.EOF) return 'EOF';
  if (i.type === ItemType.Error) return i.val;
  if (i.type > ItemType.Keyword) return `<${i.val}>`;
  const runes = Array.from(i.val);
  if (runes.length > 10) return goQuote(runes.slice(0, 10).join('')) + '...';
  return goQuote(i.val);
}

/** Go's maxStackDepth for nested parenthesised pipelines. */
const maxStackDepth = 10000;

class TreeParser {
  name: string;
  root!: ListNode;
  private readonly info: TreeInfo;
  private readonly token: Item[] = [];
  private peekCount = 0;
  private vars: string[] = ['$'];
  private actionLine = 0;
  private rangeDepth = 0;
  private stackDepth = 0;

  constructor(
    name: string,
    private readonly parseName: string,
    private readonly text: string,
    private readonly lex: Lexer,
    private readonly treeSet: Map<string, Tree>,
    private readonly options: ParseOptions,
  ) {
    this.name = name;
    // Nodes point at this object; its name is fixed up when a {{define}} names the tree.
    this.info = { name, parseName, text };
  }

  // --- errors ---

  errorf(msg: string): never {
    const line = this.token[0]?.line ?? 1;
    throw parseError(`template: ${this.parseName}:${line}: ${msg}`);
  }

  unexpected(token: Item, context: string): never {
    if (token.type === ItemType.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (token.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(token)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(token)} in ${context}`);
  }

  // --- token buffer (three-token lookahead, like Go) ---

  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount]!;
  }

  backup(): void {
    this.peekCount++;
  }

  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }

  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }

  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1]!;
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }

  nextNonSpace(): Item {
    let token: Item;
    do token = this.next();
    while (token.type === ItemType.Space);
    return token;
  }

  peekNonSpace(): Item {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  // --- tree bookkeeping ---

  private newList(pos: number): ListNode {
    return { type: 'list', pos, tree: this.info, nodes: [] };
  }

  /** parse.(*Tree).add: a later empty definition does not replace a real one. */
  add(): void {
    this.info.name = this.name;
    const existing = this.treeSet.get(this.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.treeSet.set(this.name, { name: this.name, parseName: this.parseName, text: this.text, root: this.root });
      return;
    }
    if (!isEmptyTree(this.root)) this.errorf(`template: multiple definition of template ${goQuote(this.name)}`);
  }

  // --- grammar ---

  parse(): void {
    this.root = this.newList(this.peek().pos);
    while (this.peek().type !== ItemType.EOF) {
      if (this.peek().type === ItemType.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().type === ItemType.Define) {
          const newT = new TreeParser('definition', this.parseName, this.text, this.lex, this.treeSet, this.options);
          newT.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  parseDefinition(): void {
    const context = 'define clause';
    const name = this.nextNonSpace();
    if (name.type !== ItemType.String && name.type !== ItemType.RawString) this.unexpected(name, context);
    this.name = this.unquote(name.val);
    this.info.name = this.name;
    this.expect(ItemType.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  itemList(): [ListNode, Node] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== ItemType.EOF) {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  textOrAction(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case ItemType.Text:
        return { type: 'text', pos: token.pos, tree: this.info, text: token.val };
      case ItemType.LeftDelim: {
        this.actionLine = token.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case ItemType.Comment:
        return { type: 'comment', pos: token.pos, tree: this.info, text: token.val };
      default:
        this.unexpected(token, 'input');
    }
  }

  action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case ItemType.Block: return this.blockControl();
      case ItemType.Break: return this.breakControl(token.pos, token.line, 'break');
      case ItemType.Continue: return this.breakControl(token.pos, token.line, 'continue');
      case ItemType.Else: return this.elseControl();
      case ItemType.End: return this.endControl();
      case ItemType.If: return this.branchControl('if');
      case ItemType.Range: return this.branchControl('range');
      case ItemType.Template: return this.templateControl();
      case ItemType.With: return this.branchControl('with');
    }
    this.backup();
    const t = this.peek();
    return { type: 'action', pos: t.pos, tree: this.info, line: t.line, pipe: this.pipeline('command', ItemType.RightDelim) };
  }

  breakControl(pos: number, line: number, kind: 'break' | 'continue'): Node {
    const token = this.nextNonSpace();
    if (token.type !== ItemType.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos, tree: this.info, line };
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const token = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: token.pos, tree: this.info, line: token.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type === ItemType.Variable) {
        this.next();
        const tokenAfterVariable = this.peek();
        const next = this.peekNonSpace();
        if (next.type === ItemType.Assign || next.type === ItemType.Declare) {
          pipe.isAssign = next.type === ItemType.Assign;
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
        } else if (next.type === ItemType.Char && next.val === ',') {
          this.nextNonSpace();
          pipe.decl.push(this.newVariable(v.pos, v.val));
          this.vars.push(v.val);
          if (context === 'range' && pipe.decl.length < 2) {
            const t = this.peekNonSpace().type;
            if (t === ItemType.Variable || t === ItemType.RightDelim || t === ItemType.RightParen) continue decls;
            this.errorf('range can only initialize variables');
          }
          this.errorf(`too many declarations in ${context}`);
        } else if (tokenAfterVariable.type === ItemType.Space) {
          this.backup3(v, tokenAfterVariable);
        } else {
          this.backup2(v);
        }
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      switch (token.type) {
        case end:
          this.checkPipeline(pipe, context);
          return pipe;
        case ItemType.Bool: case ItemType.CharConstant: case ItemType.Complex: case ItemType.Dot: case ItemType.Field:
        case ItemType.Identifier: case ItemType.Number: case ItemType.Nil: case ItemType.RawString: case ItemType.String:
        case ItemType.Variable: case ItemType.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i]!.args[0]!.type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  branchControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, ItemType.RightDelim);
      if (context === 'range') this.rangeDepth++;
      let [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | null = null;
      if (next.type === 'else') {
        if (context === 'if' && this.peek().type === ItemType.If) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branchControl('if'));
        } else if (context === 'with' && this.peek().type === ItemType.With) {
          this.next();
          elseList = this.newList(next.pos);
          elseList.nodes.push(this.branchControl('with'));
        } else {
          [elseList, next] = this.itemList();
          if (next.type !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
        }
      }
      return { type: context, pos: pipe.pos, tree: this.info, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  endControl(): EndNode {
    return { type: 'end', pos: this.expect(ItemType.RightDelim, 'end').pos, tree: this.info };
  }

  elseControl(): ElseNode {
    const peek = this.peekNonSpace();
    if (peek.type === ItemType.If || peek.type === ItemType.With) return { type: 'else', pos: peek.pos, tree: this.info, line: peek.line };
    const token = this.expect(ItemType.RightDelim, 'else');
    return { type: 'else', pos: token.pos, tree: this.info, line: token.line };
  }

  blockControl(): TemplateNode {
    const context = 'block clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    const pipe = this.pipeline(context, ItemType.RightDelim);
    const block = new TreeParser(name, this.parseName, this.text, this.lex, this.treeSet, this.options);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.type !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { type: 'template', pos: token.pos, tree: this.info, line: token.line, name, pipe };
  }

  templateControl(): TemplateNode {
    const context = 'template clause';
    const token = this.nextNonSpace();
    const name = this.parseTemplateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== ItemType.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, ItemType.RightDelim);
    }
    return { type: 'template', pos: token.pos, tree: this.info, line: token.line, name, pipe };
  }

  parseTemplateName(token: Item, context: string): string {
    if (token.type === ItemType.String || token.type === ItemType.RawString) return this.unquote(token.val);
    this.unexpected(token, context);
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, tree: this.info, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === ItemType.Space) continue;
      if (token.type === ItemType.RightDelim || token.type === ItemType.RightParen) this.backup();
      else if (token.type !== ItemType.Pipe) this.unexpected(token, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  operand(): ArgNode | null {
    let node = this.term();
    if (!node) return null;
    if (this.peek().type === ItemType.Field) {
      const chain: ChainNode = { type: 'chain', pos: this.peek().pos, tree: this.info, node, field: [] };
      while (this.peek().type === ItemType.Field) {
        const val = this.next().val;
        // ChainNode.Add: fields arrive as ".x" (possibly ".x.y"); store without the dot.
        for (const f of val.slice(1).split('.')) chain.field.push(f);
      }
      switch (node.type) {
        case 'field':
          node = { type: 'field', pos: chain.pos, tree: this.info, ident: [...node.ident, ...chain.field] };
          break;
        case 'variable':
          node = { type: 'variable', pos: chain.pos, tree: this.info, ident: [...node.ident, ...chain.field] };
          break;
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
        default:
          node = chain;
      }
    }
    return node;
  }

  term(): ArgNode | null {
    const token = this.nextNonSpace();
    switch (token.type) {
      case ItemType.Identifier:
        if (!this.options.hasFunction(token.val)) this.errorf(`function ${goQuote(token.val)} not defined`);
        return { type: 'identifier', pos: token.pos, tree: this.info, ident: token.val };
      case ItemType.Dot:
        return { type: 'dot', pos: token.pos, tree: this.info };
      case ItemType.Nil:
        return { type: 'nil', pos: token.pos, tree: this.info };
      case ItemType.Variable:
        return this.useVar(token.pos, token.val);
      case ItemType.Field:
        return { type: 'field', pos: token.pos, tree: this.info, ident: token.val.slice(1).split('.') };
      case ItemType.Bool:
        return { type: 'bool', pos: token.pos, tree: this.info, value: token.val === 'true' };
      case ItemType.CharConstant: case ItemType.Complex: case ItemType.Number:
        return this.newNumber(token.pos, token.val, token.type);
      case ItemType.LeftParen:
        if (this.stackDepth >= maxStackDepth) this.errorf('max expression depth exceeded');
        this.stackDepth++;
        try {
          return this.pipeline('parenthesized pipeline', ItemType.RightParen);
        } finally {
          this.stackDepth--;
        }
      case ItemType.String: case ItemType.RawString:
        return { type: 'string', pos: token.pos, tree: this.info, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return null;
  }

  newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, tree: this.info, ident: name.split('.') };
  }

  useVar(pos: number, name: string): VariableNode {
    const v = this.newVariable(pos, name);
    if (this.vars.includes(v.ident[0]!)) return v;
    this.errorf(`undefined variable ${goQuote(v.ident[0]!)}`);
  }

  unquote(lit: string): string {
    try {
      return goUnquote(lit);
    } catch (e) {
      if (e instanceof SyntaxError_) this.errorf('invalid syntax');
      throw e;
    }
  }

  newNumber(pos: number, text: string, typ: ItemType): NumberNode {
    try {
      return parseNumber(pos, this.info, text, typ);
    } catch (e) {
      if (e instanceof NumberSyntaxError) this.errorf(e.message);
      throw e;
    }
  }

}

/**
 * Parse `text` as template `name`: returns every tree it defines (the top-level one under `name`,
 * plus one per {{define}}/{{block}}). Throws TemplateError with Go's message on bad syntax.
 */
export function parseTemplates(name: string, text: string, options: ParseOptions): Map<string, Tree> {
  const lex = new Lexer(text, options.leftDelim, options.rightDelim);
  lex.breakOK = !options.hasFunction('break');
  lex.continueOK = !options.hasFunction('continue');
  const treeSet = new Map<string, Tree>();
  const t = new TreeParser(name, name, text, lex, treeSet, options);
  try {
    t.parse();
    t.add();
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    if (isStackOverflow(e)) {
      // Go has no nesting limit for control structures; JavaScript's stack does.
      throw new TemplateError('TEMPLATE_PARSE', `template: ${name}: template is nested too deeply to parse`, {
        hint: 'reduce the nesting of {{if}}/{{range}}/{{with}} or parentheses',
      });
    }
    throw e;
  }
  return treeSet;
}
