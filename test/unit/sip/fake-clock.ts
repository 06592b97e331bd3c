/** The shared ManualClock, with the start time and counter name the SIP and registrar tests use. */
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';

export class FakeClock extends ManualClock {
  constructor(startMs = 1_700_000_000_000) {
    super(startMs);
  }

  get pendingTimers(): number {
    return this.timerCount;
  }
}
