// time.ParseInLocation with Go's layouts and Go's error texts ("parsing time "x" as
// "2006-01-02": cannot parse "x" as "2006""), for Sprig's toDate and mustToDate.

import { GoTime, NS_PER_MS, NS_PER_SEC, UTC, civilToMs, floorDiv, zoneAt, type GoLocation } from './gotime';
import { LONG_DAYS, LONG_MONTHS, isDigitAt, nextStdChunk } from './layout';

/** time.ParseError with Go's message. */
/** The time package's own quote(): ASCII as is (with \\" and \\\\), other bytes as \\xNN. */
export function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + b.toString(16).padStart(2, '0');
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

export class GoParseError extends Error {
  constructor(value: string, layout: string, valueElem: string, layoutElem: string, message = '') {
    const q = timeQuote;
    super(
      message === ''
        ? `parsing time ${q(value)} as ${q(layout)}: cannot parse ${q(valueElem)} as ${q(layoutElem)}`
        : `parsing time ${q(value)}${message}`,
    );
    this.name = 'GoParseError';
  }
}

function lookup(tab: string[], val: string): [number, string] | undefined {
  for (let i = 0; i < tab.length; i++) {
    if (val.length >= tab[i].length && val.slice(0, tab[i].length).toLowerCase() === tab[i].toLowerCase()) {
      return [i, val.slice(tab[i].length)];
    }
  }
  return undefined;
}

function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(s, 0)) return undefined;
  if (!isDigitAt(s, 1)) {
    if (fixed) return undefined;
    return [Number(s[0]), s.slice(1)];
  }
  return [Number(s.slice(0, 2)), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] | undefined {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + Number(s[i]);
  if (i === 0 || (fixed && i !== 3)) return undefined;
  return [n, s.slice(i)];
}

