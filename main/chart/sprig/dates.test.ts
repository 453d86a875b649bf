import { describe, expect, it } from 'vitest';
import { err, fixture, table, type Case } from './testing';
import { GoTime, UTC, localLocation } from './gotime';
import { formatDuration, parseDuration } from './duration';

// Cases from Sprig's date_test.go and docs/date.md, and Go's time package layouts and
// Duration.String(). The fixture's clock is 2024-05-06T07:08:09.123Z and "Local" is UTC.
const t0 = GoTime.fromDate(new Date('2024-05-06T07:08:09.123Z'), UTC);
const epoch = 1700000000n; // 2023-11-14T22:13:20Z

const cases: Case[] = [
  ['date', ['2006-01-02', t0], '2024-05-06'],
  ['date', ['2006-01-02 15:04:05.000', t0], '2024-05-06 07:08:09.123'],
  ['date', ['Mon Jan _2 15:04:05 MST 2006', t0], 'Mon May  6 07:08:09 UTC 2024'],
  ['date', ['Monday, January 2, 2006 3:04 PM', t0], 'Monday, May 6, 2024 7:08 AM'],
  ['date', ['02/01/06 03:04:05pm', t0], '06/05/24 07:08:09am'],
  ['date', ['2006-01-02T15:04:05Z07:00', t0], '2024-05-06T07:08:09Z'],
  ['date', ['2006-01-02T15:04:05.999999999Z07:00', t0], '2024-05-06T07:08:09.123Z'],
  ['date', ['.000000 ,999 .9', t0], '.123000 ,123 .1'],
  ['date', ['002 __2 1 2 3 4 5', t0], '127 127 5 6 7 8 9'],
  ['date', ['-0700 -07:00 -07 -07:00:00', t0], '+0000 +00:00 +00 +00:00:00'],
  ['date', ['Jan January Mon Monday Janet', t0], 'May May Mon Monday Janet'],
  ['date', ['2006-01-02', epoch], '2023-11-14'],
  ['date', ['2006-01-02', 'not a time'], '2024-05-06'], // anything else means now
  ['date', ['2006-01-02', 1700000000], '2024-05-06'], // a float64 (YAML number) is not a Unix time in Go
  ['dateInZone', ['2006-01-02 15:04 MST -07:00', epoch, 'America/New_York'], '2023-11-14 17:13 EST -05:00'],
  ['dateInZone', ['2006-01-02 15:04 MST', t0, 'Europe/Berlin'], '2024-05-06 09:08 CEST'],
  ['dateInZone', ['15:04 MST -0700', epoch, 'Asia/Kolkata'], '03:43 IST +0530'],
  ['dateInZone', ['15:04 MST', epoch, 'Not/AZone'], '22:13 UTC'],
  ['date_in_zone', ['2006', epoch, 'UTC'], '2023'],
  ['htmlDate', [epoch], '2023-11-14'],
  ['htmlDateInZone', [epoch, 'Pacific/Auckland'], '2023-11-15'],
  ['unixEpoch', [t0], '1714979289'],
  ['unixEpoch', ['x'], err('wrong type for value; expected time.Time; got string')],
  ['duration', [95n], '1m35s'],
  ['duration', ['95'], '1m35s'],
  ['duration', [0n], '0s'],
  ['duration', [3600n], '1h0m0s'],
  ['duration', [90061n], '25h1m1s'],
  ['duration', [-5n], '-5s'],
  ['duration', ['abc'], '0s'],
  ['duration', [95.0], '0s'], // Sprig only reads strings and int64
  ['durationRound', ['2h10m5s'], '2h'],
  ['durationRound', ['1h'], '60m'], // strictly greater than an hour is needed for "h"
  ['durationRound', ['-3h1m'], '3h'],
  ['durationRound', ['90s'], '1m'],
  ['durationRound', ['49h'], '2d'],
  ['durationRound', ['800h'], '1mo'],
  ['durationRound', ['9000h'], '1y'],
  ['durationRound', ['500ms'], '0s'],
  ['durationRound', [3_600_000_000_001n], '1h'],
  ['durationRound', ['junk'], '0s'],
  ['durationRound', [GoTime.fromDate(new Date('2024-05-04T07:08:09.123Z'), UTC)], '2d'],
  ['ago', [GoTime.fromDate(new Date('2024-05-06T06:07:08.600Z'), UTC)], '1h1m1s'],
  ['ago', [t0], '0s'],
  ['ago', [1714979289n], '0s'],
  ['toDate', ['2006-01-02', '2017-12-31'], GoTime.fromDate(new Date('2017-12-31T00:00:00Z'), localLocation('UTC'))],
  ['toDate', ['2006-01-02', 'garbage'], GoTime.zero()],
  ['mustToDate', ['2006-01-02', 'garbage'], err('parsing time "garbage" as "2006-01-02": cannot parse "garbage" as "2006"')],
  ['mustToDate', ['2006-01-02', '2017-13-01'], err('parsing time "2017-13-01": month out of range')],
  ['mustToDate', ['2006-01-02', '2017-02-30'], err('parsing time "2017-02-30": day out of range')],
  ['mustToDate', ['2006-01-02', '2017-01-02x'], err('parsing time "2017-01-02x": extra text: "x"')],
  ['mustToDate', ['2006-01-02 15:04', '2017-01-02'], err('parsing time "2017-01-02" as "2006-01-02 15:04": cannot parse "" as "15"')],
  ['dateModify', ['-1.5h', t0], GoTime.fromDate(new Date('2024-05-06T05:38:09.123Z'), UTC)],
  ['dateModify', ['bad', t0], t0],
  ['date_modify', ['1h2m3.5s', t0], GoTime.fromDate(new Date('2024-05-06T08:10:12.623Z'), UTC)],
  ['mustDateModify', ['bad', t0], err('time: invalid duration "bad"')],
  ['must_date_modify', ['5', t0], err('time: missing unit in duration "5"')],
  ['mustDateModify', ['5y', t0], err('time: unknown unit "y" in duration "5y"')],
  ['dateModify', ['1h', '2024'], err('wrong type for value; expected time.Time; got string')],
];

