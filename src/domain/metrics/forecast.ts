/**
 * Volume and handle-time forecast per weekday × time of day, from the event log (docs/planner.md):
 *
 * - Arrivals: every call offered to a queue (answered, abandoned, left the queue, or ended in it) counts in
 *   the interval where it joined the queue (its outcome time minus its wait).
 * - Forecast calls for a weekday and slot = arrivals in that slot over the history ÷ number of such
 *   weekdays in the history (days without calls count as zero, so a closed day lowers the mean).
 * - AHT for a slot = (handle time of the slot's calls + K × the history's mean AHT) ÷ (their count + K),
 *   K = 5: a credibility-weighted mean, so a slot with two calls does not swing the staffing.
 * - Patience (for Erlang A) = total time callers spent waiting ÷ number of abandons: the maximum-likelihood
 *   estimate for exponential patience when answered callers' waits are censored observations.
 */
import type { HotlineEvent } from './events.js';
import type { TimeZone } from './time-zone.js';

/** Pseudo-count pulling a slot's AHT towards the history's mean. */
export const AHT_CREDIBILITY_CALLS = 5;

export interface ForecastOptions {
  zone: TimeZone;
  /** Slot size in minutes (15, 30, 60 …), dividing a day. */
  intervalMinutes: number;
  /** History range [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Only these queues (undefined: all). */
  queues?: ReadonlySet<string>;
}

export interface SlotForecast {
  calls: number;
  /** null when the history has no handled call at all. */
  ahtSec: number | null;
}

export interface WeekForecast {
  /** Weekday (1 = Monday … 7) × slot index (minute of day ÷ interval). */
  slot(weekday: number, slotIndex: number): SlotForecast;
  /** Days of the history per weekday (index 1–7). */
  daysPerWeekday: number[];
  totalCalls: number;
  meanAhtSec: number | null;
  /** Estimated mean patience, or null when no caller abandoned. */
  patienceSec: number | null;
  abandons: number;
}

export interface ForecastFold {
  add(ev: HotlineEvent): void;
  result(): WeekForecast;
}

/** Event types the forecast reads. */
export const FORECAST_EVENT_TYPES: ReadonlySet<string> = new Set([
  'queue.joined',
  'call.answered',
  'call.abandoned',
  'queue.exited',
  'agent.transferred',
  'call.ended',
  'agent.wrapup-ended',
]);

