// Go text/template's lexer (text/template/parse/lex.go), ported state for state so the
// parser sees the same items, with the same positions and line numbers, and lexical errors
// read exactly like Go's ("unclosed action", "bad number syntax: \"1x\"", ...).

export enum ItemType {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Complex,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  // Keywords appear after all the rest.
  Keyword,
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Item {
  type: ItemType;
  /** Offset of the item in the template text (UTF-16 code units). */
  pos: number;
  val: string;
  /** 1-based line number of the item's start. */
  line: number;
}

const keywords: Record<string, ItemType> = {
  '.': ItemType.Dot,
  block: ItemType.Block,
  break: ItemType.Break,
  continue: ItemType.Continue,
  define: ItemType.Define,
  else: ItemType.Else,
  end: ItemType.End,
  if: ItemType.If,
  range: ItemType.Range,
  nil: ItemType.Nil,
  template: ItemType.Template,
  with: ItemType.With,
};

const EOF = -1;
const spaceChars = ' \t\r\n';
const leftComment = '/*';
const rightComment = '*/';
const trimMarkerLen = 2;

function isSpace(r: number): boolean {
  return r === 32 || r === 9 || r === 13 || r === 10;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}_]$/u;

export function isAlphaNumeric(r: number): boolean {
  if (r < 0) return false;
  if (r < 0x80) return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(r));
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s.charCodeAt(at) === 45 && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s.charCodeAt(at)) && s.charCodeAt(at + 1) === 45;
}

function rightTrimLength(s: string): number {
  let n = s.length;
  while (n > 0 && spaceChars.includes(s[n - 1]!)) n--;
  return s.length - n;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && spaceChars.includes(s[i]!)) i++;
  return i - from;
}

/** Formats a code point like Go's %#U: U+0041 'A'. */
function goRuneU(r: number): string {
  let hex = r.toString(16).toUpperCase();
  while (hex.length < 4) hex = '0' + hex;
  return `U+${hex} '${String.fromCodePoint(r)}'`;
}

type StateFn = ((l: Lexer) => StateFn) | null;

export class Lexer {
  readonly input: string;
  readonly leftDelim: string;
  readonly rightDelim: string;
  /** Set by the parser: is `break`/`continue` a keyword (no function of that name)? */
  breakOK = true;
  continueOK = true;
  private pos = 0;
  private start = 0;
  private atEOF = false;
  private parenDepth = 0;
  private item: Item | null = null;
  insideAction = false;
  private dead = false;
  private readonly lineStarts: number[];

  constructor(input: string, left = '{{', right = '}}') {
    this.input = input;
    this.leftDelim = left || '{{';
    this.rightDelim = right || '}}';
    this.lineStarts = [0];
    for (let i = input.indexOf('\n'); i >= 0; i = input.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  lineAt(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** The next item; after an EOF or error item the lexer keeps returning EOF. */
  nextItem(): Item {
    if (this.dead) return { type: ItemType.EOF, pos: this.pos, val: 'EOF', line: this.lineAt(this.pos) };
    this.item = null;
    let state: StateFn = this.insideAction ? lexInsideAction : lexText;
    while (state !== null) state = state(this);
    return this.item ?? { type: ItemType.EOF, pos: this.pos, val: 'EOF', line: this.lineAt(this.pos) };
  }

  // --- helpers used by the state functions ---

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.pos += r > 0xffff ? 2 : 1;
    return r;
  }

  peek(): number {
    if (this.pos >= this.input.length) return EOF;
    return this.input.codePointAt(this.pos)!;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const c = this.input.charCodeAt(this.pos - 1);
      this.pos -= c >= 0xdc00 && c <= 0xdfff && this.pos > 1 ? 2 : 1;
    }
    this.atEOF = false;
  }

  thisItem(t: ItemType): Item {
    const i: Item = { type: t, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.lineAt(this.start) };
    this.start = this.pos;
    return i;
  }

  emit(t: ItemType): StateFn {
    return this.emitItem(this.thisItem(t));
  }

  emitItem(i: Item): StateFn {
    this.item = i;
    return null;
  }

  ignore(): void {
    this.start = this.pos;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r >= 0 && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r < 0 || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  errorf(message: string): StateFn {
    this.item = { type: ItemType.Error, pos: this.start, val: message, line: this.lineAt(this.start) };
    this.dead = true;
    return null;
  }

  atRightDelim(): [boolean, boolean] {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(this.rightDelim, this.pos + trimMarkerLen)) return [true, true];
    if (this.input.startsWith(this.rightDelim, this.pos)) return [true, false];
    return [false, false];
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF: case 46: case 44: case 124: case 58: case 41: case 40:
        return true;
    }
    return this.input.startsWith(this.rightDelim, this.pos);
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 10 + 1 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 16 + 6 + 1 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  // --- state access for the state functions (kept on the instance like Go's struct) ---
  get p(): number { return this.pos; }
  set p(v: number) { this.pos = v; }
  get s(): number { return this.start; }
  get depth(): number { return this.parenDepth; }
  set depth(v: number) { this.parenDepth = v; }
}

function lexText(l: Lexer): StateFn {
  const x = l.input.indexOf(l.leftDelim, l.p);
  if (x >= 0) {
    if (x > l.p) {
      l.p = x;
      let trimLength = 0;
      const delimEnd = l.p + l.leftDelim.length;
      if (hasLeftTrimMarker(l.input, delimEnd)) trimLength = rightTrimLength(l.input.slice(l.s, l.p));
      l.p -= trimLength;
      const i = l.thisItem(ItemType.Text);
      l.p += trimLength;
      l.ignore();
      if (i.val.length > 0) return l.emitItem(i);
    }
    return lexLeftDelim;
  }
  l.p = l.input.length;
  if (l.p > l.s) return l.emit(ItemType.Text);
  return l.emit(ItemType.EOF);
}

function lexLeftDelim(l: Lexer): StateFn {
  l.p += l.leftDelim.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.p);
  const afterMarker = trimSpace ? trimMarkerLen : 0;
  if (l.input.startsWith(leftComment, l.p + afterMarker)) {
    l.p += afterMarker;
    l.ignore();
    return lexComment;
  }
  const i = l.thisItem(ItemType.LeftDelim);
  l.p += afterMarker;
  l.ignore();
  l.insideAction = true;
  l.depth = 0;
  return l.emitItem(i);
}

