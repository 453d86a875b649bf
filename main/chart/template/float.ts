// Go's strconv.FormatFloat for float64 ('e', 'E', 'f', 'F', 'g', 'G', 'b', 'x', 'X'), digit for
// digit. Shortest digits come from JavaScript (both languages pick the shortest string that
// round-trips, closest to the exact value); fixed precision is rounded half-to-even on the exact
// binary value, as Go does (JavaScript's toFixed rounds ties up, so it cannot be used).

interface Decimal {
  /** Significant digits, no leading or trailing zeros ("" for zero). */
  d: string;
  /** Decimal point position: value = 0.d × 10^dp. */
  dp: number;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** Mantissa and binary exponent such that |v| = mant × 2^exp (denormals included). */
function decompose(v: number): { mant: bigint; exp: number } {
  f64[0] = v;
  const bits = u64[0]!;
  let exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { mant, exp: exp - 1023 - 52 };
}

function trimZeros(d: Decimal): Decimal {
  let end = d.d.length;
  while (end > 0 && d.d.charCodeAt(end - 1) === 48) end--;
  if (end === 0) return { d: '', dp: 0 };
  return end === d.d.length ? d : { d: d.d.slice(0, end), dp: d.dp };
}

/** The exact decimal expansion of |v|. */
function exactDecimal(v: number): Decimal {
  if (v === 0) return { d: '', dp: 0 };
  const { mant, exp } = decompose(Math.abs(v));
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return trimZeros({ d: digits, dp });
}

/** Shortest digits that round-trip. */
function shortestDecimal(v: number): Decimal {
  if (v === 0) return { d: '', dp: 0 };
  const s = Math.abs(v).toExponential();
  const e = s.indexOf('e');
  const mant = s.slice(0, e).replace('.', '');
  const exp = Number(s.slice(e + 1));
  return trimZeros({ d: mant, dp: exp + 1 });
}

/** Go's decimal.Round: keep nd digits, rounding half to even on the exact value. */
function roundDecimal(a: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= a.d.length) return a;
  const c = a.d.charCodeAt(nd);
  let up: boolean;
  if (c === 53 && nd + 1 === a.d.length) up = nd > 0 && (a.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = c >= 53;
  if (!up) return trimZeros({ d: a.d.slice(0, nd), dp: a.dp });
  let i = nd - 1;
  while (i >= 0 && a.d.charCodeAt(i) === 57) i--;
  if (i < 0) return { d: '1', dp: a.dp + 1 };
  return trimZeros({ d: a.d.slice(0, i) + String.fromCharCode(a.d.charCodeAt(i) + 1), dp: a.dp });
}

function fmtE(neg: boolean, d: Decimal, prec: number, ch: string): string {
  let out = neg ? '-' : '';
  out += d.d.length ? d.d[0] : '0';
  if (prec > 0) {
    out += '.';
    const m = Math.min(d.d.length, prec + 1);
    if (m > 1) out += d.d.slice(1, m);
    for (let i = Math.max(m, 1); i <= prec; i++) out += '0';
  }
  out += ch;
  let exp = d.d.length === 0 ? 0 : d.dp - 1;
  out += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  out += exp < 10 ? '0' + exp : String(exp);
  return out;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.d.length, d.dp);
    out += d.d.slice(0, m);
    for (let i = m; i < d.dp; i++) out += '0';
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.d.length ? d.d[j] : '0';
    }
  }
  return out;
}

function fmtB(neg: boolean, v: number): string {
  const { mant, exp } = decompose(Math.abs(v));
  return (neg ? '-' : '') + mant.toString() + 'p' + (exp >= 0 ? '+' : '') + String(exp);
}

function fmtX(neg: boolean, v: number, prec: number, verb: string): string {
  let { mant, exp } = decompose(Math.abs(v));
  exp += 52;
  if (mant === 0n) exp = 0;
  const one60 = 1n << 60n;
  const mask64 = (1n << 64n) - 1n;
  mant <<= 8n;
  while (mant !== 0n && (mant & one60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & (one60 - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = verb === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = (neg ? '-' : '') + '0' + verb + String(Number((mant >> 60n) & 1n));
  mant = (mant << 4n) & mask64;
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask64;
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & mask64;
    }
  }
  out += verb === 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  out += exp < 10 ? '0' + exp : String(exp);
  return out;
}

/** strconv.FormatFloat(v, verb, prec, 64); prec -1 means shortest. */
export function formatFloat(v: number, verb: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  if (verb === 'b') return fmtB(neg, v);
  if (verb === 'x' || verb === 'X') return fmtX(neg, v, prec, verb);
  const lower = verb.toLowerCase();
  const shortest = prec < 0;
  let d: Decimal;
  if (shortest) {
    d = shortestDecimal(v);
    if (lower === 'e') prec = Math.max(d.d.length - 1, 0);
    else if (lower === 'f') prec = Math.max(d.d.length - d.dp, 0);
    else prec = d.d.length;
  } else {
    const exact = exactDecimal(v);
    if (lower === 'f') d = roundDecimal(exact, exact.dp + prec);
    else if (lower === 'e') d = roundDecimal(exact, prec + 1);
    else {
      if (prec === 0) prec = 1;
      d = roundDecimal(exact, prec);
    }
  }
  const expChar = verb === 'E' || verb === 'G' ? 'E' : 'e';
  if (lower === 'e') return fmtE(neg, d, prec, expChar);
  if (lower === 'f') return fmtF(neg, d, prec);
  // %g
  let eprec = prec;
  if (eprec > d.d.length && d.d.length >= d.dp) eprec = d.d.length;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > d.d.length) prec = d.d.length;
    return fmtE(neg, d, prec - 1, expChar);
  }
  if (prec > d.dp) prec = d.d.length;
  return fmtF(neg, d, Math.max(prec - d.dp, 0));
}
