/**
 * The bookkeeping every RingAttempt implementation shares: an outcome that settles once (logged), and the
 * ringing listeners, each guarded so a failing listener cannot break the ring's state machine.
 */
import type { Logger } from 'pino';
import type { RingOutcome } from '../../ports/call-control.js';

export class RingSettlement {
  readonly outcome: Promise<RingOutcome>;
  private resolveOutcome!: (o: RingOutcome) => void;
  private settled = false;
  private readonly ringingListeners: Array<() => void> = [];

  constructor(
    private readonly log: Logger,
    /** How a listener's error is put into the log line (adapters may have their own serializer). */
    private readonly describeError: (err: unknown) => unknown = (err) => err,
  ) {
    this.outcome = new Promise((resolve) => (this.resolveOutcome = resolve));
  }

  onRinging(fn: () => void): void {
    this.ringingListeners.push(fn);
  }

  emitRinging(): void {
    for (const fn of this.ringingListeners) {
      try {
        fn();
      } catch (err) {
        this.log.error({ err: this.describeError(err) }, 'onRinging listener failed');
      }
    }
  }

  /** Settles the outcome the first time; later calls are ignored. */
  settle(outcome: RingOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.log.info({ outcome: outcome.kind, ...('sipStatus' in outcome ? { sipStatus: outcome.sipStatus } : {}) }, 'ring settled');
    this.resolveOutcome(outcome);
  }
}
