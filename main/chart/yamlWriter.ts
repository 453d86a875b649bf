// YAML as Helm writes it: sigs.k8s.io/yaml.Marshal sends the value through Go's JSON encoder, back
// through go-yaml v2, and out of go-yaml v2's emitter: keys in v2's natural order, 2-space indent,
// sequences not indented under their key, strings quoted only when needed (double quotes for
// strings that would read back as another type), long strings folded past column 80, multi-line
// strings as literal blocks.

import { formatFloatG, isPlainObject } from './goJson';


type Scalar = { kind: 'int'; text: string } | { kind: 'float'; value: number } | { kind: 'bool'; value: boolean } | { kind: 'null' } | { kind: 'str'; value: string };
type Node = Scalar | { kind: 'map'; entries: [string, Node][] } | { kind: 'seq'; items: Node[] };

const INT64_MIN = -9223372036854775808;
const INT64_LIMIT = 9223372036854775808;
const UINT64_LIMIT = 18446744073709551616;

function numberNode(f: number): Node {
  if (!Number.isFinite(f)) throw new TypeError(`json: unsupported value: ${formatFloatG(f)}`);
  // Go's JSON prints integral float64 without a fraction; go-yaml then reads it back as an int
  // when it fits int64/uint64 and as a float64 otherwise.
  if (Number.isInteger(f) && f >= INT64_MIN && f < UINT64_LIMIT) return { kind: 'int', text: Object.is(f, -0) ? '0' : String(f) };
  if (Number.isInteger(f) && Math.abs(f) < INT64_LIMIT) return { kind: 'int', text: String(f) };
  return { kind: 'float', value: f };
}

function toNode(v: unknown): Node {
  if (v === null || v === undefined) return { kind: 'null' };
  switch (typeof v) {
    case 'string': return { kind: 'str', value: v };
    case 'boolean': return { kind: 'bool', value: v };
    case 'number': return numberNode(v);
    case 'bigint': return { kind: 'int', text: v.toString() };
    case 'function': throw new TypeError('json: unsupported type: func');
    case 'symbol': throw new TypeError('json: unsupported type: symbol');
  }
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(toNode) };
  if (v instanceof Uint8Array) return { kind: 'str', value: Buffer.from(v).toString('base64') };
  if (v instanceof Date) return { kind: 'str', value: v.toISOString().replace(/\.000Z$/, 'Z') };
  let obj: Record<string, unknown>;
  if (v instanceof Map) {
    obj = {};
    for (const [k, val] of v) obj[String(k)] = val;
  } else if (!isPlainObject(v) && typeof (v as { toGoJSON?: unknown }).toGoJSON === 'function') {
    return toNode((v as { toGoJSON: () => unknown }).toGoJSON());
  } else {
    obj = v as Record<string, unknown>;
  }
  const keys = Object.keys(obj).filter((k) => typeof obj[k] !== 'function');
  keys.sort((a, b) => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0));
  return { kind: 'map', entries: keys.map((k) => [k, toNode(obj[k])]) };
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);

