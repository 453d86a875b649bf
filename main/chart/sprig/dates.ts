// Sprig's date functions (date.go): now, date/dateInZone/htmlDate with Go layouts, dateModify,
// duration, durationRound, ago, toDate and unixEpoch. "Local" is the zone given in the options
// (default: this machine's), so renders can be made repeatable in tests.

import { goFunc, type FuncMap } from './signature';
import { GoTime, NS_PER_SEC, UTC, loadLocation, type GoLocation } from './gotime';
import { parseTime } from './parse-time';
import { formatDuration, parseDuration, roundDuration } from './duration';

export interface DateContext {
  now: () => Date;
  local: GoLocation;
}

/** The time Sprig formats: time.Time as is, an int as Unix seconds, anything else means now. */
function asTime(ctx: DateContext, date: unknown): GoTime {
  if (date instanceof GoTime) return date;
  if (date instanceof Date) return GoTime.fromDate(date, ctx.local);
  if (typeof date === 'bigint') return GoTime.unix(BigInt.asIntN(64, date), ctx.local);
  return GoTime.fromDate(ctx.now(), ctx.local);
}

function dateInZone(ctx: DateContext, fmt: string, date: unknown, zone: string): string {
  const loc = loadLocation(zone, ctx.local) ?? UTC;
  return asTime(ctx, date).in(loc).format(fmt);
}

function nowTime(ctx: DateContext): GoTime {
  return GoTime.fromDate(ctx.now(), ctx.local);
}

function since(ctx: DateContext, t: GoTime): bigint {
  return nowTime(ctx).epochNs - t.epochNs;
}

const YEAR = 3600n * 24n * 365n * NS_PER_SEC;
const MONTH = 3600n * 24n * 30n * NS_PER_SEC;
const DAY = 3600n * 24n * NS_PER_SEC;
const HOUR = 3600n * NS_PER_SEC;
const MINUTE = 60n * NS_PER_SEC;

function durationRound(ctx: DateContext, duration: unknown): string {
  let d = 0n;
  if (typeof duration === 'string') {
    try {
      d = parseDuration(duration);
    } catch {
      d = 0n;
    }
  } else if (typeof duration === 'bigint') d = BigInt.asIntN(64, duration);
  else if (duration instanceof GoTime) d = since(ctx, duration);
  const u = d < 0n ? -d : d;
  const units: [bigint, string][] = [
    [YEAR, 'y'],
    [MONTH, 'mo'],
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
    [NS_PER_SEC, 's'],
  ];
  for (const [size, suffix] of units) if (u > size) return (u / size).toString() + suffix;
  return '0s';
}

export function dateFunctions(ctx: DateContext): FuncMap {
  const inZone = (name: string) =>
    goFunc(name, ['string', 'any', 'string'], (fmt: string, date: unknown, zone: string) => dateInZone(ctx, fmt, date, zone));
  const modify = (name: string) =>
    goFunc(name, ['string', 'time'], (fmt: string, date: GoTime) => {
      try {
        return date.add(parseDuration(fmt));
      } catch {
        return date;
      }
    });
  const mustModify = (name: string) => goFunc(name, ['string', 'time'], (fmt: string, date: GoTime) => date.add(parseDuration(fmt)));
  return {
    now: goFunc('now', [], () => nowTime(ctx)),
    date: goFunc('date', ['string', 'any'], (fmt: string, date: unknown) => dateInZone(ctx, fmt, date, 'Local')),
    date_in_zone: inZone('date_in_zone'),
    dateInZone: inZone('dateInZone'),
    htmlDate: goFunc('htmlDate', ['any'], (date: unknown) => dateInZone(ctx, '2006-01-02', date, 'Local')),
    htmlDateInZone: goFunc('htmlDateInZone', ['any', 'string'], (date: unknown, zone: string) => dateInZone(ctx, '2006-01-02', date, zone)),
    date_modify: modify('date_modify'),
    dateModify: modify('dateModify'),
    must_date_modify: mustModify('must_date_modify'),
    mustDateModify: mustModify('mustDateModify'),
    ago: goFunc('ago', ['any'], (date: unknown) => {
      const t = date instanceof GoTime || typeof date === 'bigint' ? asTime(ctx, date) : nowTime(ctx);
      return formatDuration(roundDuration(since(ctx, t), NS_PER_SEC));
    }),
    duration: goFunc('duration', ['any'], (sec: unknown) => {
      let n = 0n;
      if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) && BigInt.asIntN(64, BigInt(sec)) === BigInt(sec) ? BigInt(sec) : 0n;
      else if (typeof sec === 'bigint') n = BigInt.asIntN(64, sec);
      return formatDuration(BigInt.asIntN(64, n * NS_PER_SEC));
    }),
    durationRound: goFunc('durationRound', ['any'], (d: unknown) => durationRound(ctx, d)),
    toDate: goFunc('toDate', ['string', 'string'], (fmt: string, str: string) => {
      try {
        return parseTime(fmt, str, ctx.local);
      } catch {
        return GoTime.zero();
      }
    }),
    mustToDate: goFunc('mustToDate', ['string', 'string'], (fmt: string, str: string) => parseTime(fmt, str, ctx.local)),
    unixEpoch: goFunc('unixEpoch', ['time'], (date: GoTime) => date.unixSeconds().toString()),
  };
}
