/**
 * Report intervals on a zone's wall clock: 15/30/60-minute slots aligned to the local hour, local days,
 * ISO weeks (Monday first) and calendar months. Events arrive almost in time order, so the bucket of the
 * last event is cached and nearly every lookup is two comparisons.
 */
import { MINUTE_MS, mod, type TimeZone } from './time-zone.js';

export type IntervalSpec = { kind: 'minutes'; minutes: number } | { kind: 'day' } | { kind: 'week' } | { kind: 'month' };

/** Minute slots that tile an hour, so every slot starts at the same minutes past every hour. */
const MINUTE_SLOTS = new Set([5, 10, 15, 20, 30, 60]);

/** Parses `15m`, `30m`, `60m` (also `1h`, `5m`, `10m`, `20m`), `day`, `week`, `month`. */
export function parseInterval(text: string): IntervalSpec {
  const t = text.trim().toLowerCase();
  if (t === 'day' || t === 'week' || t === 'month') return { kind: t };
  if (t === '1h' || t === 'hour') return { kind: 'minutes', minutes: 60 };
  const m = /^(\d+)m$/.exec(t);
  const minutes = m ? Number(m[1]) : Number.NaN;
  if (!MINUTE_SLOTS.has(minutes)) {
    throw new RangeError(`interval "${text}" is not one of 15m, 30m, 60m (or 5m, 10m, 20m, 1h), day, week, month`);
  }
  return { kind: 'minutes', minutes };
}

export function intervalName(spec: IntervalSpec): string {
  return spec.kind === 'minutes' ? `${spec.minutes}m` : spec.kind;
}

export interface Bucket {
  startMs: number;
  endMs: number;
}

export class Bucketer {
  private current: Bucket = { startMs: Number.NaN, endMs: Number.NaN };

  constructor(
    readonly spec: IntervalSpec,
    readonly zone: TimeZone,
  ) {}

  /** The interval containing `ts`. The returned object is shared: copy it to keep it. */
  bucketOf(ts: number): Bucket {
    const c = this.current;
    if (ts >= c.startMs && ts < c.endMs) return c;
    const startMs = this.startOf(ts);
    this.current = { startMs, endMs: this.endOf(startMs) };
    return this.current;
  }

  startOf(ts: number): number {
    const { spec, zone } = this;
    if (spec.kind === 'minutes') return ts - mod(ts + zone.offsetMs(ts), spec.minutes * MINUTE_MS);
    const t = zone.local(ts);
    if (spec.kind === 'day') return zone.instant(t.year, t.month, t.day);
    if (spec.kind === 'week') return zone.instant(t.year, t.month, t.day - (t.weekday - 1));
    return zone.instant(t.year, t.month, 1);
  }

  /** End of the interval starting at `startMs` (the next one's start). */
  endOf(startMs: number): number {
    const { spec, zone } = this;
    if (spec.kind === 'minutes') {
      // Across a half-hour daylight-saving change the next wall-clock slot may start before +size.
      const next = this.startOf(startMs + spec.minutes * MINUTE_MS);
      return next > startMs ? next : startMs + spec.minutes * MINUTE_MS;
    }
    const t = zone.local(startMs);
    if (spec.kind === 'day') return zone.instant(t.year, t.month, t.day + 1);
    if (spec.kind === 'week') return zone.instant(t.year, t.month, t.day + 7);
    return zone.instant(t.year, t.month + 1, 1);
  }

  /** Every interval start from the one containing fromMs up to (excluding) toMs. */
  *starts(fromMs: number, toMs: number): Generator<number> {
    for (let s = this.startOf(fromMs); s < toMs; s = this.endOf(s)) yield s;
  }

  /** Splits [startMs, endMs) over the intervals it covers: `add(intervalStart, msInIt)`. */
  spread(startMs: number, endMs: number, add: (intervalStartMs: number, ms: number) => void): void {
    let t = startMs;
    while (t < endMs) {
      const b = this.bucketOf(t);
      const until = Math.min(b.endMs, endMs);
      add(b.startMs, until - t);
      t = until;
    }
  }
}
