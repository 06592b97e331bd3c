/**
 * Wall-clock arithmetic in an IANA time zone (Asia/Shanghai by default): reports cut days, weeks and
 * intervals where the centre's clocks do, not at UTC midnight. Uses the ECMAScript Intl API (tz database of
 * the runtime); pure: every instant is a parameter.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const MINUTE_MS = 60_000;
const QUARTER_MS = 15 * MINUTE_MS;
/** A year of quarter hours: bounds the cache on a long report. */
const MAX_CACHED_QUARTERS = 366 * 96;
const DAY_MS = 86_400_000;

/** A calendar date and time of day on a zone's wall clock. month 1–12, weekday 1 (Monday) – 7 (Sunday). */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export class TimeZone {
  private readonly fmt: Intl.DateTimeFormat;
  /**
   * Offsets by UTC quarter hour. Every zone's offset today is a multiple of 15 minutes and changes on a local
   * quarter hour, which is then also a UTC quarter hour: one offset holds for a whole UTC quarter hour.
   */
  private readonly quarterOffsets = new Map<number, number>();

  private constructor(readonly name: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone, or a RangeError naming the bad value (e.g. "Asia/Shanghia"). */
  static of(name: string): TimeZone {
    try {
      return new TimeZone(new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone);
    } catch {
      throw new RangeError(`unknown time zone "${name}" (use an IANA name such as Asia/Shanghai or UTC)`);
    }
  }

  /** Local wall time minus UTC at `ts`, in ms (+8 h in Asia/Shanghai). */
  offsetMs(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_MS);
    const known = this.quarterOffsets.get(quarter);
    if (known !== undefined) return known;
    const offset = this.computeOffsetMs(quarter * QUARTER_MS);
    // Historical offsets (local mean time) are not whole quarters: those instants are computed one by one.
    if (offset % QUARTER_MS !== 0) return this.computeOffsetMs(ts);
    if (this.quarterOffsets.size >= MAX_CACHED_QUARTERS) this.quarterOffsets.clear();
    // Intl is slow (tens of µs): when the offset a day later is the same, the whole day has it (zones change
    // offset at most twice a year, months apart).
    const dayQuarters = 96;
    const filled = this.computeOffsetMs((quarter + dayQuarters) * QUARTER_MS) === offset ? dayQuarters : 1;
    for (let q = quarter; q < quarter + filled; q++) this.quarterOffsets.set(q, offset);
    return offset;
  }

  local(ts: number): LocalTime {
    const d = new Date(ts + this.offsetMs(ts));
    const utcDay = d.getUTCDay();
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: utcDay === 0 ? 7 : utcDay,
    };
  }

  /**
   * The instant a wall-clock time names. Out-of-range fields roll over (day 32 → next month). A time skipped
   * by a daylight-saving jump maps to the instant one offset later; a repeated one to its first occurrence.
   */
  instant(year: number, month: number, day: number, hour = 0, minute = 0): number {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute);
    const first = asUtc - this.offsetMs(asUtc);
    const second = asUtc - this.offsetMs(first);
    return Math.min(first, second);
  }

  /** Start of the local day containing `ts`. */
  startOfDay(ts: number): number {
    const t = this.local(ts);
    return this.instant(t.year, t.month, t.day);
  }

  /** ISO 8601 with this zone's offset: 2024-05-01T09:00:00.000+08:00. */
  format(ts: number): string {
    const offset = this.offsetMs(ts);
    const wall = new Date(ts + offset).toISOString().slice(0, 23);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset) / MINUTE_MS;
    return `${wall}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }

  private computeOffsetMs(ts: number): number {
    const parts: Record<string, number> = {};
    for (const p of this.fmt.formatToParts(new Date(ts))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    const asUtc = Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
    return asUtc - (ts - mod(ts, 1000));
  }
}

/** Mathematical modulo: the result has the sign of the divisor (never negative for a positive one). */
export function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export { DAY_MS, MINUTE_MS };
