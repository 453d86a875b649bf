// JSON as Go's encoding/json writes and reads it, for Sprig's toJson/fromJson family: sorted
// map keys, HTML-safe escapes (\u003c), floats in Go's form, bigints as integers, and decode
// errors worded like Go's ("invalid character 'x' looking for beginning of value").

import { GoTime } from './gotime';
import { isMap, isNil, isStringer } from './convert';

export interface JsonOptions {
  escapeHTML: boolean;
  indent?: string;
}

const PLAIN_JSON = /^[\x20-\x21\x23-\x25\x27-\x3b\x3d\x3f-\x5b\x5d-\x7e]*$/; // printable ASCII except " \ & < >

function quoteJson(s: string, escapeHTML: boolean): string {
  if (PLAIN_JSON.test(s)) return '"' + s + '"';
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) || cp === 0x2028 || cp === 0x2029) {
      out += '\\u' + cp.toString(16).padStart(4, '0');
    } else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd'; // lone surrogate = invalid UTF-8
    else out += ch;
  }
  return out + '"';
}

function formatJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  // Go uses %f below 1e21 and above 1e-6, %e otherwise with a short exponent: the JS rules.
  return String(f);
}

/** json.Marshal / json.MarshalIndent */
export function marshalJson(v: unknown, opts: JsonOptions, depth = 0): string {
  const nl = (d: number) => (opts.indent !== undefined ? '\n' + opts.indent.repeat(d) : '');
  const colon = opts.indent !== undefined ? ': ' : ':';
  if (isNil(v)) return 'null';
  switch (typeof v) {
    case 'string':
      return quoteJson(v, opts.escapeHTML);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatJsonFloat(v);
    case 'function':
      throw new Error('json: unsupported type: func()');
  }
  if (v instanceof Uint8Array) return quoteJson(Buffer.from(v).toString('base64'), opts.escapeHTML);
  if (v instanceof GoTime) return quoteJson(v.format('2006-01-02T15:04:05.999999999Z07:00'), opts.escapeHTML);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((x) => nl(depth + 1) + marshalJson(x, opts, depth + 1)).join(',') + nl(depth) + ']';
  }
  const custom = v as { toJSON?: () => unknown };
  if (isStringer(v) && typeof custom.toJSON === 'function') return marshalJson(custom.toJSON(), opts, depth); // json.Marshaler
  let obj: Record<string, unknown>;
  if (isMap(v)) obj = v;
  else if (isStringer(v)) {
    // Structs with exported fields (sprig.certificate) marshal as objects; others as strings.
    const fields = Object.entries(v as object).filter(([k]) => /^[A-Z]/.test(k));
    if (fields.length === 0) return quoteJson(v.goString(), opts.escapeHTML);
    const out = fields.map(([k, x]) => nl(depth + 1) + quoteJson(k, opts.escapeHTML) + colon + marshalJson(x, opts, depth + 1));
    return '{' + out.join(',') + nl(depth) + '}';
  } else obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  if (keys.length === 0) return '{}';
  const out = keys.map((k) => nl(depth + 1) + quoteJson(k, opts.escapeHTML) + colon + marshalJson(obj[k], opts, depth + 1));
  return '{' + out.join(',') + nl(depth) + '}';
}

/** json.Unmarshal into interface{}: objects → maps, numbers → float64. */
export function unmarshalJson(text: string): unknown {
  return new GoJsonParser(text).parseDocument();
}

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const cp = c.codePointAt(0)!;
  if (cp < 0x20 || cp === 0x7f) return `'\\x${cp.toString(16).padStart(2, '0')}'`;
  return `'${c}'`;
}

class GoJsonParser {
  private i = 0;
  constructor(private readonly s: string) {}

  private err(context: string): never {
    if (this.i >= this.s.length) throw new Error('unexpected end of JSON input');
    throw new Error(`invalid character ${quoteChar(this.s[this.i])} ${context}`);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  parseDocument(): unknown {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.err('after top-level value');
    return v;
  }

  private value(): unknown {
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [lit, val] of [['true', true], ['false', false], ['null', null]] as const) {
      if (c === lit[0]) {
        for (let k = 1; k < lit.length; k++) {
          this.i++;
          if (this.s[this.i] !== lit[k]) this.err(`in literal ${lit} (expecting '${lit[k]}')`);
        }
        this.i++;
        return val;
      }
    }
    return this.err('looking for beginning of value');
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.err('looking for beginning of object key string');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.err('after object key');
      this.i++;
      this.ws();
      out[k] = this.value();
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      this.err('after object key:value pair');
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      this.err('after array element');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"') {
        this.i++;
        return JSON.parse(this.s.slice(start, this.i)) as string;
      }
      if (c === '\\') {
        const e = this.s[this.i + 1];
        if (e === 'u') {
          for (let k = 2; k < 6; k++) {
            if (!/[0-9a-fA-F]/.test(this.s[this.i + k] ?? '')) {
              this.i += k;
              this.err('in \\u hexadecimal character escape');
            }
          }
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.i++;
          this.err('in string escape code');
        }
        this.i += 2;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) this.err('in string literal');
      this.i++;
    }
    return this.err('in string literal');
  }

  private number(): number {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i));
    if (!m || m[0] === '-') {
      this.i++;
      this.err('in numeric literal');
    }
    this.i += m![0].length;
    const next = this.s[this.i];
    if (next === '.' || next === 'e' || next === 'E') this.err('in numeric literal');
    return Number(m![0]);
  }
}
