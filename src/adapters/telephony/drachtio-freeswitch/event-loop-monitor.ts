/**
 * The Node event loop's own delay, as an admission signal: on the measured 2-core machine FreeSWITCH (at
 * raised priority) starved the Node app before anything else failed. A loop that answers late cannot set up
 * calls in time either, so new INVITEs are refused while the loop has recently been late by too much.
 *
 * A 100 ms probe timer measures how late it fires; the figure is the worst lateness over the last full
 * window and the current one. (perf_hooks.monitorEventLoopDelay missed a 300 ms block in a quick check
 * here, so we measure it ourselves.)
 */
import { performance } from 'node:perf_hooks';

export interface EventLoopDelaySource {
  /** Worst event-loop lateness seen recently (about the last 1-2 s), in ms; undefined until measured. */
  recentDelayMs(): number | undefined;
  close(): void;
}

export class LoopDelayMonitor implements EventLoopDelaySource {
  private timer: NodeJS.Timeout | undefined;
  private expectedAt = 0;
  private windowStart: number;
  private windowMax = 0;
  private lastWindowMax: number | undefined;
  private closed = false;

  constructor(
    private readonly probeEveryMs = 100,
    private readonly windowMs = 1000,
  ) {
    this.windowStart = performance.now();
    this.schedule();
  }

  recentDelayMs(): number | undefined {
    if (this.lastWindowMax === undefined) return undefined;
    return Math.max(this.lastWindowMax, this.windowMax);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.closed) return;
    this.expectedAt = performance.now() + this.probeEveryMs;
    this.timer = setTimeout(() => this.probe(), this.probeEveryMs);
    // The probe must never keep the process alive on its own.
    this.timer.unref();
  }

  private probe(): void {
    const now = performance.now();
    this.windowMax = Math.max(this.windowMax, now - this.expectedAt);
    if (now - this.windowStart >= this.windowMs) {
      this.lastWindowMax = this.windowMax;
      this.windowMax = 0;
      this.windowStart = now;
    }
    this.schedule();
  }
}
