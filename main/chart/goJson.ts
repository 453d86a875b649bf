// Go's encoding/json as Helm's toJson and (through sigs.k8s.io/yaml) toYaml see it: map keys sorted
// bytewise, float64 printed the way Go prints it, HTML characters escaped. Also Go's strconv 'g'
// float format, which YAML marshalling uses for non-integral numbers.

/**
 * Go's strconv.FormatFloat(f, 'g', -1, 64), which is also fmt's %v for float64: shortest digits, and
 * exponent form when the decimal exponent is < -4 or >= 6 (Go uses precision 6 for that decision in
 * shortest mode), so 1000000 prints as 1e+06 and 123456 as 123456.
 */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // toExponential() without an argument gives the shortest round-tripping digits, like Go.
  const [mant, expText] = f.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const abs = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(f);
}

/** Go's encoding/json float64 encoding: 'f' format unless < 1e-6 or >= 1e21, then 'e' with a short exponent. */
export function formatFloatJson(f: number): string {
  if (!Number.isFinite(f)) throw new TypeError(`json: unsupported value: ${formatFloatG(f)}`);
  if (Object.is(f, -0)) return '-0';
  // JavaScript switches to exponent form at exactly the same thresholds and prints e-7 / e+21 like Go.
  return String(f);
}

const HEX = '0123456789abcdef';

/** Go's json string encoding with HTML escaping (json.Marshal default). */
export function quoteJson(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      switch (c) {
        case 0x22: esc = '\\"'; break;
        case 0x5c: esc = '\\\\'; break;
        case 0x0a: esc = '\\n'; break;
        case 0x0d: esc = '\\r'; break;
        case 0x09: esc = '\\t'; break;
        case 0x08: esc = '\\b'; break;
        case 0x0c: esc = '\\f'; break;
        default: esc = '\\u' + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
      }
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 in Go: it becomes U+FFFD.
      const paired = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (paired) { i++; continue; }
      esc = '\ufffd';
    }
    if (esc !== undefined) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

/** Byte-wise (UTF-8) string order, as Go's sort.Strings. Code point order equals UTF-8 byte order. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Go's time.Time JSON form (RFC 3339 with nanoseconds trimmed). */
function formatTime(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

/**
 * json.Marshal. Throws (like Go returns an error) for values JSON cannot hold: functions, NaN, Inf.
 * bigint is Go's int64; Uint8Array is []byte (base64, as Go does).
 */
export function marshalJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string': return quoteJson(v);
    case 'boolean': return v ? 'true' : 'false';
    case 'number': return formatFloatJson(v);
    case 'bigint': return v.toString();
    case 'function': throw new TypeError('json: unsupported type: func');
    case 'symbol': throw new TypeError('json: unsupported type: symbol');
  }
  if (Array.isArray(v)) return '[' + v.map(marshalJson).join(',') + ']';
  if (v instanceof Uint8Array) return quoteJson(Buffer.from(v).toString('base64'));
  if (v instanceof Date) return quoteJson(formatTime(v));
  if (v instanceof Map) {
    const obj: Record<string, unknown> = {};
    for (const [k, val] of v) obj[String(k)] = val;
    return marshalJson(obj);
  }
  const custom = (v as { toGoJSON?: () => unknown }).toGoJSON;
  if (typeof custom === 'function') return marshalJson(custom.call(v));
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => typeof obj[k] !== 'function').sort(compareGoStrings);
  return '{' + keys.map((k) => quoteJson(k) + ':' + marshalJson(obj[k])).join(',') + '}';
}

export class GoJsonSyntaxError extends Error {}

/**
 * json.Unmarshal into interface{}: every number becomes float64 (a JS number). Error texts follow
 * Go's ("invalid character 'x' looking for beginning of value", "unexpected end of JSON input").
 */
export function unmarshalJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    if (/end of (JSON )?input|Unterminated/i.test(msg) || text.trim() === '') throw new GoJsonSyntaxError('unexpected end of JSON input');
    const m = /position (\d+)/.exec(msg);
    const ch = m ? text[Number(m[1])] : undefined;
    throw new GoJsonSyntaxError(ch !== undefined ? `invalid character '${ch}' looking for beginning of value` : msg);
  }
}

/**
 * Sets an own property even for the key "__proto__" (valid in YAML/JSON values), which a plain
 * assignment would turn into a prototype change instead of a value.
 */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
