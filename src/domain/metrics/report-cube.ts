/**
 * Where each fact of a report lands: the total, the per-queue summary, the per-interval totals, and the rows
 * of the chosen `--by` dimension (per interval when there is one). A fact carries its dimensions (queue,
 * skills, agent) and a scope saying which of those it belongs to.
 */
import type { Bucketer } from './intervals.js';
import { cloneTotals, emptyTotals, type Totals } from './report-totals.js';

export type ReportBy = 'queue' | 'agent' | 'skill';

export interface Dims {
  queueId?: string;
  agentId?: string;
  skills?: readonly string[];
}

/**
 * call: a fact about a call in a queue (total, queue summary, queue/skill rows, and the agent's row when it
 *   has one). agent: about one agent only (an offer, an abandon while ringing). agentTime: agent time (total
 *   and agent rows), never split by queue.
 */
export type Scope = 'call' | 'agent' | 'agentTime';

interface Interval {
  startMs: number;
  endMs: number;
  /** The interval's totals; undefined without intervals (the total is the only one). */
  totals: Totals | undefined;
  rows: Map<string, Totals>;
}

/** Interval start used when the report has no intervals. */
export const WHOLE_RANGE = Number.NEGATIVE_INFINITY;

export class ReportCube {
  total: Totals = emptyTotals();
  readonly intervalTotals = new Map<number, Totals>();
  readonly queues = new Map<string, Totals>();
  /** interval start (or WHOLE_RANGE) → row key → totals */
  readonly rows = new Map<number, Map<string, Totals>>();
  private lastInterval: Interval | undefined;

  constructor(
    readonly by: ReportBy,
    readonly bucketer: Bucketer | undefined,
    /** Only these queues (undefined: all). */
    readonly queueFilter: ReadonlySet<string> | undefined,
  ) {}

  /** Whether facts of this queue are kept. */
  accepts(queueId: string | undefined): boolean {
    return this.queueFilter === undefined || (queueId !== undefined && this.queueFilter.has(queueId));
  }

  /** Applies `apply(totals, a, b)` to every total and row the fact belongs to (static functions: no closure per fact). */
  add<A, B = undefined>(ts: number, dims: Dims, scope: Scope, apply: (t: Totals, a: A, b: B) => void, a: A, b?: B): void {
    // A fact about one agent only lands in agent rows.
    if (scope === 'agent' && this.by !== 'agent') return;
    if (scope !== 'agentTime' && this.queueFilter !== undefined && !this.accepts(dims.queueId)) return;
    const at = this.intervalAt(ts);
    if (scope !== 'agent') {
      apply(this.total, a, b as B);
      if (at.totals) apply(at.totals, a, b as B);
    }
    if (scope === 'call' && dims.queueId !== undefined) apply(getOrCreate(this.queues, dims.queueId), a, b as B);
    // The rows of the `by` dimension: an agent's fact goes to its agent row, a call's to its queue or skills.
    let key: string | undefined;
    if (this.by === 'agent') key = dims.agentId;
    else if (scope === 'call') {
      if (this.by === 'queue') key = dims.queueId;
      else if (dims.skills) for (const skill of dims.skills) apply(getOrCreate(at.rows, skill), a, b as B);
    }
    if (key !== undefined) apply(getOrCreate(at.rows, key), a, b as B);
  }

  /** The interval's totals and rows; the last interval used is kept at hand (events come nearly in order). */
  private intervalAt(ts: number): Interval {
    const last = this.lastInterval;
    if (last && ts >= last.startMs && ts < last.endMs) return last;
    let interval: Interval;
    if (!this.bucketer) interval = { startMs: Number.NEGATIVE_INFINITY, endMs: Number.POSITIVE_INFINITY, totals: undefined, rows: this.rowsAt(WHOLE_RANGE) };
    else {
      const b = this.bucketer.bucketOf(ts);
      interval = { startMs: b.startMs, endMs: b.endMs, totals: getOrCreate(this.intervalTotals, b.startMs), rows: this.rowsAt(b.startMs) };
    }
    this.lastInterval = interval;
    return interval;
  }

  /** Adds a duration fact over [startMs, endMs), split over the intervals it spans: `apply(totals, msInIt, arg)`. */
  spread<A = undefined>(startMs: number, endMs: number, dims: Dims, scope: Scope, apply: (t: Totals, ms: number, arg: A) => void, arg?: A): void {
    if (endMs <= startMs) return;
    if (!this.bucketer) {
      this.add(startMs, dims, scope, apply, endMs - startMs, arg as A);
      return;
    }
    let t = startMs;
    while (t < endMs) {
      const bucket = this.bucketer.bucketOf(t);
      const until = Math.min(bucket.endMs, endMs);
      this.add(t, dims, scope, apply, until - t, arg as A);
      t = until;
    }
  }

  /** Makes the rows a fact would land in exist, without adding to them (a queue with only waiting calls). */
  touch(ts: number, dims: Dims, scope: Scope): void {
    this.add(ts, dims, scope, noop, undefined);
  }

  clone(): ReportCube {
    const c = new ReportCube(this.by, this.bucketer, this.queueFilter);
    c.total = cloneTotals(this.total);
    for (const [k, t] of this.intervalTotals) c.intervalTotals.set(k, cloneTotals(t));
    for (const [k, t] of this.queues) c.queues.set(k, cloneTotals(t));
    for (const [start, byKey] of this.rows) {
      const copy = new Map<string, Totals>();
      for (const [k, t] of byKey) copy.set(k, cloneTotals(t));
      c.rows.set(start, copy);
    }
    return c;
  }

  private rowsAt(start: number): Map<string, Totals> {
    let m = this.rows.get(start);
    if (!m) {
      m = new Map();
      this.rows.set(start, m);
    }
    return m;
  }

}

function noop(): void {
  // touch(): the rows exist now; nothing to add.
}

function getOrCreate<K>(map: Map<K, Totals>, key: K): Totals {
  let t = map.get(key);
  if (!t) {
    t = emptyTotals();
    map.set(key, t);
  }
  return t;
}
