/**
 * Bounded exponential back-off for reconnecting to a server: initial, ×factor per failure, never above max.
 * Pure (no timers): the owner asks next() for the delay and schedules the attempt on its Clock.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ initialMs: 250, maxMs: 5000, factor: 2 });

export class Backoff {
  private failures = 0;

  constructor(private readonly opts: BackoffOptions = DEFAULT_BACKOFF) {
    if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs) || !(opts.factor >= 1)) {
      throw new RangeError(`back-off needs 0 < initialMs <= maxMs and factor >= 1, got ${JSON.stringify(opts)}`);
    }
  }

  /** The delay before the next attempt, after one more failure. */
  next(): number {
    const delayMs = Math.min(this.opts.maxMs, this.opts.initialMs * this.opts.factor ** this.failures);
    this.failures += 1;
    return Math.round(delayMs);
  }

  /** After a success: the next failure starts from the initial delay again. */
  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}
