/** A manual clock for unit tests: time moves only when the test says so; timers fire in order. */
import type { Clock, TimerHandle } from '../../../src/ports/clock.js';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private now: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const p: Pending = { at: this.now + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.pending.push(p);
    return { cancel: () => (p.cancelled = true) };
  }

  /** Moves time forward, firing every timer due on the way (including ones those timers set). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = this.pending
        .filter((p) => !p.cancelled && p.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.now = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.now = end;
    this.pending = this.pending.filter((p) => !p.cancelled);
  }

  get pendingTimers(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }
}
