// Go's reference-time layouts ("2006-01-02 15:04:05.000 -0700 MST"): the layout tokenizer
// (time/format.go nextStdChunk) and Time.Format. Parsing is in parse-time.ts.

import type { GoTime, WallClock } from './gotime';

export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Layout chunk kinds, named after time/format.go's std constants.
export type Std =
  | 'LongMonth' | 'Month' | 'NumMonth' | 'ZeroMonth'
  | 'LongWeekDay' | 'WeekDay'
  | 'Day' | 'UnderDay' | 'ZeroDay' | 'UnderYearDay' | 'ZeroYearDay'
  | 'Hour' | 'Hour12' | 'ZeroHour12' | 'Minute' | 'ZeroMinute' | 'Second' | 'ZeroSecond'
  | 'LongYear' | 'Year' | 'PM' | 'pm' | 'TZ'
  | 'ISO8601TZ' | 'ISO8601SecondsTZ' | 'ISO8601ShortTZ' | 'ISO8601ColonTZ' | 'ISO8601ColonSecondsTZ'
  | 'NumTZ' | 'NumSecondsTz' | 'NumShortTZ' | 'NumColonTZ' | 'NumColonSecondsTZ'
  | 'FracSecond0' | 'FracSecond9';

export interface Chunk {
  prefix: string;
  std?: Std;
  text: string; // the layout text of the std chunk, for error messages
  digits?: number; // fractional seconds digits
  sep?: string; // fractional seconds separator
  suffix: string;
}

export const isDigitAt = (s: string, i: number) => i < s.length && s[i] >= '0' && s[i] <= '9';
const startsLower = (s: string) => s.length > 0 && s[0] >= 'a' && s[0] <= 'z';

/** time/format.go nextStdChunk: the literal prefix, the next layout element and the rest. */
export function nextStdChunk(layout: string): Chunk {
  const ret = (i: number, std: Std, len: number, prefixEnd = i): Chunk => ({
    prefix: layout.slice(0, prefixEnd),
    std,
    text: layout.slice(prefixEnd, i + len),
    suffix: layout.slice(i + len),
  });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    const at = (s: string) => layout.startsWith(s, i);
    switch (c) {
      case 'J':
        if (at('Jan')) {
          if (at('January')) return ret(i, 'LongMonth', 7);
          if (!startsLower(layout.slice(i + 3))) return ret(i, 'Month', 3);
        }
        break;
      case 'M':
        if (at('Mon')) {
          if (at('Monday')) return ret(i, 'LongWeekDay', 6);
          if (!startsLower(layout.slice(i + 3))) return ret(i, 'WeekDay', 3);
        }
        if (at('MST')) return ret(i, 'TZ', 3);
        break;
      case '0':
        if (i + 1 < layout.length && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
          const std: Std[] = ['ZeroMonth', 'ZeroDay', 'ZeroHour12', 'ZeroMinute', 'ZeroSecond', 'Year'];
          return ret(i, std[Number(layout[i + 1]) - 1], 2);
        }
        if (at('002')) return ret(i, 'ZeroYearDay', 3);
        break;
      case '1':
        if (at('15')) return ret(i, 'Hour', 2);
        return ret(i, 'NumMonth', 1);
      case '2':
        if (at('2006')) return ret(i, 'LongYear', 4);
        return ret(i, 'Day', 1);
      case '_':
        if (at('_2')) {
          if (at('_2006')) return { prefix: layout.slice(0, i + 1), std: 'LongYear', text: '2006', suffix: layout.slice(i + 5) };
          return ret(i, 'UnderDay', 2);
        }
        if (at('__2')) return ret(i, 'UnderYearDay', 3);
        break;
      case '3':
        return ret(i, 'Hour12', 1);
      case '4':
        return ret(i, 'Minute', 1);
      case '5':
        return ret(i, 'Second', 1);
      case 'P':
        if (at('PM')) return ret(i, 'PM', 2);
        break;
      case 'p':
        if (at('pm')) return ret(i, 'pm', 2);
        break;
      case '-':
        if (at('-070000')) return ret(i, 'NumSecondsTz', 7);
        if (at('-07:00:00')) return ret(i, 'NumColonSecondsTZ', 9);
        if (at('-0700')) return ret(i, 'NumTZ', 5);
        if (at('-07:00')) return ret(i, 'NumColonTZ', 6);
        if (at('-07')) return ret(i, 'NumShortTZ', 3);
        break;
      case 'Z':
        if (at('Z070000')) return ret(i, 'ISO8601SecondsTZ', 7);
        if (at('Z07:00:00')) return ret(i, 'ISO8601ColonSecondsTZ', 9);
        if (at('Z0700')) return ret(i, 'ISO8601TZ', 5);
        if (at('Z07:00')) return ret(i, 'ISO8601ColonTZ', 6);
        if (at('Z07')) return ret(i, 'ISO8601ShortTZ', 3);
        break;
      case '.':
      case ',':
        if (i + 1 < layout.length && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
          const ch = layout[i + 1];
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigitAt(layout, j)) {
            return {
              prefix: layout.slice(0, i),
              std: ch === '0' ? 'FracSecond0' : 'FracSecond9',
              text: layout.slice(i, j),
              digits: j - (i + 1),
              sep: c,
              suffix: layout.slice(j),
            };
          }
        }
        break;
    }
  }
  return { prefix: layout, text: '', suffix: '' };
}

