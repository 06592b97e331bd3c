import { describe, expect, it } from 'vitest';
import { Bucketer, intervalName, parseInterval } from '../../../src/domain/metrics/intervals.js';
import { parseSpan, resolveRange } from '../../../src/domain/metrics/periods.js';
import { TimeZone } from '../../../src/domain/metrics/time-zone.js';

const shanghai = TimeZone.of('Asia/Shanghai');
const newYork = TimeZone.of('America/New_York');
const iso = (ms: number, zone = shanghai): string => zone.format(ms);

describe('TimeZone', () => {
  it('offsets, local fields, instants and ISO with offset', () => {
    const t = Date.parse('2024-05-06T01:30:00Z');
    expect(shanghai.offsetMs(t)).toBe(8 * 3600_000);
    expect(shanghai.local(t)).toEqual({ year: 2024, month: 5, day: 6, hour: 9, minute: 30, second: 0, weekday: 1 });
    expect(shanghai.instant(2024, 5, 6, 9, 30)).toBe(t);
    expect(shanghai.format(t)).toBe('2024-05-06T09:30:00.000+08:00');
    expect(shanghai.startOfDay(t)).toBe(Date.parse('2024-05-05T16:00:00Z'));
    expect(TimeZone.of('UTC').format(t)).toBe('2024-05-06T01:30:00.000+00:00');
    expect(TimeZone.of('Asia/Kathmandu').format(t)).toBe('2024-05-06T07:15:00.000+05:45');
  });

  it('follows daylight saving time (America/New_York, 2024-03-10 and 2024-11-03)', () => {
    expect(newYork.offsetMs(Date.parse('2024-03-10T06:59:59Z'))).toBe(-5 * 3600_000);
    expect(newYork.offsetMs(Date.parse('2024-03-10T07:00:00Z'))).toBe(-4 * 3600_000);
    expect(newYork.instant(2024, 3, 10, 0, 0)).toBe(Date.parse('2024-03-10T05:00:00Z'));
    expect(newYork.instant(2024, 3, 11, 0, 0)).toBe(Date.parse('2024-03-11T04:00:00Z')); // a 23-hour day
    expect(newYork.instant(2024, 11, 3, 1, 30)).toBe(Date.parse('2024-11-03T05:30:00Z')); // first of the two 01:30s
  });

  it('rejects an unknown zone with its name', () => {
    expect(() => TimeZone.of('Asia/Shanghia')).toThrow('unknown time zone "Asia/Shanghia"');
  });
});

describe('intervals', () => {
  it('parses the interval names', () => {
    expect(parseInterval('15m')).toEqual({ kind: 'minutes', minutes: 15 });
    expect(parseInterval('1h')).toEqual({ kind: 'minutes', minutes: 60 });
    expect(parseInterval('WEEK')).toEqual({ kind: 'week' });
    expect(intervalName(parseInterval('60m'))).toBe('60m');
    expect(() => parseInterval('7m')).toThrow(/15m, 30m, 60m/);
    expect(() => parseInterval('year')).toThrow(RangeError);
  });

  it('cuts 15/30/60-minute slots on the local clock, also in a zone 45 minutes off the hour', () => {
    const t = Date.parse('2024-05-06T01:44:59.999Z'); // 09:44:59.999 in Shanghai
    expect(iso(new Bucketer(parseInterval('15m'), shanghai).startOf(t))).toBe('2024-05-06T09:30:00.000+08:00');
    expect(iso(new Bucketer(parseInterval('30m'), shanghai).startOf(t))).toBe('2024-05-06T09:30:00.000+08:00');
    expect(iso(new Bucketer(parseInterval('60m'), shanghai).startOf(t))).toBe('2024-05-06T09:00:00.000+08:00');
    const kathmandu = TimeZone.of('Asia/Kathmandu');
    expect(kathmandu.format(new Bucketer(parseInterval('60m'), kathmandu).startOf(t))).toBe('2024-05-06T07:00:00.000+05:45');
  });

  it('days, ISO weeks (Monday first) and months', () => {
    const sunday = Date.parse('2024-05-12T15:59:59Z'); // Sunday 23:59:59 in Shanghai
    const day = new Bucketer({ kind: 'day' }, shanghai);
    const week = new Bucketer({ kind: 'week' }, shanghai);
    const month = new Bucketer({ kind: 'month' }, shanghai);
    expect(iso(day.startOf(sunday))).toBe('2024-05-12T00:00:00.000+08:00');
    expect(iso(week.startOf(sunday))).toBe('2024-05-06T00:00:00.000+08:00');
    expect(iso(week.endOf(week.startOf(sunday)))).toBe('2024-05-13T00:00:00.000+08:00');
    expect(iso(month.startOf(sunday))).toBe('2024-05-01T00:00:00.000+08:00');
    expect(iso(month.endOf(Date.parse('2024-12-01T00:00:00+08:00')))).toBe('2025-01-01T00:00:00.000+08:00');
    // The day of a daylight-saving change is 23 hours long.
    const ny = new Bucketer({ kind: 'day' }, newYork);
    const start = ny.startOf(Date.parse('2024-03-10T12:00:00Z'));
    expect(ny.endOf(start) - start).toBe(23 * 3600_000);
  });

  it('spreads a duration over the intervals it covers, and lists every interval of a range', () => {
    const b = new Bucketer(parseInterval('30m'), shanghai);
    const parts: Array<[string, number]> = [];
    b.spread(Date.parse('2024-05-06T09:20:00+08:00'), Date.parse('2024-05-06T10:05:00+08:00'), (s, ms) => parts.push([iso(s), ms / 60_000]));
    expect(parts).toEqual([
      ['2024-05-06T09:00:00.000+08:00', 10],
      ['2024-05-06T09:30:00.000+08:00', 30],
      ['2024-05-06T10:00:00.000+08:00', 5],
    ]);
    expect([...b.starts(Date.parse('2024-05-06T09:10:00+08:00'), Date.parse('2024-05-06T10:00:00+08:00'))].map((s) => iso(s))).toEqual([
      '2024-05-06T09:00:00.000+08:00',
      '2024-05-06T09:30:00.000+08:00',
    ]);
  });
});