/** go-yaml v2's key order (sorter.go): letters after other characters, digit runs compared as numbers. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}

// go-yaml v2 resolve(): which plain strings would read back as something other than a string.
const V2_SPECIAL = new Set([
  '', '~', 'null', 'Null', 'NULL',
  'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE',
  'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
]);
const V2_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const V2_INT = /^[-+]?(0b[01]+|0o?[0-7]+|0x[0-9a-fA-F]+|[0-9]+)$/;
const V2_TIMESTAMP = /^\d{4}-\d\d?-\d\d?(([Tt]|[ \t]+)\d\d?:\d\d:\d\d(\.\d*)?([ \t]*(Z|[-+]\d\d?(:\d\d)?))?)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function resolvesAsNonString(s: string): boolean {
  if (V2_SPECIAL.has(s)) return true;
  const c = s[0];
  if (!/[-+.0-9]/.test(c)) return false;
  const plain = s.replace(/_/g, '');
  if (V2_INT.test(plain) || V2_FLOAT.test(plain)) return true;
  if (V2_TIMESTAMP.test(s)) return true;
  return BASE60.test(s);
}

const isBreak = (c: string) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
function isPrintable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface Analysis { multiline: boolean; blockPlain: boolean; singleQuoted: boolean; block: boolean }

/** yaml_emitter_analyze_scalar, block context only. */
function analyze(value: string): Analysis {
  if (value.length === 0) return { multiline: false, blockPlain: true, singleQuoted: true, block: false };
  const chars = Array.from(value);
  let blockIndicators = false;
  if (value.startsWith('---') || value.startsWith('...')) blockIndicators = true;
  let precededByWs = true;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false, lineBreaks = false, special = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const next = chars[i + 1];
    const followedByWs = next === undefined || next === ' ' || next === '\t' || isBreak(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWs) blockIndicators = true;
    } else if ((c === ':' && followedByWs) || (c === '#' && precededByWs)) {
      blockIndicators = true;
    }
    if (!isPrintable(c.codePointAt(0)!)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = c === ' ' || c === '\t' || isBreak(c);
  }
  const a: Analysis = { multiline: lineBreaks, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) { a.blockPlain = false; a.singleQuoted = false; }
  if (spaceBreak || special) { a.blockPlain = false; a.singleQuoted = false; a.block = false; }
  if (lineBreaks) a.blockPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

const BEST_WIDTH = 80;

/** Accumulates output and tracks the column like the emitter does (in characters). */
class Out {
  text = '';
  column = 0;
  put(s: string): void {
    this.text += s;
    this.column += Array.from(s).length;
  }
  /** yaml_emitter_write_indent: a line break unless a literal block already ended the line. */
  newline(indent: number): void {
    if (!(this.column === 0 && this.text.endsWith('\n'))) this.text += '\n';
    this.text += ' '.repeat(indent);
    this.column = indent;
  }
}

function hex(cp: number, width: number): string {
  return cp.toString(16).toUpperCase().padStart(width, '0');
}

const DQ_ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function writeDoubleQuoted(out: Out, value: string, indent: number, allowBreaks: boolean): void {
  out.put('"');
  const chars = Array.from(value);
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const cp = c.codePointAt(0)!;
    if (!isPrintable(cp) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
      const esc = DQ_ESCAPES[cp];
      out.put('\\' + (esc ?? (cp <= 0xff ? 'x' + hex(cp, 2) : cp <= 0xffff ? 'u' + hex(cp, 4) : 'U' + hex(cp, 8))));
      spaces = false;
    } else if (c === ' ') {
      if (allowBreaks && !spaces && out.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
        out.newline(indent);
        if (chars[i + 1] === ' ') out.put('\\');
      } else {
        out.put(c);
      }
      spaces = true;
    } else {
      out.put(c);
      spaces = false;
    }
  }
  out.put('"');
}

function writeSingleQuoted(out: Out, value: string, indent: number, allowBreaks: boolean): void {
  out.put("'");
  const chars = Array.from(value);
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === ' ') {
      if (allowBreaks && !spaces && out.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && chars[i + 1] !== ' ') out.newline(indent);
      else out.put(c);
      spaces = true;
    } else {
      out.put(c === "'" ? "''" : c);
      spaces = false;
    }
  }
  out.put("'");
}

function writePlain(out: Out, value: string, indent: number, allowBreaks: boolean): void {
  const chars = Array.from(value);
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === ' ') {
      if (allowBreaks && !spaces && out.column > BEST_WIDTH && chars[i + 1] !== ' ' && i + 1 < chars.length) out.newline(indent);
      else out.put(c);
      spaces = true;
    } else {
      out.put(c);
      spaces = false;
    }
  }
}

function writeLiteral(out: Out, value: string, indent: number): void {
  let hints = '';
  if (value[0] === ' ' || isBreak(value[0] ?? '')) hints += '2';
  const last = value[value.length - 1];
  if (value.length === 0 || !isBreak(last)) hints += '-';
  else if (value.length === 1 || isBreak(value[value.length - 2])) hints += '+';
  out.put('|' + hints);
  out.text += '\n';
  out.column = 0;
  let breaks = true;
  for (const c of value) {
    if (isBreak(c)) {
      out.text += '\n';
      out.column = 0;
      breaks = true;
    } else {
      if (breaks) {
        out.text += ' '.repeat(indent);
        out.column = indent;
        breaks = false;
      }
      out.put(c);
    }
  }
}

