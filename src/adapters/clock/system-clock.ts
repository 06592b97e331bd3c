import type { Clock, TimerHandle } from '../../ports/clock.js';

/** The wall clock, for production. Timers are tracked so close() leaves no handle behind. */
export class SystemClock implements Clock {
  private readonly timers = new Set<NodeJS.Timeout>();

  nowMs(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, delayMs));
    this.timers.add(t);
    return {
      cancel: () => {
        clearTimeout(t);
        this.timers.delete(t);
      },
    };
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
