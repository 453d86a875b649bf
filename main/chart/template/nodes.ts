// The parse tree of a template (Go's text/template/parse node types) and Go's String() of
// each node, which error messages quote as the context: `executing "t" at <.a.b>: ...`.
import { goQuote } from './quote';

/** What every node knows: where it is, for error messages. */
interface Base {
  /** Offset in the tree's text (UTF-16 code units). */
  pos: number;
  tree: TreeInfo;
}

/** The part of a parse tree that nodes point back to. */
export interface TreeInfo {
  name: string;
  /** Name of the top-level template being parsed when this node was created. */
  parseName: string;
  text: string;
}

export interface TextNode extends Base { type: 'text'; text: string }
export interface CommentNode extends Base { type: 'comment'; text: string }
export interface ActionNode extends Base { type: 'action'; line: number; pipe: PipeNode }
export interface PipeNode extends Base { type: 'pipe'; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode extends Base { type: 'command'; args: ArgNode[] }
export interface IdentifierNode extends Base { type: 'identifier'; ident: string }
export interface VariableNode extends Base { type: 'variable'; ident: string[] }
export interface DotNode extends Base { type: 'dot' }
export interface NilNode extends Base { type: 'nil' }
export interface FieldNode extends Base { type: 'field'; ident: string[] }
export interface ChainNode extends Base { type: 'chain'; node: ArgNode; field: string[] }
export interface BoolNode extends Base { type: 'bool'; value: boolean }
export interface NumberNode extends Base {
  type: 'number';
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: bigint;
  uint: bigint;
  float: number;
  /** Real and imaginary parts when isComplex. */
  complex: [number, number];
}
export interface StringNode extends Base { type: 'string'; quoted: string; text: string }
export interface ListNode extends Base { type: 'list'; nodes: Node[] }
export interface BranchNode extends Base { type: 'if' | 'range' | 'with'; line: number; pipe: PipeNode; list: ListNode; elseList: ListNode | null }
export interface TemplateNode extends Base { type: 'template'; line: number; name: string; pipe: PipeNode | null }
export interface BreakNode extends Base { type: 'break'; line: number }
export interface ContinueNode extends Base { type: 'continue'; line: number }
export interface EndNode extends Base { type: 'end' }
export interface ElseNode extends Base { type: 'else'; line: number }

/** Nodes that can be an argument of a command. */
export type ArgNode = IdentifierNode | VariableNode | DotNode | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | PipeNode;

export type Node =
  | TextNode | CommentNode | ActionNode | PipeNode | CommandNode | IdentifierNode | VariableNode | DotNode | NilNode
  | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | ListNode | BranchNode | TemplateNode | BreakNode
  | ContinueNode | EndNode | ElseNode;

/** Go's Node.String(). */
export function nodeString(n: Node): string {
  switch (n.type) {
    case 'text': return n.text;
    case 'comment': return '{{' + n.text + '}}';
    case 'action': return '{{' + nodeString(n.pipe) + '}}';
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? '(' + nodeString(a) + ')' : nodeString(a))).join(' ');
    case 'identifier': return n.ident;
    case 'variable': return n.ident.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'field': return n.ident.map((id) => '.' + id).join('');
    case 'chain': {
      const head = n.node.type === 'pipe' ? '(' + nodeString(n.node) + ')' : nodeString(n.node);
      return head + n.field.map((f) => '.' + f).join('');
    }
    case 'bool': return n.value ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'list': return n.nodes.map(nodeString).join('');
    case 'if': case 'range': case 'with': {
      let s = '{{' + n.type + ' ' + nodeString(n.pipe) + '}}' + nodeString(n.list);
      if (n.elseList) s += '{{else}}' + nodeString(n.elseList);
      return s + '{{end}}';
    }
    case 'template':
      return '{{template ' + goQuote(n.name) + (n.pipe ? ' ' + nodeString(n.pipe) : '') + '}}';
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
  }
}

/** parse.IsEmptyTree: only whitespace text, comments and empty lists. */
export function isEmptyTree(n: Node): boolean {
  switch (n.type) {
    case 'list': return n.nodes.every(isEmptyTree);
    case 'text': return n.text.trim().length === 0;
    case 'comment': return true;
    default: return false;
  }
}
