// toToml as Helm's BurntSushi/toml encoder prints a map: plain keys first, then tables
// ([a], nested [a.b] indented two spaces per level), arrays of tables as [[a]]; float64 always
// with a decimal point (1.0), nil values skipped.

import { isPlainObject } from './goJson';

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function quoteKey(k: string): string {
  return BARE_KEY.test(k) ? k : quoteString(k);
}

function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\b': out += '\\b'; break;
      case '\t': out += '\\t'; break;
      case '\n': out += '\\n'; break;
      case '\f': out += '\\f'; break;
      case '\r': out += '\\r'; break;
      default:
        out += c < 0x20 || c === 0x7f ? '\\u' + c.toString(16).toUpperCase().padStart(4, '0') : ch;
    }
  }
  return out + '"';
}

const isTable = (v: unknown) => isPlainObject(v);
const isArrayOfTables = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(isTable);

function element(v: unknown): string {
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    const s = Math.abs(v) >= 1e21 || (Math.abs(v) < 1e-6 && v !== 0) ? v.toExponential().replace('e+', 'e') : String(v);
    return /[.e]/.test(s) ? s : s + '.0';
  }
  if (Array.isArray(v)) {
    if (v.some((x) => x === null || x === undefined)) throw new Error('toml: cannot encode array with nil element');
    return '[' + v.map(element).join(', ') + ']';
  }
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort().filter((k) => v[k] !== null && v[k] !== undefined);
    return '{' + keys.map((k) => `${quoteKey(k)} = ${element(v[k])}`).join(', ') + '}';
  }
  throw new Error(`toml: cannot encode a value of type ${typeof v}`);
}

class TomlWriter {
  out = '';
  newline(): void {
    if (this.out.length > 0) this.out += '\n';
  }

  table(key: string[], m: Record<string, unknown>): void {
    const direct: string[] = [];
    const sub: string[] = [];
    for (const k of Object.keys(m)) (isTable(m[k]) || isArrayOfTables(m[k]) ? sub : direct).push(k);
    direct.sort();
    sub.sort();
    for (const k of [...direct, ...sub]) {
      const v = m[k];
      if (v === null || v === undefined) continue;
      this.encode([...key, k], v);
    }
  }

  encode(key: string[], v: unknown): void {
    const indent = '  '.repeat(key.length - 1);
    const name = key.map(quoteKey).join('.');
    if (isTable(v)) {
      if (key.length === 1) this.newline();
      this.out += `${indent}[${name}]\n`;
      this.table(key, v as Record<string, unknown>);
    } else if (isArrayOfTables(v)) {
      for (const t of v as Record<string, unknown>[]) {
        this.newline();
        this.out += `${indent}[[${name}]]\n`;
        this.table(key, t);
      }
    } else {
      this.out += `${indent}${quoteKey(key[key.length - 1])} = ${element(v)}\n`;
    }
  }
}

/** Encodes a map as TOML; throws like the Go encoder would for values TOML cannot hold. */
export function encodeToml(v: unknown): string {
  if (!isPlainObject(v)) throw new Error('toml: top-level values must be Go maps or structs');
  const w = new TomlWriter();
  w.table([], v);
  return w.out;
}
