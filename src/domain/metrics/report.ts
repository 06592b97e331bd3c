/**
 * The queue report, folded from business events (docs/reports.md defines every figure). Streaming: add()
 * one event at a time, in log order, then result(); memory holds only calls still in progress.
 */
import type { HotlineEvent } from './events.js';

export const SL_FORMULA = 'answered-within-threshold / offered';
export const DEFAULT_SL_THRESHOLD_SEC = 20;
/** How long after call.ended a wrap-up is still awaited before the call's handle time is talk alone. */
export const DEFAULT_WRAPUP_GRACE_MS = 2 * 3600_000;

export interface ReportOptions {
  /** Service-level threshold in seconds (default 20): answered with waitMs ≤ 1000 × this counts as within. */
  slThresholdSec?: number;
  /** Range start (ms since epoch, inclusive); events before it are ignored. Shown as `from`. */
  fromMs?: number;
  /** Range end (ms since epoch, exclusive); events at or after it are ignored. Shown as `to`. */
  toMs?: number;
  /** See DEFAULT_WRAPUP_GRACE_MS. */
  wrapupGraceMs?: number;
}

export interface ReportRow {
  /** Absent on the total row. */
  queueId?: string;
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithin: number;
  serviceLevelPct: number | null;
  abandonRatePct: number | null;
  asaSec: number | null;
  ahtSec: number | null;
  ringToAnswerSec: number | null;
}

export interface Report {
  slThresholdSec: number;
  slFormula: typeof SL_FORMULA;
  /** ISO 8601 range start, when one was given. */
  from?: string;
  /** ISO 8601 range end (exclusive), when one was given. */
  to?: string;
  /** One row per queue, sorted by queueId. */
  queues: ReportRow[];
  total: ReportRow;
}

export interface ReportFold {
  add(ev: HotlineEvent): void;
  /** The report so far; does not disturb the fold, which can keep taking events. */
  result(): Report;
}

interface Totals {
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithin: number;
  answeredWaitMs: number;
  answeredRingMs: number;
  handled: number;
  handleMs: number;
}

interface AnsweredCall {
  queueId: string;
  wrapupMs?: number;
}

interface EndedCall {
  queueId: string;
  talkMs: number;
  endedTs: number;
}

