/**
 * First-call resolution: an answered call counts as resolved unless the same caller number calls again
 * within the window (default 24 h) after it. The window runs from the call's end (its answer while it is
 * still going on). Each answered call is judged against the next call from its number only.
 */
import type { Dims } from './report-cube.js';

export const DEFAULT_FCR_WINDOW_HOURS = 24;

/** Caller numbers that do not identify a caller; calls from them are not judged. */
const ANONYMOUS = new Set(['', 'anonymous', 'unknown', 'restricted', 'private', 'unavailable', 'none']);

export function isIdentifiedNumber(number: string | undefined): number is string {
  if (number === undefined || number === '') return false;
  // Fast path: a number starting with a digit or + (nearly every caller) needs no normalising.
  const c = number.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43) return true;
  return !ANONYMOUS.has(number.trim().toLowerCase());
}

/** An answered call waiting for its verdict. The caller keeps it (e.g. with the call) to report the end. */
export interface FcrPending {
  readonly callId: string;
  readonly number: string;
  /** When the call was answered: its figures land in that interval and row. */
  readonly answeredTs: number;
  readonly dims: Dims;
  /** The window starts here: the answer, then the end once known. */
  windowStartMs: number;
  settled: boolean;
}

export type FcrVerdict = (answeredTs: number, dims: Dims, resolved: boolean) => void;

export class FcrTracker {
  /** Caller number → its latest answered call not judged yet. */
  private readonly pending = new Map<string, FcrPending>();

  constructor(
    private readonly windowMs: number,
    private readonly verdict: FcrVerdict,
  ) {}

  /** A new call from `number` arrived: it judges the number's pending answered call. */
  offered(callId: string, number: string | undefined, ts: number): void {
    if (!isIdentifiedNumber(number)) return;
    const p = this.pending.get(number);
    if (!p || p.callId === callId) return;
    this.settle(p, ts - p.windowStartMs > this.windowMs);
  }

  /** Registers an answered call; returns its pending record (undefined for anonymous callers). */
  answered(callId: string, number: string | undefined, ts: number, dims: Dims): FcrPending | undefined {
    if (!isIdentifiedNumber(number)) return undefined;
    const earlier = this.pending.get(number);
    // Two answered calls from one number with no call.offered between them (imports without it): the later
    // one is the repeat.
    if (earlier && earlier.callId !== callId) this.settle(earlier, ts - earlier.windowStartMs > this.windowMs);
    const p: FcrPending = { callId, number, answeredTs: ts, dims, windowStartMs: ts, settled: false };
    this.pending.set(number, p);
    return p;
  }

  /** The call ended: its window starts now. */
  ended(p: FcrPending, ts: number): void {
    if (!p.settled) p.windowStartMs = ts;
  }

  /** Settles calls whose window closed before `nowTs` (resolved). Keeps memory to about one window of calls. */
  expire(nowTs: number): void {
    for (const p of this.pending.values()) {
      if (nowTs - p.windowStartMs > this.windowMs) this.settle(p, true);
    }
  }

  /** Verdicts for every call still pending (their window has not closed in the data: provisional "resolved"). */
  flush(verdict: FcrVerdict = this.verdict): void {
    for (const p of this.pending.values()) verdict(p.answeredTs, p.dims, true);
  }

  private settle(p: FcrPending, resolved: boolean): void {
    p.settled = true;
    this.pending.delete(p.number);
    this.verdict(p.answeredTs, p.dims, resolved);
  }
}
