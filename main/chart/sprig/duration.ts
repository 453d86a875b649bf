// Go's time.Duration as Sprig uses it: ParseDuration ("1h15m30.5s", "-.5s", "300ms"),
// Duration.String() ("1h0m0s", "1.5µs") and Duration.Round, on int64 nanoseconds (bigint).

import { NS_PER_SEC } from './gotime';
import { timeQuote } from './parse-time';

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5 micro sign
  'μs': 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: NS_PER_SEC,
  m: 60n * NS_PER_SEC,
  h: 3600n * NS_PER_SEC,
};

/** time.ParseDuration; throws with Go's message. */
export function parseDuration(s: string): bigint {
  const orig = s;
  const q = timeQuote(orig);
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new Error(`time: invalid duration ${q}`);
  let totalNs = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if ((m[1] === '' && (m[2] === undefined || m[2] === '')) || m[0] === '.') throw new Error(`time: invalid duration ${q}`);
    s = s.slice(m[0].length);
    const u = /^[^\d.]*/.exec(s)![0];
    if (u === '') throw new Error(`time: missing unit in duration ${q}`);
    const unit = UNITS[u];
    if (unit === undefined) throw new Error(`time: unknown unit ${timeQuote(u)} in duration ${q}`);
    s = s.slice(u.length);
    const whole = BigInt(m[1] || '0') * unit;
    let frac = 0n;
    if (m[2]) {
      // Fractions are truncated toward zero to nanoseconds, as Go does.
      const digits = m[2];
      frac = (BigInt(digits) * unit) / 10n ** BigInt(digits.length);
    }
    totalNs += whole + frac;
    if (totalNs > 2n ** 63n - 1n) throw new Error(`time: invalid duration ${q}`);
  }
  return neg ? -totalNs : totalNs;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) out = digit.toString() + out;
    v /= 10n;
  }
  if (print) out = '.' + out;
  return [out, v];
}

/** time.Duration.String(). */
export function formatDuration(d: bigint): string {
  let u = d < 0n ? -d : d;
  const neg = d < 0n;
  let out: string;
  if (u < NS_PER_SEC) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = rest.toString() + frac + unit;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = (u % 60n).toString() + frac + 's';
    u /= 60n;
    if (u > 0n) {
      out = (u % 60n).toString() + 'm' + out;
      u /= 60n;
      if (u > 0n) out = u.toString() + 'h' + out;
    }
  }
  return neg ? '-' + out : out;
}

/** time.Duration.Round(m): halfway values round away from zero. */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    return d - m + r;
  }
  if (r + r < m) return d - r;
  return d + m - r;
}
