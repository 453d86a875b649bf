// Go's time.Time as Sprig's date functions see it: a nanosecond instant plus a location
// (time.Location), with wall-clock fields computed from the platform's IANA zone data through
// Intl. Layout formatting and parsing live in layout.ts, durations in duration.ts.

import { formatTime } from './layout';

export const NS_PER_SEC = 1_000_000_000n;
export const NS_PER_MS = 1_000_000n;

/** A time.Location: an IANA name, or a fixed offset with a name (time.FixedZone). */
export interface GoLocation {
  name: string; // "UTC", "Local", "Europe/Berlin", or a fixed zone's name
  iana?: string; // IANA zone used to compute offsets (Local resolves to one)
  fixedOffset?: number; // seconds east of UTC
}

export const UTC: GoLocation = { name: 'UTC', fixedOffset: 0 };

export function localLocation(zone?: string): GoLocation {
  const iana = zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  return { name: 'Local', iana };
}

/** time.LoadLocation: undefined when the zone is unknown. */
export function loadLocation(name: string, local: GoLocation): GoLocation | undefined {
  if (name === '' || name === 'UTC') return UTC;
  if (name === 'Local') return local;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return undefined;
  }
  return { name, iana: name };
}

const dtfCache = new Map<string, Intl.DateTimeFormat>();
const abbrCache = new Map<string, Intl.DateTimeFormat>();

function dtf(tz: string): Intl.DateTimeFormat {
  let f = dtfCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    dtfCache.set(tz, f);
  }
  return f;
}

/** Offset (seconds east of UTC) and abbreviation of a location at an instant. */
export function zoneAt(loc: GoLocation, epochMs: number): { offset: number; abbr: string } {
  if (loc.fixedOffset !== undefined) return { offset: loc.fixedOffset, abbr: loc.name };
  const tz = loc.iana ?? 'UTC';
  const ms = Math.max(Math.min(epochMs, 8.64e15), -8.64e15);
  const parts = dtf(tz).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '0';
  let year = Number(get('year'));
  if (get('era') === 'BC' || get('era') === 'B') year = 1 - year;
  const wall = civilToMs(year, Number(get('month')), Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')));
  const offset = Math.round((wall - Math.floor(ms / 1000) * 1000) / 1000);
  return { offset, abbr: zoneAbbr(tz, ms, offset) };
}

// tzdata abbreviations are not exposed by Intl; English locales name most zones with them
// (en-US: EST/PDT, en-GB: CET/BST, en-IN: IST, en-AU: AEST…), and tzdata itself names the
// rest by offset ("+04"), which is the fallback.
const ABBR_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU', 'en-NZ', 'en-CA', 'en-IE', 'en-ZA', 'ja-JP', 'ko-KR'];

function zoneAbbr(tz: string, ms: number, offset: number): string {
  if (tz === 'UTC' || tz === 'Etc/UTC') return 'UTC';
  for (const locale of ABBR_LOCALES) {
    const key = `${locale}|${tz}`;
    let f = abbrCache.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: 'short' });
      abbrCache.set(key, f);
    }
    const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{2,5}$/.test(name) && name !== 'GMT' && name !== 'UTC') return name;
  }
  if (offset === 0) return tz.startsWith('Etc/') || tz === 'GMT' || tz.startsWith('Europe/') ? 'GMT' : 'UTC';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const h = String(Math.floor(abs / 3600)).padStart(2, '0');
  const m = Math.floor((abs % 3600) / 60);
  return sign + h + (m ? String(m).padStart(2, '0') : '');
}

/** Milliseconds since the epoch of a proleptic-Gregorian UTC wall time (any year, no 1900 quirk). */
export function civilToMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** Integer division rounding toward negative infinity (instants before 1970 are negative). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Go's time.Time: an instant in nanoseconds since the Unix epoch, shown in a location. */
export class GoTime {
  /** Go's type name, read by the template engine for %T and parameter checks. */
  static readonly goType = 'time.Time';

  constructor(
    readonly epochNs: bigint,
    readonly loc: GoLocation,
  ) {}

  static fromDate(d: Date, loc: GoLocation): GoTime {
    return new GoTime(BigInt(d.getTime()) * NS_PER_MS, loc);
  }

  static unix(sec: bigint, loc: GoLocation): GoTime {
    return new GoTime(sec * NS_PER_SEC, loc);
  }

  /** time.Time{}: January 1, year 1, 00:00:00 UTC. */
  static zero(): GoTime {
    return new GoTime(BigInt(civilToMs(1, 1, 1)) * NS_PER_MS, UTC);
  }

  get epochMs(): number {
    return Number(floorDiv(this.epochNs, NS_PER_MS));
  }

  unixSeconds(): bigint {
    return floorDiv(this.epochNs, NS_PER_SEC);
  }

  nanosecond(): number {
    return Number(this.epochNs - this.unixSeconds() * NS_PER_SEC);
  }

  in(loc: GoLocation): GoTime {
    return new GoTime(this.epochNs, loc);
  }

  add(ns: bigint): GoTime {
    return new GoTime(this.epochNs + ns, this.loc);
  }

  isZero(): boolean {
    return this.epochNs === GoTime.zero().epochNs;
  }

  /** Broken-down wall-clock fields in this time's location. */
  fields(): WallClock {
    const { offset, abbr } = zoneAt(this.loc, this.epochMs);
    const wallSec = this.unixSeconds() + BigInt(offset);
    const d = new Date(Number(wallSec) * 1000);
    const start = civilToMs(d.getUTCFullYear(), 1, 1);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      nanosecond: this.nanosecond(),
      weekday: d.getUTCDay(),
      yearDay: Math.floor((d.getTime() - start) / 86_400_000) + 1,
      offset,
      abbr,
    };
  }

  format(layout: string): string {
    return formatTime(this, layout);
  }

  equalsStrict(o: GoTime): boolean {
    return this.epochNs === o.epochNs && this.loc.name === o.loc.name;
  }

  /** time.Time.String(), without the monotonic clock reading Go adds to time.Now(). */
  goString(): string {
    return this.format('2006-01-02 15:04:05.999999999 -0700 MST');
  }

  goTypeName(): string {
    return 'time.Time';
  }

  toString(): string {
    return this.goString();
  }

  // Methods templates call on a time.Time, e.g. {{ (now).Year }} or {{ now.Format "…" }}.
  Format(layout: string): string {
    return this.format(layout);
  }
  Unix(): bigint {
    return this.unixSeconds();
  }
  UnixNano(): bigint {
    return this.epochNs;
  }
  Year(): bigint {
    return BigInt(this.fields().year);
  }
  YearDay(): bigint {
    return BigInt(this.fields().yearDay);
  }
  Day(): bigint {
    return BigInt(this.fields().day);
  }
  Hour(): bigint {
    return BigInt(this.fields().hour);
  }
  Minute(): bigint {
    return BigInt(this.fields().minute);
  }
  Second(): bigint {
    return BigInt(this.fields().second);
  }
  Nanosecond(): bigint {
    return BigInt(this.nanosecond());
  }
  UTC(): GoTime {
    return this.in(UTC);
  }
  String(): string {
    return this.goString();
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
  weekday: number;
  yearDay: number;
  offset: number;
  abbr: string;
}

