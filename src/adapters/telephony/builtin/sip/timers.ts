/**
 * Timer source of the SIP stack. Any Clock (src/ports/clock.ts) fits, so the stack runs on real time, on
 * vitest fake timers (systemTimers under vi.useFakeTimers), or on a simulated clock.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../../ports/clock.js';

export type SipTimers = Pick<Clock, 'setTimer'>;

export const systemTimers: SipTimers = {
  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(t) };
  },
};

/** RFC 3261 §17.1.1.1 / Table 4 base values. Tests may shrink them; production keeps the defaults. */
export interface SipTiming {
  /** RTT estimate: 500 ms. */
  t1Ms: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses: 4 s. */
  t2Ms: number;
  /** Maximum time a message stays in the network: 5 s. */
  t4Ms: number;
}

export const RFC3261_TIMING: Readonly<SipTiming> = { t1Ms: 500, t2Ms: 4000, t4Ms: 5000 };

/** Timer D (§17.1.1.2): "at least 32 s" on unreliable transports; 64*T1 is exactly that with the default T1. */
export function timerDMs(timing: SipTiming): number {
  return 64 * timing.t1Ms;
}

/**
 * Wraps a timer callback so a bug in it is logged instead of becoming an uncaught exception that takes the
 * whole engine (every call) down.
 */
export function guarded(logger: Logger, what: string, fn: () => void): () => void {
  return () => {
    try {
      fn();
    } catch (err) {
      logger.error({ err, timer: what }, 'SIP timer callback failed');
    }
  };
}