export function createForecastFold(opts: ForecastOptions): ForecastFold {
  const { zone, intervalMinutes, fromMs, toMs } = opts;
  if (!(intervalMinutes > 0) || (24 * 60) % intervalMinutes !== 0) throw new RangeError(`interval must divide a day, got ${intervalMinutes} min`);
  const slotsPerDay = (24 * 60) / intervalMinutes;
  const arrivals = new Float64Array(8 * slotsPerDay);
  const handleMs = new Float64Array(8 * slotsPerDay);
  const handled = new Float64Array(8 * slotsPerDay);
  const joined = new Map<string, { ts: number; queueId: string }>();
  /** Answered calls: arrival slot (and whether it is in the history), talk once ended. */
  const answered = new Map<string, { slot: number; counted: boolean; talkMs?: number }>();
  /** Answered calls ended, wrap-up awaited: callId → end time, in end order. */
  const pendingWrapup = new Map<string, number>();
  let waitedMs = 0;
  let abandons = 0;
  let totalCalls = 0;
  let totalHandleMs = 0;
  let totalHandled = 0;

  const accepts = (queueId: string): boolean => opts.queues === undefined || opts.queues.has(queueId);
  const slotOf = (ts: number): number => {
    const t = zone.local(ts);
    return t.weekday * slotsPerDay + Math.floor((t.hour * 60 + t.minute) / intervalMinutes);
  };
  const arrive = (arrivalTs: number, waitMs: number): number => {
    const slot = slotOf(arrivalTs);
    if (arrivalTs >= fromMs && arrivalTs < toMs) {
      arrivals[slot] = (arrivals[slot] ?? 0) + 1;
      totalCalls++;
      waitedMs += Math.max(0, waitMs);
    }
    return slot;
  };
  const addHandle = (a: { slot: number; counted: boolean }, ms: number): void => {
    if (!a.counted) return;
    const slot = a.slot;
    handleMs[slot] = (handleMs[slot] ?? 0) + ms;
    handled[slot] = (handled[slot] ?? 0) + 1;
    totalHandleMs += ms;
    totalHandled++;
  };
  const inRange = (ts: number): boolean => ts >= fromMs && ts < toMs;

  const add = (ev: HotlineEvent): void => {
    switch (ev.type) {
      case 'queue.joined': {
        const before = joined.get(ev.callId);
        // Moved to another queue without an outcome: an arrival in the first queue.
        if (before && before.queueId !== ev.queueId && accepts(before.queueId)) arrive(before.ts, ev.ts - before.ts);
        joined.set(ev.callId, { ts: ev.ts, queueId: ev.queueId });
        break;
      }
      case 'call.answered':
        joined.delete(ev.callId);
        if (!accepts(ev.queueId)) break;
        answered.set(ev.callId, { slot: arrive(ev.ts - ev.waitMs, ev.waitMs), counted: inRange(ev.ts - ev.waitMs) });
        break;
      case 'call.abandoned':
        joined.delete(ev.callId);
        if (!accepts(ev.queueId)) break;
        arrive(ev.ts - ev.waitMs, ev.waitMs);
        if (inRange(ev.ts - ev.waitMs)) abandons++;
        break;
      case 'queue.exited':
        joined.delete(ev.callId);
        if (accepts(ev.queueId)) arrive(ev.ts - ev.waitMs, ev.waitMs);
        break;
      case 'agent.transferred':
      case 'call.ended': {
        const waiting = joined.get(ev.callId);
        if (ev.type === 'call.ended' && waiting) {
          joined.delete(ev.callId);
          if (accepts(waiting.queueId)) arrive(waiting.ts, ev.ts - waiting.ts);
        }
        const a = answered.get(ev.callId);
        if (a && a.talkMs === undefined && ev.talkMs !== undefined) a.talkMs = ev.talkMs;
        // Without a wrap-up (none configured) the handle time is the talk time: settled at the end.
        if (a && ev.type === 'call.ended' && a.talkMs !== undefined && !pendingWrapup.has(ev.callId)) pendingWrapup.set(ev.callId, ev.ts);
        break;
      }
      case 'agent.wrapup-ended': {
        const a = answered.get(ev.callId);
        if (!a || a.talkMs === undefined) break;
        answered.delete(ev.callId);
        pendingWrapup.delete(ev.callId);
        addHandle(a, a.talkMs + ev.wrapupMs);
        break;
      }
      default:
        break;
    }
    // Answered calls ended more than 2 h ago without a wrap-up: their handle time is talk alone.
    for (const [callId, endedTs] of pendingWrapup) {
      if (ev.ts - endedTs <= 2 * 3600_000) break;
      pendingWrapup.delete(callId);
      const a = answered.get(callId);
      answered.delete(callId);
      if (a?.talkMs !== undefined) addHandle(a, a.talkMs);
    }
  };

  const result = (): WeekForecast => {
    const extraHandle = new Float64Array(handleMs);
    const extraCount = new Float64Array(handled);
    let sumMs = totalHandleMs;
    let count = totalHandled;
    for (const callId of pendingWrapup.keys()) {
      const a = answered.get(callId);
      if (a?.talkMs === undefined || !a.counted) continue;
      extraHandle[a.slot] = (extraHandle[a.slot] ?? 0) + a.talkMs;
      extraCount[a.slot] = (extraCount[a.slot] ?? 0) + 1;
      sumMs += a.talkMs;
      count++;
    }
    const daysPerWeekday = countWeekdays(zone, fromMs, toMs);
    const meanAhtSec = count > 0 ? sumMs / count / 1000 : null;
    return {
      slot(weekday: number, slotIndex: number): SlotForecast {
        const i = weekday * slotsPerDay + slotIndex;
        const days = daysPerWeekday[weekday] ?? 0;
        const calls = days > 0 ? (arrivals[i] ?? 0) / days : 0;
        const n = extraCount[i] ?? 0;
        const ahtSec = meanAhtSec === null ? null : ((extraHandle[i] ?? 0) / 1000 + AHT_CREDIBILITY_CALLS * meanAhtSec) / (n + AHT_CREDIBILITY_CALLS);
        return { calls, ahtSec };
      },
      daysPerWeekday,
      totalCalls,
      meanAhtSec,
      patienceSec: abandons > 0 ? waitedMs / 1000 / abandons : null,
      abandons,
    };
  };
  return { add, result };
}

/** How many of each weekday (index 1–7) the range [fromMs, toMs) covers; a partial day counts in proportion. */
export function countWeekdays(zone: TimeZone, fromMs: number, toMs: number): number[] {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0];
  let dayStart = zone.startOfDay(fromMs);
  while (dayStart < toMs) {
    const t = zone.local(dayStart);
    const next = zone.instant(t.year, t.month, t.day + 1);
    const covered = Math.min(next, toMs) - Math.max(dayStart, fromMs);
    if (covered > 0) counts[t.weekday] = (counts[t.weekday] ?? 0) + covered / (next - dayStart);
    dayStart = next;
  }
  return counts;
}