function lexComment(l: Lexer): StateFn {
  l.p += leftComment.length;
  const x = l.input.indexOf(rightComment, l.p);
  if (x < 0) return l.errorf('unclosed comment');
  l.p = x + rightComment.length;
  const [delim, trimSpace] = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  if (trimSpace) l.p += trimMarkerLen;
  l.p += l.rightDelim.length;
  if (trimSpace) l.p += leftTrimLength(l.input, l.p);
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): StateFn {
  const [, trimSpace] = l.atRightDelim();
  if (trimSpace) {
    l.p += trimMarkerLen;
    l.ignore();
  }
  l.p += l.rightDelim.length;
  const i = l.thisItem(ItemType.RightDelim);
  if (trimSpace) {
    l.p += leftTrimLength(l.input, l.p);
    l.ignore();
  }
  l.insideAction = false;
  return l.emitItem(i);
}

function lexInsideAction(l: Lexer): StateFn {
  const [delim] = l.atRightDelim();
  if (delim) {
    if (l.depth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  switch (r) {
    case 61: // =
      return l.emit(ItemType.Assign);
    case 58: // :
      if (l.next() !== 61) return l.errorf('expected :=');
      return l.emit(ItemType.Declare);
    case 124: // |
      return l.emit(ItemType.Pipe);
    case 34: return lexQuote;
    case 96: return lexRawQuote;
    case 36: return lexVariable;
    case 39: return lexChar;
    case 40: // (
      l.depth++;
      return l.emit(ItemType.LeftParen);
    case 41: // )
      l.depth--;
      if (l.depth < 0) return l.errorf('unexpected right paren');
      return l.emit(ItemType.RightParen);
  }
  if (r === 46) { // .
    if (l.p < l.input.length) {
      const c = l.input.charCodeAt(l.p);
      if (c < 48 || c > 57) return lexField;
    }
    l.backup();
    return lexNumber;
  }
  if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r < 0x80 && r >= 0x20 && r < 0x7f) {
    return l.emit(ItemType.Char);
  }
  return l.errorf(`unrecognized character in action: ${goRuneU(r)}`);
}

function lexSpace(l: Lexer): StateFn {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  if (hasRightTrimMarker(l.input, l.p - 1) && l.input.startsWith(l.rightDelim, l.p - 1 + trimMarkerLen)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  return l.emit(ItemType.Space);
}

function lexIdentifier(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.s, l.p);
    if (!l.atTerminator()) return l.errorf(`bad character ${goRuneU(r)}`);
    const kw = keywords[word];
    if (kw !== undefined && kw > ItemType.Keyword && Object.prototype.hasOwnProperty.call(keywords, word)) {
      if ((kw === ItemType.Break && !l.breakOK) || (kw === ItemType.Continue && !l.continueOK)) return l.emit(ItemType.Identifier);
      return l.emit(kw);
    }
    if (word[0] === '.') return l.emit(ItemType.Field);
    if (word === 'true' || word === 'false') return l.emit(ItemType.Bool);
    return l.emit(ItemType.Identifier);
  }
}

function lexField(l: Lexer): StateFn {
  return lexFieldOrVariable(l, ItemType.Field);
}

function lexVariable(l: Lexer): StateFn {
  if (l.atTerminator()) {
    return l.emit(ItemType.Variable);
  }
  return lexFieldOrVariable(l, ItemType.Variable);
}

function lexFieldOrVariable(l: Lexer, t: ItemType): StateFn {
  if (l.atTerminator()) {
    return l.emit(t === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${goRuneU(r)}`);
  return l.emit(t);
}

function lexChar(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === 92) {
      r = l.next();
      if (r !== EOF && r !== 10) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF || r === 10) return l.errorf('unterminated character constant');
    if (r === 39) break;
  }
  return l.emit(ItemType.CharConstant);
}

function lexNumber(l: Lexer): StateFn {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${JSON.stringify(l.input.slice(l.s, l.p))}`);
  const sign = l.peek();
  if (sign === 43 || sign === 45) {
    if (!l.scanNumber() || l.input[l.p - 1] !== 'i') return l.errorf(`bad number syntax: ${JSON.stringify(l.input.slice(l.s, l.p))}`);
    return l.emit(ItemType.Complex);
  }
  return l.emit(ItemType.Number);
}

function lexQuote(l: Lexer): StateFn {
  for (;;) {
    let r = l.next();
    if (r === 92) {
      r = l.next();
      if (r !== EOF && r !== 10) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF || r === 10) return l.errorf('unterminated quoted string');
    if (r === 34) break;
  }
  return l.emit(ItemType.String);
}

function lexRawQuote(l: Lexer): StateFn {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 96) break;
  }
  return l.emit(ItemType.RawString);
}
