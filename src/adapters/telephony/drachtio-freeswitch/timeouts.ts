/** Time limits around library promises that may never settle (drachtio-fsmrf's, notably). */
import type { Clock } from '../../../ports/clock.js';
import { DfsError } from './errors.js';

/**
 * Settles like `p`, or rejects with HOTLINE_E_DFS_TIMEOUT after `timeoutMs`. If `p` resolves after the time
 * limit, `onLate` receives the value so its owner can release it (a channel nobody waits for any more).
 * `p` can never reject unhandled.
 */
export function withTimeout<T>(
  p: Promise<T>,
  timeoutMs: number,
  timers: Pick<Clock, 'setTimer'>,
  what: string,
  onLate?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = timers.setTimer(timeoutMs, () => {
      timedOut = true;
      reject(new DfsError('HOTLINE_E_DFS_TIMEOUT', `${what}: no answer within ${timeoutMs} ms`));
    });
    p.then(
      (value) => {
        timer.cancel();
        if (timedOut) onLate?.(value);
        else resolve(value);
      },
      (err: unknown) => {
        timer.cancel();
        if (!timedOut) reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