describe('sprig dates', () => {
  table(cases);
  const f = fixture();

  it('toDate parses Go layouts, zones and fractions', () => {
    const d = f.toDate('2006-01-02T15:04:05.000Z07:00', '2021-03-04T05:06:07.891+02:00') as GoTime;
    expect(d.epochNs).toBe(BigInt(Date.parse('2021-03-04T03:06:07.891Z')) * 1_000_000n);
    expect(f.date('2006-01-02 15:04:05.000 -0700', d)).toBe('2021-03-04 03:06:07.891 +0000');
    const pm = f.toDate('Jan 2 2006 3:04PM', 'Feb 3 2013 1:05PM') as GoTime;
    expect(f.date('2006-01-02 15:04', pm)).toBe('2013-02-03 13:05');
    const frac = f.toDate('15:04:05', '10:11:12.345') as GoTime; // fraction not in layout
    expect(f.date('15:04:05.000', frac)).toBe('10:11:12.345');
    expect(f.date('2006-01-02', frac)).toBe('0000-01-01');
  });

  it('toDate reads a wall time in the local zone', () => {
    const berlin = fixture({ localZone: 'Europe/Berlin' });
    const d = berlin.toDate('2006-01-02 15:04', '2024-07-01 12:00') as GoTime;
    expect(new Date(d.epochMs).toISOString()).toBe('2024-07-01T10:00:00.000Z');
    expect(berlin.date('15:04 MST', d)).toBe('12:00 CEST');
    expect(berlin.htmlDate(d)).toBe('2024-07-01');
  });

  it('now is the injected clock, printed like time.Time.String()', () => {
    const now = f.now() as GoTime;
    expect(now.goString()).toBe('2024-05-06 07:08:09.123 +0000 UTC');
    expect(f['to' + 'String'](now)).toBe('2024-05-06 07:08:09.123 +0000 UTC');
    expect(f.typeOf(now)).toBe('time.Time');
    expect(f.toJson(now)).toBe('"2024-05-06T07:08:09.123Z"');
    expect(now.Year()).toBe(2024n);
    expect(now.Unix()).toBe(1714979289n);
  });

  it('Duration strings and parsing follow Go', () => {
    expect(formatDuration(0n)).toBe('0s');
    expect(formatDuration(1n)).toBe('1ns');
    expect(formatDuration(1500n)).toBe('1.5µs');
    expect(formatDuration(1_500_000n)).toBe('1.5ms');
    expect(formatDuration(61_500_000_000n)).toBe('1m1.5s');
    expect(formatDuration(-3_600_000_000_000n)).toBe('-1h0m0s');
    expect(parseDuration('1h15m30.918273645s')).toBe(4530918273645n);
    expect(parseDuration('-.5s')).toBe(-500_000_000n);
    expect(parseDuration('1µs')).toBe(1000n);
    expect(parseDuration('0')).toBe(0n);
    expect(() => parseDuration('')).toThrow('time: invalid duration ""');
    expect(() => parseDuration('.s')).toThrow('time: invalid duration ".s"');
  });
});