describe('--from / --to values', () => {
  const now = Date.parse('2024-05-08T03:00:00Z'); // Wednesday 2024-05-08 11:00 in Shanghai
  const span = (text: string, zone = shanghai) => {
    const s = parseSpan(text, zone, now);
    return [iso(s.startMs, zone), iso(s.endMs, zone), s.kind];
  };

  it('named periods on the zone’s calendar', () => {
    expect(span('today')).toEqual(['2024-05-08T00:00:00.000+08:00', '2024-05-09T00:00:00.000+08:00', 'named']);
    expect(span('yesterday')).toEqual(['2024-05-07T00:00:00.000+08:00', '2024-05-08T00:00:00.000+08:00', 'named']);
    expect(span('this-week')).toEqual(['2024-05-06T00:00:00.000+08:00', '2024-05-13T00:00:00.000+08:00', 'named']);
    expect(span('last-week')).toEqual(['2024-04-29T00:00:00.000+08:00', '2024-05-06T00:00:00.000+08:00', 'named']);
    expect(span('next-week')).toEqual(['2024-05-13T00:00:00.000+08:00', '2024-05-20T00:00:00.000+08:00', 'named']);
    expect(span('this-month')).toEqual(['2024-05-01T00:00:00.000+08:00', '2024-06-01T00:00:00.000+08:00', 'named']);
    expect(span('last-month')).toEqual(['2024-04-01T00:00:00.000+08:00', '2024-05-01T00:00:00.000+08:00', 'named']);
    // Just after midnight in Shanghai it is still the previous day in UTC: "today" is Shanghai's.
    expect(iso(parseSpan('today', shanghai, Date.parse('2024-05-07T16:30:00Z')).startMs)).toBe('2024-05-08T00:00:00.000+08:00');
  });

  it('dates, months, local date-times and instants with an offset', () => {
    expect(span('2024-05-01')).toEqual(['2024-05-01T00:00:00.000+08:00', '2024-05-02T00:00:00.000+08:00', 'date']);
    expect(span('2024-02')).toEqual(['2024-02-01T00:00:00.000+08:00', '2024-03-01T00:00:00.000+08:00', 'month']);
    expect(span('2024-05-01T08:30')).toEqual(['2024-05-01T08:30:00.000+08:00', '2024-05-01T08:30:00.000+08:00', 'instant']);
    expect(span('2024-05-01 08:30:15.5')[0]).toBe('2024-05-01T08:30:15.500+08:00');
    expect(span('2024-05-01T00:00:00Z')[0]).toBe('2024-05-01T08:00:00.000+08:00');
    expect(span('2024-05-01T00:00:00-05:00')[0]).toBe('2024-05-01T13:00:00.000+08:00');
  });

  it('ranges: --from takes the start, --to the end; a named period alone is that period', () => {
    const r = (from?: string, to?: string) => {
      const x = resolveRange(from, to, shanghai, now);
      return [x.fromMs === undefined ? undefined : iso(x.fromMs), x.toMs === undefined ? undefined : iso(x.toMs)];
    };
    expect(r('2024-05-01', '2024-05-31')).toEqual(['2024-05-01T00:00:00.000+08:00', '2024-06-01T00:00:00.000+08:00']);
    expect(r('yesterday')).toEqual(['2024-05-07T00:00:00.000+08:00', '2024-05-08T00:00:00.000+08:00']);
    expect(r('last-week', 'today')).toEqual(['2024-04-29T00:00:00.000+08:00', '2024-05-09T00:00:00.000+08:00']);
    expect(r('2024-05-01')).toEqual(['2024-05-01T00:00:00.000+08:00', undefined]);
    expect(r(undefined, '2024-05-01T12:00')).toEqual([undefined, '2024-05-01T12:00:00.000+08:00']);
    expect(r()).toEqual([undefined, undefined]);
  });

  it('rejects what is not a time, or an empty range, with a message naming the accepted forms', () => {
    expect(() => parseSpan('tomorrow-ish', shanghai, now)).toThrow(/not a time: use ISO 8601 .* today, yesterday/);
    expect(() => parseSpan('2024-02-30', shanghai, now)).toThrow(RangeError);
    expect(() => parseSpan('2024-13', shanghai, now)).toThrow(RangeError);
    expect(() => parseSpan('2024-05-01T25:00', shanghai, now)).toThrow(RangeError);
    expect(() => resolveRange('today', 'yesterday', shanghai, now)).toThrow(/must be before --to/);
  });
});