function skipPrefix(value: string, prefix: string): string | undefined {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return undefined;
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return undefined;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function daysIn(month: number, year: number): number {
  return new Date(civilToMs(year, month + 1, 0)).getUTCDate();
}

/** time.ParseInLocation with Go's layouts; throws GoParseError like Go's error. */
export function parseTime(layout: string, value: string, local: GoLocation): GoTime {
  const alayout = layout;
  const avalue = value;
  let year = 0;
  let month = -1;
  let day = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let yday = -1;
  let zoneOffset = -1;
  let zoneName = '';
  let utc = false;
  let rangeErr = '';

  for (;;) {
    const ch = nextStdChunk(layout);
    const afterPrefix = skipPrefix(value, ch.prefix);
    if (afterPrefix === undefined) throw new GoParseError(avalue, alayout, value, ch.prefix);
    value = afterPrefix;
    if (!ch.std) {
      if (value.length !== 0) throw new GoParseError(avalue, alayout, '', '', `: extra text: ${timeQuote(value)}`);
      break;
    }
    layout = ch.suffix;
    const hold = value;
    const fail = (): never => {
      throw new GoParseError(avalue, alayout, hold, ch.text);
    };
    let r: [number, string] | undefined;
    switch (ch.std) {
      case 'Year': {
        if (value.length < 2 || !isDigitAt(value, 0) || !isDigitAt(value, 1)) fail();
        const y = Number(value.slice(0, 2));
        value = value.slice(2);
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case 'LongYear':
        if (value.length < 4 || ![0, 1, 2, 3].every((i) => isDigitAt(value, i))) fail();
        year = Number(value.slice(0, 4));
        value = value.slice(4);
        break;
      case 'Month':
      case 'LongMonth': {
        const tab = ch.std === 'Month' ? LONG_MONTHS.map((m) => m.slice(0, 3)) : LONG_MONTHS;
        const found = lookup(tab, value);
        if (!found) fail();
        month = found![0] + 1;
        value = found![1];
        break;
      }
      case 'NumMonth':
      case 'ZeroMonth':
        r = getnum(value, ch.std === 'ZeroMonth');
        if (!r) fail();
        [month, value] = r!;
        if (month <= 0 || month > 12) rangeErr = 'month';
        break;
      case 'WeekDay':
      case 'LongWeekDay': {
        const tab = ch.std === 'WeekDay' ? LONG_DAYS.map((d) => d.slice(0, 3)) : LONG_DAYS;
        const found = lookup(tab, value);
        if (!found) fail();
        value = found![1];
        break;
      }
      case 'Day':
      case 'UnderDay':
      case 'ZeroDay':
        if (ch.std === 'UnderDay' && value.length > 0 && value[0] === ' ') value = value.slice(1);
        r = getnum(value, ch.std === 'ZeroDay');
        if (!r) fail();
        [day, value] = r!;
        break;
      case 'UnderYearDay':
      case 'ZeroYearDay':
        for (let i = 0; i < 2; i++) if (ch.std === 'UnderYearDay' && value[0] === ' ') value = value.slice(1);
        r = getnum3(value, ch.std === 'ZeroYearDay');
        if (!r) fail();
        [yday, value] = r!;
        if (yday < 1 || yday > 366) rangeErr = 'day-of-year';
        break;
      case 'Hour':
        r = getnum(value, false);
        if (!r) fail();
        [hour, value] = r!;
        if (hour < 0 || hour > 23) rangeErr = 'hour';
        break;
      case 'Hour12':
      case 'ZeroHour12':
        r = getnum(value, ch.std === 'ZeroHour12');
        if (!r) fail();
        [hour, value] = r!;
        if (hour < 0 || hour > 12) rangeErr = 'hour';
        break;
      case 'Minute':
      case 'ZeroMinute':
        r = getnum(value, ch.std === 'ZeroMinute');
        if (!r) fail();
        [min, value] = r!;
        if (min < 0 || min > 59) rangeErr = 'minute';
        break;
      case 'Second':
      case 'ZeroSecond': {
        r = getnum(value, ch.std === 'ZeroSecond');
        if (!r) fail();
        [sec, value] = r!;
        if (sec < 0 || sec > 59) {
          rangeErr = 'second';
          break;
        }
        // A fractional second in the value but not in the layout is accepted.
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigitAt(value, 1)) {
          const next = nextStdChunk(layout);
          if (next.std === 'FracSecond0' || next.std === 'FracSecond9') break;
          let n = 2;
          while (n < value.length && isDigitAt(value, n)) n++;
          nsec = parseNanos(value, n);
          value = value.slice(n);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        if (value.length < 2) fail();
        const p = value.slice(0, 2);
        value = value.slice(2); // Go has already consumed the two bytes when it reports a mismatch
        const want = ch.std === 'PM' ? ['PM', 'AM'] : ['pm', 'am'];
        if (p === want[0]) pmSet = true;
        else if (p === want[1]) amSet = true;
        else throw new GoParseError(avalue, alayout, value, ch.text);
        break;
      }
      case 'TZ': {
        if (value.length >= 3 && value.slice(0, 3) === 'UTC') {
          utc = true;
          value = value.slice(3);
          break;
        }
        const m = /^(?:[A-Z]{3,5}|GMT[+-]\d{1,2})/.exec(value);
        if (!m) fail();
        zoneName = m![0];
        value = value.slice(zoneName.length);
        break;
      }
      case 'FracSecond0': {
        const ndigit = 1 + ch.digits!;
        if (value.length < ndigit) fail();
        if (value[0] !== '.' && value[0] !== ',') fail();
        const digits = value.slice(1, ndigit);
        if (!/^\d*$/.test(digits)) fail();
        nsec = parseNanos(value, ndigit);
        value = value.slice(ndigit);
        break;
      }
      case 'FracSecond9': {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigitAt(value, 1)) break;
        let i = 0;
        while (i + 1 < value.length && isDigitAt(value, i + 1)) i++;
        nsec = parseNanos(value, 1 + i);
        value = value.slice(1 + i);
        break;
      }
      default: {
        // Numeric and ISO 8601 offsets; "Z" is accepted by Z0700, Z07 and Z07:00 only.
        const std = ch.std;
        if ((std === 'ISO8601TZ' || std === 'ISO8601ShortTZ' || std === 'ISO8601ColonTZ') && value.length >= 1 && value[0] === 'Z') {
          value = value.slice(1);
          utc = true;
          break;
        }
        const colon = std.includes('Colon');
        const short = std.includes('Short');
        const seconds = std.includes('Seconds');
        const width = short ? 3 : colon ? (seconds ? 9 : 6) : seconds ? 7 : 5;
        if (value.length < width) fail();
        if (colon && (value[3] !== ':' || (seconds && value[6] !== ':'))) fail();
        const sign = value[0];
        const hour = value.slice(1, 3);
        const min = short ? '00' : colon ? value.slice(4, 6) : value.slice(3, 5);
        const sec = !seconds ? '00' : colon ? value.slice(7, 9) : value.slice(5, 7);
        value = value.slice(width); // consumed before the checks below, as in Go
        const two = (x: string) => (/^\d\d$/.test(x) ? Number(x) : undefined);
        const hh = two(hour);
        const mm = two(min);
        const ss = two(sec);
        if (hh === undefined || mm === undefined || ss === undefined || (sign !== '+' && sign !== '-')) {
          throw new GoParseError(avalue, alayout, value, ch.text);
        }
        if (hh > 24) rangeErr = 'time zone offset hour';
        if (mm > 60) rangeErr = 'time zone offset minute';
        if (ss > 60) rangeErr = 'time zone offset second';
        zoneOffset = (hh * 60 + mm) * 60 + ss;
        if (sign === '-') zoneOffset = -zoneOffset;
        break;
      }
    }
    if (rangeErr !== '') throw new GoParseError(avalue, alayout, hold, ch.text, `: ${rangeErr} out of range`);
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    // The month and day a day-of-year stands for; they must agree with any month/day parsed.
    const d = new Date(civilToMs(year, 1, 1) + (yday - 1) * 86_400_000);
    const m = d.getUTCMonth() + 1;
    const dd = d.getUTCDate();
    if (d.getUTCFullYear() !== year) throw new GoParseError(avalue, alayout, '', '', ': day-of-year out of range');
    if (month >= 0 && month !== m) throw new GoParseError(avalue, alayout, '', '', ': day-of-year does not match month');
    month = m;
    if (day >= 0 && day !== dd) throw new GoParseError(avalue, alayout, '', '', ': day-of-year does not match day');
    day = dd;
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > daysIn(month, year)) throw new GoParseError(avalue, alayout, '', '', ': day out of range');

  const wallNs = BigInt(civilToMs(year, month, day, hour, min, sec)) * NS_PER_MS + BigInt(nsec);
  if (utc) return new GoTime(wallNs, UTC);
  if (zoneOffset !== -1) {
    const t = new GoTime(wallNs - BigInt(zoneOffset) * NS_PER_SEC, local);
    if (zoneAt(local, t.epochMs).offset === zoneOffset) return t;
    return t.in({ name: '', fixedOffset: zoneOffset });
  }
  if (zoneName !== '') {
    const guess = new GoTime(wallNs, local);
    const z = zoneAt(local, guess.epochMs);
    if (z.abbr === zoneName) return new GoTime(wallNs - BigInt(z.offset) * NS_PER_SEC, local);
    const gmt = /^GMT([+-]\d{1,2})$/.exec(zoneName);
    if (gmt) {
      const off = Number(gmt[1]) * 3600;
      return new GoTime(wallNs - BigInt(off) * NS_PER_SEC, { name: zoneName, fixedOffset: off });
    }
    return new GoTime(wallNs, { name: zoneName, fixedOffset: 0 });
  }
  // No zone in the value: the wall time is in the given location.
  return inLocation(wallNs, local);
}

/** The instant whose wall clock in loc reads wallNs (first guess, corrected once for DST). */
export function inLocation(wallNs: bigint, loc: GoLocation): GoTime {
  const wallMs = Number(floorDiv(wallNs, NS_PER_MS));
  const off1 = zoneAt(loc, wallMs).offset;
  const off2 = zoneAt(loc, wallMs - off1 * 1000).offset;
  return new GoTime(wallNs - BigInt(off2) * NS_PER_SEC, loc);
}

function parseNanos(value: string, nbytes: number): number {
  const digits = value.slice(1, nbytes).slice(0, 9).padEnd(9, '0');
  return Number(digits);
}

