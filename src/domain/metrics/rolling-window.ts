/**
 * Queue outcomes over a rolling window (the last 15 minutes …) for live service level, with a resolution of
 * `slotMs` (10 s): outcomes are summed per slot, per queue, and slots older than the longest window are
 * dropped, so memory is bounded by maxWindowMs / slotMs slots per queue. Figures follow the report's
 * definitions (docs/reports.md) with the "offered" formula: a call counts when its outcome falls in the window.
 */
import { pct, ratio } from './service-level.js';

export interface WindowCounts {
  offered: number;
  answered: number;
  answeredWithin: number;
  abandoned: number;
  abandonedWithin: number;
  rona: number;
  answeredWaitMs: number;
  answeredRingMs: number;
}

export interface WindowFigures extends WindowCounts {
  serviceLevelPct: number | null;
  abandonRatePct: number | null;
  asaSec: number | null;
  ringToAnswerSec: number | null;
}

interface Slot extends WindowCounts {
  index: number;
}

export interface RollingWindowOptions {
  slThresholdSec: number;
  /** Longest window a query may ask for (default 24 h). */
  maxWindowMs?: number;
  /** Resolution (default 10 s). */
  slotMs?: number;
}

export class RollingOutcomes {
  private readonly slots = new Map<string, Slot[]>();
  private readonly thresholdMs: number;
  readonly maxWindowMs: number;
  readonly slotMs: number;

  constructor(opts: RollingWindowOptions) {
    this.thresholdMs = opts.slThresholdSec * 1000;
    this.maxWindowMs = opts.maxWindowMs ?? 24 * 3600_000;
    this.slotMs = opts.slotMs ?? 10_000;
  }

  answered(queueId: string, ts: number, waitMs: number, ringMs: number): void {
    const s = this.slotAt(queueId, ts);
    s.offered++;
    s.answered++;
    if (waitMs <= this.thresholdMs) s.answeredWithin++;
    s.answeredWaitMs += waitMs;
    s.answeredRingMs += ringMs;
  }

  abandoned(queueId: string, ts: number, waitMs: number): void {
    const s = this.slotAt(queueId, ts);
    s.offered++;
    s.abandoned++;
    if (waitMs <= this.thresholdMs) s.abandonedWithin++;
  }

  /** Left the queue otherwise (timeout, key, empty): offered, not served. */
  exited(queueId: string, ts: number): void {
    this.slotAt(queueId, ts).offered++;
  }

  rona(queueId: string, ts: number): void {
    this.slotAt(queueId, ts).rona++;
  }

  queueIds(): string[] {
    return [...this.slots.keys()].sort();
  }

  /** Sums over (nowMs − windowMs, nowMs], per queue; queues without outcomes in the window get zeros. */
  figures(queueId: string, nowMs: number, windowMs: number): WindowFigures {
    const c = emptyCounts();
    const fromIndex = Math.floor((nowMs - Math.min(windowMs, this.maxWindowMs)) / this.slotMs) + 1;
    const toIndex = Math.floor(nowMs / this.slotMs);
    for (const s of this.slots.get(queueId) ?? []) if (s.index >= fromIndex && s.index <= toIndex) addCounts(c, s);
    return withFigures(c);
  }

  private slotAt(queueId: string, ts: number): Slot {
    const index = Math.floor(ts / this.slotMs);
    let list = this.slots.get(queueId);
    if (!list) {
      list = [];
      this.slots.set(queueId, list);
    }
    const last = list[list.length - 1];
    if (last && last.index === index) return last;
    // Events arrive in time order: a new slot goes at the end, and slots past the longest window go.
    const slot: Slot = { index, ...emptyCounts() };
    if (!last || last.index < index) list.push(slot);
    else {
      const found = list.find((s) => s.index === index);
      if (found) return found;
      list.push(slot);
      list.sort((a, b) => a.index - b.index);
    }
    const oldest = index - Math.ceil(this.maxWindowMs / this.slotMs);
    let drop = 0;
    while (drop < list.length && (list[drop]?.index ?? Infinity) < oldest) drop++;
    if (drop > 0) list.splice(0, drop);
    return slot;
  }
}

export function emptyCounts(): WindowCounts {
  return { offered: 0, answered: 0, answeredWithin: 0, abandoned: 0, abandonedWithin: 0, rona: 0, answeredWaitMs: 0, answeredRingMs: 0 };
}

export function addCounts(into: WindowCounts, c: WindowCounts): void {
  into.offered += c.offered;
  into.answered += c.answered;
  into.answeredWithin += c.answeredWithin;
  into.abandoned += c.abandoned;
  into.abandonedWithin += c.abandonedWithin;
  into.rona += c.rona;
  into.answeredWaitMs += c.answeredWaitMs;
  into.answeredRingMs += c.answeredRingMs;
}

export function withFigures(c: WindowCounts): WindowFigures {
  return {
    ...c,
    serviceLevelPct: pct(c.answeredWithin, c.offered),
    abandonRatePct: pct(c.abandoned, c.offered),
    asaSec: ratio(c.answeredWaitMs / 1000, c.answered),
    ringToAnswerSec: ratio(c.answeredRingMs / 1000, c.answered),
  };
}