export function createReportFold(opts: ReportOptions = {}): ReportFold {
  const slThresholdSec = opts.slThresholdSec ?? DEFAULT_SL_THRESHOLD_SEC;
  if (!Number.isFinite(slThresholdSec) || slThresholdSec < 0) {
    throw new RangeError(`slThresholdSec must be a finite number ≥ 0, got ${slThresholdSec}`);
  }
  const { fromMs, toMs } = opts;
  const thresholdMs = slThresholdSec * 1000;
  const wrapupGraceMs = opts.wrapupGraceMs ?? DEFAULT_WRAPUP_GRACE_MS;
  const byQueue = new Map<string, Totals>();
  /** Joined a queue, no outcome yet: callId → queueId. */
  const waiting = new Map<string, string>();
  /** Answered, call.ended not seen yet. */
  const talking = new Map<string, AnsweredCall>();
  /** Ended after an answer, wrap-up not seen yet; insertion order is end order, so expiry pops the front. */
  const inWrapup = new Map<string, EndedCall>();

  const totalsOf = (queueId: string): Totals => {
    let t = byQueue.get(queueId);
    if (!t) {
      t = emptyTotals();
      byQueue.set(queueId, t);
    }
    return t;
  };
  const addHandle = (queueId: string, handleMs: number): void => {
    const t = totalsOf(queueId);
    t.handled++;
    t.handleMs += handleMs;
  };
  const expireWrapups = (nowTs: number): void => {
    for (const [callId, call] of inWrapup) {
      if (call.endedTs + wrapupGraceMs >= nowTs) break;
      inWrapup.delete(callId);
      addHandle(call.queueId, call.talkMs);
    }
  };

  const add = (ev: HotlineEvent): void => {
    if (fromMs !== undefined && ev.ts < fromMs) return;
    if (toMs !== undefined && ev.ts >= toMs) return;
    expireWrapups(ev.ts);
    switch (ev.type) {
      case 'queue.joined': {
        // Moving to another queue without an outcome ends the first offer (counted offered, not answered).
        const earlier = waiting.get(ev.callId);
        if (earlier !== undefined && earlier !== ev.queueId) totalsOf(earlier).offered++;
        waiting.set(ev.callId, ev.queueId);
        totalsOf(ev.queueId);
        break;
      }
      case 'call.answered': {
        waiting.delete(ev.callId);
        const t = totalsOf(ev.queueId);
        t.offered++;
        t.answered++;
        if (ev.waitMs <= thresholdMs) t.answeredWithin++;
        t.answeredWaitMs += ev.waitMs;
        t.answeredRingMs += ev.ringMs;
        talking.set(ev.callId, { queueId: ev.queueId });
        break;
      }
      case 'call.abandoned': {
        waiting.delete(ev.callId);
        const t = totalsOf(ev.queueId);
        t.offered++;
        t.abandoned++;
        break;
      }
      case 'call.ended': {
        const queued = waiting.get(ev.callId);
        if (queued !== undefined) {
          // Ended in queue without answer or abandon (queue timeout, system hang-up): offered, not served.
          waiting.delete(ev.callId);
          totalsOf(queued).offered++;
        }
        const answered = talking.get(ev.callId);
        if (answered === undefined) break;
        talking.delete(ev.callId);
        if (ev.talkMs === undefined) break; // inconsistent record: no talk time, left out of AHT
        if (answered.wrapupMs !== undefined) addHandle(answered.queueId, ev.talkMs + answered.wrapupMs);
        else inWrapup.set(ev.callId, { queueId: answered.queueId, talkMs: ev.talkMs, endedTs: ev.ts });
        break;
      }
      case 'agent.wrapup-ended': {
        const ended = inWrapup.get(ev.callId);
        if (ended) {
          inWrapup.delete(ev.callId);
          addHandle(ended.queueId, ended.talkMs + ev.wrapupMs);
          break;
        }
        // Same-millisecond events from two sources may arrive wrap-up first; keep it for call.ended.
        const answered = talking.get(ev.callId);
        if (answered) answered.wrapupMs = ev.wrapupMs;
        break;
      }
      default:
        break;
    }
  };

  const result = (): Report => {
    // Calls whose wrap-up never came within the range count with their talk time alone.
    const pendingHandle = new Map<string, { count: number; ms: number }>();
    for (const call of inWrapup.values()) {
      const p = pendingHandle.get(call.queueId) ?? { count: 0, ms: 0 };
      p.count++;
      p.ms += call.talkMs;
      pendingHandle.set(call.queueId, p);
    }
    const total = emptyTotals();
    const queues: ReportRow[] = [];
    for (const queueId of [...byQueue.keys()].sort()) {
      const t = { ...(byQueue.get(queueId) ?? emptyTotals()) };
      const p = pendingHandle.get(queueId);
      if (p) {
        t.handled += p.count;
        t.handleMs += p.ms;
      }
      addInto(total, t);
      queues.push({ queueId, ...toRow(t) });
    }
    // Keys in the documented order: slThresholdSec, slFormula, from, to, queues, total.
    return {
      slThresholdSec,
      slFormula: SL_FORMULA,
      ...(fromMs !== undefined ? { from: new Date(fromMs).toISOString() } : {}),
      ...(toMs !== undefined ? { to: new Date(toMs).toISOString() } : {}),
      queues,
      total: toRow(total),
    };
  };

  return { add, result };
}

/** Folds a whole collection of events at once. */
export function buildReport(events: Iterable<HotlineEvent>, opts: ReportOptions = {}): Report {
  const fold = createReportFold(opts);
  for (const ev of events) fold.add(ev);
  return fold.result();
}

function emptyTotals(): Totals {
  return { offered: 0, answered: 0, abandoned: 0, answeredWithin: 0, answeredWaitMs: 0, answeredRingMs: 0, handled: 0, handleMs: 0 };
}

function addInto(into: Totals, t: Totals): void {
  into.offered += t.offered;
  into.answered += t.answered;
  into.abandoned += t.abandoned;
  into.answeredWithin += t.answeredWithin;
  into.answeredWaitMs += t.answeredWaitMs;
  into.answeredRingMs += t.answeredRingMs;
  into.handled += t.handled;
  into.handleMs += t.handleMs;
}

function toRow(t: Totals): Omit<ReportRow, 'queueId'> {
  return {
    offered: t.offered,
    answered: t.answered,
    abandoned: t.abandoned,
    answeredWithin: t.answeredWithin,
    serviceLevelPct: ratio(100 * t.answeredWithin, t.offered),
    abandonRatePct: ratio(100 * t.abandoned, t.offered),
    asaSec: ratio(t.answeredWaitMs / 1000, t.answered),
    ahtSec: ratio(t.handleMs / 1000, t.handled),
    ringToAnswerSec: ratio(t.answeredRingMs / 1000, t.answered),
  };
}

/** numerator / denominator rounded to 2 decimals; null when there is nothing to divide by. */
function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return round2(numerator / denominator);
}

function round2(x: number): number {
  // EPSILON nudges values like 1.005 (stored as 1.00499…) to round half up as written.
  return Math.round((x + Math.sign(x) * Number.EPSILON * Math.max(1, Math.abs(x))) * 100) / 100;
}
