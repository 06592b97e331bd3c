/**
 * `--from` / `--to` values: ISO instants, local dates and months, and named periods, read on a zone's wall
 * clock relative to `nowMs` (docs/reports.md, "Range").
 *
 * Every value names a span [startMs, endMs): an instant is a span of zero length, a date its whole day, a
 * month (YYYY-MM) its whole month, `today` … `last-month` their period. `--from` takes the start of its span,
 * `--to` the end, so `--from 2024-05-01 --to 2024-05-31` is all of May. A named period given alone as
 * `--from` (e.g. `--from yesterday`) is that period only.
 */
import type { TimeZone } from './time-zone.js';

export const PERIOD_NAMES = ['today', 'yesterday', 'this-week', 'last-week', 'next-week', 'this-month', 'last-month'] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

export interface Span {
  startMs: number;
  endMs: number;
  kind: 'instant' | 'date' | 'month' | 'named';
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
/** Date and time without a zone designator: read on the zone's wall clock. */
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

export function parseSpan(text: string, zone: TimeZone, nowMs: number): Span {
  const t = text.trim();
  const named = namedSpan(t.toLowerCase(), zone, nowMs);
  if (named) return named;
  let m = DATE.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    checkDate(t, y, mo, d);
    return { startMs: zone.instant(y, mo, d), endMs: zone.instant(y, mo, d + 1), kind: 'date' };
  }
  m = MONTH.exec(t);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    checkDate(t, y, mo, 1);
    return { startMs: zone.instant(y, mo, 1), endMs: zone.instant(y, mo + 1, 1), kind: 'month' };
  }
  m = LOCAL_DATE_TIME.exec(t);
  if (m && !WITH_ZONE.test(t)) {
    const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
    checkDate(t, y, mo, d);
    if (h > 23 || mi > 59) throw bad(t);
    const ms = zone.instant(y, mo, d, h, mi) + Number(m[6] ?? 0) * 1000 + Number((m[7] ?? '0').padEnd(3, '0'));
    return { startMs: ms, endMs: ms, kind: 'instant' };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(t) && WITH_ZONE.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return { startMs: ms, endMs: ms, kind: 'instant' };
  }
  throw bad(t);
}

/** The report range of `--from` / `--to`; either may be absent (open end). */
export function resolveRange(from: string | undefined, to: string | undefined, zone: TimeZone, nowMs: number): { fromMs?: number; toMs?: number } {
  const f = from === undefined ? undefined : parseSpan(from, zone, nowMs);
  const t = to === undefined ? undefined : parseSpan(to, zone, nowMs);
  const fromMs = f?.startMs;
  const toMs = t ? t.endMs : f?.kind === 'named' ? f.endMs : undefined;
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    throw new RangeError(`--from (${zone.format(fromMs)}) must be before --to (${zone.format(toMs)})`);
  }
  return { ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) };
}

function namedSpan(name: string, zone: TimeZone, nowMs: number): Span | undefined {
  const n = zone.local(nowMs);
  const day = (offsetDays: number): Span => ({
    startMs: zone.instant(n.year, n.month, n.day + offsetDays),
    endMs: zone.instant(n.year, n.month, n.day + offsetDays + 1),
    kind: 'named',
  });
  const monday = n.day - (n.weekday - 1);
  switch (name) {
    case 'today':
      return day(0);
    case 'yesterday':
      return day(-1);
    case 'this-week':
      return { startMs: zone.instant(n.year, n.month, monday), endMs: zone.instant(n.year, n.month, monday + 7), kind: 'named' };
    case 'last-week':
      return { startMs: zone.instant(n.year, n.month, monday - 7), endMs: zone.instant(n.year, n.month, monday), kind: 'named' };
    case 'next-week':
      return { startMs: zone.instant(n.year, n.month, monday + 7), endMs: zone.instant(n.year, n.month, monday + 14), kind: 'named' };
    case 'this-month':
      return { startMs: zone.instant(n.year, n.month, 1), endMs: zone.instant(n.year, n.month + 1, 1), kind: 'named' };
    case 'last-month':
      return { startMs: zone.instant(n.year, n.month - 1, 1), endMs: zone.instant(n.year, n.month, 1), kind: 'named' };
    default:
      return undefined;
  }
}

function checkDate(text: string, y: number, mo: number, d: number): void {
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) throw bad(text);
}

function bad(text: string): RangeError {
  return new RangeError(
    `"${text}" is not a time: use ISO 8601 (2024-05-01, 2024-05, 2024-05-01T08:00, 2024-05-01T08:00:00+08:00) or ${PERIOD_NAMES.join(', ')}`,
  );
}