const pad = (n: number, w: number) => {
  const s = String(Math.abs(n)).padStart(w, '0');
  return n < 0 ? '-' + s : s;
};

/** time.Time.Format with Go's reference layout. */
export function formatTime(t: GoTime, layout: string): string {
  const f = t.fields();
  let out = '';
  let rest = layout;
  while (rest !== '') {
    const ch = nextStdChunk(rest);
    out += ch.prefix;
    if (!ch.std) break;
    rest = ch.suffix;
    out += formatStd(ch, f);
  }
  return out;
}

function formatStd(ch: Chunk, f: WallClock): string {
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  switch (ch.std!) {
    case 'Year':
      return pad(((f.year % 100) + 100) % 100, 2);
    case 'LongYear':
      return pad(f.year, 4);
    case 'Month':
      return LONG_MONTHS[f.month - 1].slice(0, 3);
    case 'LongMonth':
      return LONG_MONTHS[f.month - 1];
    case 'NumMonth':
      return String(f.month);
    case 'ZeroMonth':
      return pad(f.month, 2);
    case 'WeekDay':
      return LONG_DAYS[f.weekday].slice(0, 3);
    case 'LongWeekDay':
      return LONG_DAYS[f.weekday];
    case 'Day':
      return String(f.day);
    case 'UnderDay':
      return (f.day < 10 ? ' ' : '') + f.day;
    case 'ZeroDay':
      return pad(f.day, 2);
    case 'UnderYearDay':
      return String(f.yearDay).padStart(3, ' ');
    case 'ZeroYearDay':
      return pad(f.yearDay, 3);
    case 'Hour':
      return pad(f.hour, 2);
    case 'Hour12':
      return String(h12);
    case 'ZeroHour12':
      return pad(h12, 2);
    case 'Minute':
      return String(f.minute);
    case 'ZeroMinute':
      return pad(f.minute, 2);
    case 'Second':
      return String(f.second);
    case 'ZeroSecond':
      return pad(f.second, 2);
    case 'PM':
      return f.hour >= 12 ? 'PM' : 'AM';
    case 'pm':
      return f.hour >= 12 ? 'pm' : 'am';
    case 'TZ': {
      if (f.abbr !== '') return f.abbr;
      const zone = Math.trunc(f.offset / 60);
      return (zone < 0 ? '-' : '+') + pad(Math.floor(Math.abs(zone) / 60), 2) + pad(Math.abs(zone) % 60, 2);
    }
    case 'FracSecond0': {
      const digits = String(f.nanosecond).padStart(9, '0').slice(0, ch.digits);
      return ch.sep + digits;
    }
    case 'FracSecond9': {
      const digits = String(f.nanosecond).padStart(9, '0').slice(0, ch.digits).replace(/0+$/, '');
      return digits === '' ? '' : ch.sep + digits;
    }
    default:
      return formatZone(ch.std!, f.offset);
  }
}

function formatZone(std: Std, offset: number): string {
  if (offset === 0 && std.startsWith('ISO8601')) return 'Z';
  let zone = Math.trunc(offset / 60);
  let abs = offset;
  let out = '+';
  if (zone < 0) {
    out = '-';
    zone = -zone;
    abs = -abs;
  }
  out += pad(Math.floor(zone / 60), 2);
  const colon = std.includes('Colon');
  if (colon) out += ':';
  if (!std.includes('Short')) out += pad(zone % 60, 2);
  if (std.includes('Seconds')) {
    if (colon) out += ':';
    out += pad(abs % 60, 2);
  }
  return out;
}

