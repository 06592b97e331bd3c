/**
 * §13.3.1.4: the UAS core (not the transaction) retransmits its 2xx to an INVITE until the ACK arrives:
 * every T1, doubling up to T2, over UDP only; after 64*T1 without ACK it gives up and the dialog should end
 * (a BYE, §13.3.1.4). On TCP nothing is retransmitted, but the 64*T1 wait for the ACK still applies.
 */
import type { TimerHandle } from '../../../../ports/clock.js';
import type { IncomingRequest } from './incoming-request.js';
import type { SipResponse } from './message.js';
import type { Logger } from 'pino';
import { guarded, type SipTimers, type SipTiming } from './timers.js';

export class Uas2xxRetransmitter {
  private retransmit: TimerHandle | undefined;
  private giveUp: TimerHandle | undefined;
  private intervalMs: number;
  private done = false;

  constructor(
    private readonly incoming: IncomingRequest,
    private readonly response: SipResponse,
    private readonly timers: SipTimers,
    private readonly timing: SipTiming,
    private readonly onNoAck: () => void,
    private readonly logger?: Logger,
  ) {
    this.intervalMs = timing.t1Ms;
  }

  get active(): boolean {
    return !this.done;
  }

  /** Sends the 2xx and starts waiting for the ACK. */
  start(): void {
    this.incoming.send(this.response);
    if (this.incoming.source.transport === 'udp') this.schedule();
    this.giveUp = this.timers.setTimer(64 * this.timing.t1Ms, this.guard('2xx-no-ack', () => {
      this.stop();
      this.onNoAck();
    }));
  }

  /** The ACK arrived (or the dialog ended another way). */
  stop(): void {
    this.done = true;
    this.retransmit?.cancel();
    this.giveUp?.cancel();
    this.retransmit = undefined;
    this.giveUp = undefined;
  }

  private schedule(): void {
    this.retransmit = this.timers.setTimer(this.intervalMs, this.guard('2xx-retransmit', () => {
      if (this.done || this.incoming.transaction.terminated) return;
      this.incoming.send(this.response);
      this.intervalMs = Math.min(2 * this.intervalMs, this.timing.t2Ms);
      this.schedule();
    }));
  }

  private guard(what: string, fn: () => void): () => void {
    return this.logger === undefined ? fn : guarded(this.logger, what, fn);
  }
}
