// Helm's --set / --set-string / --set-file syntax (pkg/strvals): `a.b=c,list[0]=x,escaped\.dot=1,
// arr={a,b}`. With --set, "true"/"false" become booleans, "null" becomes null (deleting the key when
// values are coalesced) and decimal integers not starting with 0 become int64 (bigint here); every
// other value, floats included, stays a string.

import { ChartError } from './errors';
import { setOwn } from './goJson';

const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

type Values = Record<string, unknown>;
type ValueReader = (raw: string) => unknown;

class Scanner {
  pos = 0;
  constructor(readonly runes: string[]) {}
  read(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }
  unread(): void {
    this.pos--;
  }
}

const EOF = Symbol('EOF');
class NotList extends Error {}

/** Reads until one of `stop` (consumed and returned as `last`) or the end; `\x` is a literal x. */
function runesUntil(sc: Scanner, stop: string): { text: string; last: string | typeof EOF } {
  let text = '';
  for (;;) {
    const r = sc.read();
    if (r === undefined) return { text, last: EOF };
    if (stop.includes(r)) return { text, last: r };
    if (r === '\\') {
      const next = sc.read();
      if (next === undefined) return { text, last: EOF };
      text += next;
    } else {
      text += r;
    }
  }
}

function typedValue(val: string, asString: boolean): unknown {
  if (asString) return val;
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return 0n;
  // Go's strconv.ParseInt(val, 10, 64) on values that do not start with "0".
  if (val.length > 0 && val[0] !== '0' && /^[+-]?\d+$/.test(val)) {
    const n = BigInt(val);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  return val;
}

function setIndex(list: unknown[], index: number, value: unknown): unknown[] {
  if (index < 0) throw new Error(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  while (list.length <= index) list.push(null);
  list[index] = value;
  return list;
}

function isMap(v: unknown): v is Values {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

class Parser {
  constructor(readonly sc: Scanner, readonly data: Values, readonly reader: ValueReader, readonly asString: boolean) {}

  parse(): void {
    for (;;) {
      const done = this.key(this.data, 0);
      if (done) return;
    }
  }

  /** Returns true at the end of input. */
  key(data: Values, nestedLevel: number): boolean {
    const { text: k, last } = runesUntil(this.sc, '=[,.');
    if (last === EOF) {
      if (k.length === 0) return true;
      throw new Error(`key "${k}" has no value`);
    }
    switch (last) {
      case '[': {
        const i = this.keyIndex();
        const existing = data[k];
        const list = Array.isArray(existing) ? existing : [];
        const { list: updated, eof } = this.listItem(list, i, nestedLevel);
        setOwn(data, k, updated);
        return eof;
      }
      case '=': {
        const vl = this.valList();
        if (vl === EOF) {
          setOwn(data, k, '');
          return true;
        }
        if (vl !== undefined) {
          setOwn(data, k, vl.list);
          return vl.eof;
        }
        const { text, last: end } = runesUntil(this.sc, ',');
        setOwn(data, k, this.reader(text));
        return end === EOF;
      }
      case ',':
        setOwn(data, k, '');
        throw new Error(`key "${k}" has no value (cannot end with ,)`);
      case '.': {
        nestedLevel++;
        if (nestedLevel > MAX_NESTED_NAME_LEVEL) throw new Error(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        const existing = data[k];
        const inner: Values = isMap(existing) ? existing : {};
        const eof = this.key(inner, nestedLevel);
        if (Object.keys(inner).length === 0) throw new Error(`key map "${k}" has no value`);
        setOwn(data, k, inner);
        return eof;
      }
    }
    return false;
  }

  keyIndex(): number {
    const { text } = runesUntil(this.sc, ']');
    if (!/^[+-]?\d+$/.test(text)) throw new Error(`error parsing index: strconv.Atoi: parsing "${text}": invalid syntax`);
    const i = Number(text);
    if (i < 0) throw new Error(`error parsing index: negative ${i} index not allowed`);
    return i;
  }

  listItem(list: unknown[], i: number, nestedLevel: number): { list: unknown[]; eof: boolean } {
    const { text, last } = runesUntil(this.sc, '[.=');
    if (text.length > 0) throw new Error(`unexpected data at end of array index: "${text}"`);
    if (last === EOF) return { list, eof: true };
    switch (last) {
      case '=': {
        const vl = this.valList();
        if (vl === EOF) return { list: setIndex(list, i, ''), eof: true };
        if (vl !== undefined) return { list: setIndex(list, i, vl.list), eof: vl.eof };
        const { text: raw, last: end } = runesUntil(this.sc, ',');
        return { list: setIndex(list, i, this.reader(raw)), eof: end === EOF };
      }
      case '[': {
        const next = this.keyIndex();
        const existing = list[i];
        const inner = Array.isArray(existing) ? existing : [];
        const r = this.listItem(inner, next, nestedLevel);
        return { list: setIndex(list, i, r.list), eof: r.eof };
      }
      case '.': {
        const existing = list[i];
        const inner: Values = isMap(existing) ? existing : {};
        const eof = this.key(inner, nestedLevel);
        return { list: setIndex(list, i, inner), eof };
      }
    }
    throw new Error(`parse error: unexpected token ${last}`);
  }

  /** `{a,b}` after '=': the list, EOF at the end of input, or undefined when it is not a list. */
  valList(): { list: unknown[]; eof: boolean } | typeof EOF | undefined {
    const r = this.sc.read();
    if (r === undefined) return EOF;
    if (r !== '{') {
      this.sc.unread();
      return undefined;
    }
    const list: unknown[] = [];
    for (;;) {
      const { text, last } = runesUntil(this.sc, ',}');
      if (last === EOF) throw new Error('list must terminate with \'}\'');
      list.push(typedValue(text, this.asString));
      if (last === '}') {
        const after = this.sc.read();
        if (after === undefined) return { list, eof: true };
        if (after !== ',') this.sc.unread();
        return { list, eof: false };
      }
    }
  }
}

export type SetKind = 'set' | 'set-string' | 'set-file';

/**
 * Parses one --set style argument into `base` (modified in place, as strvals.ParseInto does).
 * `readFile` is needed only for --set-file.
 */
export function parseSetInto(expr: string, base: Values, kind: SetKind = 'set', readFile?: (path: string) => string): Values {
  const asString = kind !== 'set';
  const reader: ValueReader =
    kind === 'set-file'
      ? (raw) => {
          if (!readFile) throw new Error('--set-file needs a file reader');
          return readFile(raw);
        }
      : (raw) => typedValue(raw, asString);
  try {
    new Parser(new Scanner(Array.from(expr)), base, reader, asString).parse();
  } catch (err) {
    throw new ChartError('SET_INVALID', `failed parsing --${kind} data: ${(err as Error).message}`, {
      hint: `check the syntax of "${expr}": name=value pairs separated by commas, e.g. image.tag=1.2,ports[0]=80`,
      cause: err,
    });
  }
  return base;
}

/** Parses a --set expression into a fresh map. */
export function parseSet(expr: string, kind: SetKind = 'set'): Values {
  return parseSetInto(expr, {}, kind);
}