/** Emits a string scalar the way go-yaml v2's stringv + emitter choose its style. */
function writeString(out: Out, value: string, indent: number, simpleKey: boolean): void {
  const a = analyze(value);
  type Style = 'plain' | 'single' | 'double' | 'literal';
  let style: Style;
  if (value.includes('\n')) style = 'literal';
  else if (!resolvesAsNonString(value)) style = 'plain';
  else style = 'double';
  if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlain) style = 'single';
    if (value.length === 0 && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuoted) style = 'double';
  switch (style) {
    case 'plain': return writePlain(out, value, indent, !simpleKey);
    case 'single': return writeSingleQuoted(out, value, indent, !simpleKey);
    case 'double': return writeDoubleQuoted(out, value, indent, !simpleKey);
    case 'literal': return writeLiteral(out, value, indent);
  }
}

function scalarText(n: Scalar): string | undefined {
  switch (n.kind) {
    case 'int': return n.text;
    case 'bool': return n.value ? 'true' : 'false';
    case 'null': return 'null';
    case 'float': {
      const s = formatFloatG(n.value);
      return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
    }
    default: return undefined;
  }
}

/** Writes a scalar that follows an indicator (": " or "- "); indent is the scalar's own indent. */
function writeScalar(out: Out, n: Scalar, indent: number, simpleKey = false): void {
  const text = scalarText(n);
  if (text !== undefined) out.put(text);
  else writeString(out, (n as { value: string }).value, indent, simpleKey);
}

function isEmptyCollection(n: Node): string | undefined {
  if (n.kind === 'map' && n.entries.length === 0) return '{}';
  if (n.kind === 'seq' && n.items.length === 0) return '[]';
  return undefined;
}

/** A block mapping whose keys sit at `indent`. The first key continues the current line when `inline`. */
function writeMap(out: Out, entries: [string, Node][], indent: number, inline: boolean): void {
  entries.forEach(([key, value], i) => {
    if (i > 0 || !inline) out.newline(indent);
    writeString(out, key, indent + 2, true);
    out.put(':');
    writeValue(out, value, indent, true);
  });
}

/** A block sequence whose dashes sit at `indent`. */
function writeSeq(out: Out, items: Node[], indent: number, inline: boolean): void {
  items.forEach((item, i) => {
    if (i > 0 || !inline) out.newline(indent);
    out.put('-');
    writeValue(out, item, indent, false);
  });
}

/** Writes the node after "key:" (inMapping) or "-" at the parent's indent. */
function writeValue(out: Out, n: Node, parentIndent: number, inMapping: boolean): void {
  const empty = isEmptyCollection(n);
  if (empty !== undefined) {
    out.put(' ' + empty);
    return;
  }
  if (n.kind === 'map') {
    if (inMapping) writeMap(out, n.entries, parentIndent + 2, false);
    else {
      out.put(' ');
      writeMap(out, n.entries, parentIndent + 2, true);
    }
    return;
  }
  if (n.kind === 'seq') {
    // Sequences are not indented under a mapping key (go-yaml v2's "indentless" sequences).
    if (inMapping) writeSeq(out, n.items, parentIndent, false);
    else {
      out.put(' ');
      writeSeq(out, n.items, parentIndent + 2, true);
    }
    return;
  }
  out.put(' ');
  writeScalar(out, n, parentIndent + 2);
}

/**
 * sigs.k8s.io/yaml.Marshal: the YAML text with its trailing newline. Throws when Go's JSON encoder
 * would fail (functions, NaN, infinities).
 */
export function marshalYaml(v: unknown): string {
  const node = toNode(v);
  const out = new Out();
  const empty = isEmptyCollection(node);
  if (empty !== undefined) out.put(empty);
  else if (node.kind === 'map') writeMap(out, node.entries, 0, true);
  else if (node.kind === 'seq') writeSeq(out, node.items, 0, true);
  else writeScalar(out, node, 2);
  let text = out.text;
  if (!text.endsWith('\n')) text += '\n';
  return text;
}
