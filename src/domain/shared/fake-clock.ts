/**
 * A manual clock for tests and the discrete-event simulator: time moves only when told to, timers fire in
 * time order (ties in the order they were set). Lives in src because the simulator uses it too.
 */
import type { Clock, TimerHandle } from '../../ports/clock.js';

interface Pending {
  atMs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(startMs = 0) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const p: Pending = { atMs: this.now + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.pending.push(p);
    return { cancel: () => void (p.cancelled = true) };
  }

  /** Moves time forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    this.runUntil(this.now + ms);
  }

  runUntil(targetMs: number): void {
    for (;;) {
      const next = this.nextDue();
      if (!next || next.atMs > targetMs) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.now = next.atMs;
      next.fn();
    }
    this.now = Math.max(this.now, targetMs);
  }

  /** Number of live timers. */
  get timerCount(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }

  private nextDue(): Pending | undefined {
    this.pending = this.pending.filter((p) => !p.cancelled);
    let best: Pending | undefined;
    for (const p of this.pending) if (!best || p.atMs < best.atMs || (p.atMs === best.atMs && p.seq < best.seq)) best = p;
    return best;
  }
}
