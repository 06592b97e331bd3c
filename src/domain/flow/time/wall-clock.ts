/**
 * Wall-clock reading of an instant in an IANA time zone, through the JavaScript Intl API (no clock is read
 * here: the instant is a parameter). Used by `now.*` in expressions and by hours nodes.
 */
import type { Weekday } from '../model.js';

export interface WallTime {
  /** 'YYYY-MM-DD' */
  readonly date: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: Weekday;
  /** Minutes since local midnight. */
  readonly minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/** Whether the runtime knows the time zone (checked at load time). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Readonly<Record<string, Weekday>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function wallTime(epochMs: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  const year = Number(parts['year']);
  const month = Number(parts['month']);
  const day = Number(parts['day']);
  const hour = Number(parts['hour']);
  const minute = Number(parts['minute']);
  return {
    date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    year,
    month,
    day,
    hour,
    minute,
    weekday: WEEKDAYS[parts['weekday'] ?? 'Mon'] ?? 1,
    minuteOfDay: hour * 60 + minute,
  };
}

/** 'YYYY-MM-DD' → its ISO weekday, or undefined for an impossible date. */
export function weekdayOf(date: string): Weekday | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  const js = back.getUTCDay();
  return (js === 0 ? 7 : js) as Weekday;
}

/** The dates from `from` to `to` inclusive ('YYYY-MM-DD'), at most `limit` of them. */
export function datesBetween(from: string, to: string, limit: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const out: string[] = [];
  for (let t = start; t <= end && out.length < limit; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
