/**
 * Shared engine of the four transaction machines: named timers on the injected timer source, a table-driven
 * dispatch loop, and the event queue that lets a zero-length timer (reliable transports, §17) fire right
 * after the current transition instead of through the timer wheel.
 */
import type { Logger } from 'pino';
import type { TimerHandle } from '../../../../../ports/clock.js';
import type { SipMessage } from '../message.js';
import { guarded, type SipTimers, type SipTiming } from '../timers.js';
import type { PeerAddress } from '../transport/sip-transport.js';
import { lookup, type Table } from './tables.js';

/** What a transaction needs from the world. */
export interface TransactionEnv {
  send(msg: SipMessage, dest: PeerAddress): Promise<void>;
  timers: SipTimers;
  timing: SipTiming;
  logger: Logger;
}

export abstract class TransactionMachine<S extends string, E extends string, A extends string> {
  protected state: S;
  private readonly running = new Map<string, TimerHandle>();
  private readonly queue: E[] = [];
  private dispatching = false;
  private onEnd: (() => void) | undefined;

  protected constructor(
    protected readonly env: TransactionEnv,
    private readonly table: Table<S, E, A>,
    initial: S,
    private readonly terminal: S,
  ) {
    this.state = initial;
  }

  get currentState(): S {
    return this.state;
  }

  get terminated(): boolean {
    return this.state === this.terminal;
  }

  /** The transaction layer removes the transaction from its map here. */
  setOnTerminated(fn: () => void): void {
    this.onEnd = fn;
  }

  /** Stops every timer without callbacks (stack shutdown). */
  abort(): void {
    for (const t of this.running.values()) t.cancel();
    this.running.clear();
    if (this.state !== this.terminal) {
      this.state = this.terminal;
      this.onEnd?.();
    }
  }

  protected abstract run(action: A): void;
  protected abstract describe(): Record<string, unknown>;

  /** Whether the current state has a row for this event (used to refuse a TU's illegal response up front). */
  protected allows(event: E): boolean {
    return lookup(this.table, this.state, event) !== undefined;
  }

  protected dispatch(event: E): void {
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) this.step(next);
    } finally {
      this.dispatching = false;
    }
  }

  private step(event: E): void {
    if (this.state === this.terminal) return;
    const row = lookup(this.table, this.state, event);
    if (row === undefined) {
      this.env.logger.warn(
        { code: 'HOTLINE_E_SIP_TX_ILLEGAL', state: this.state, event, ...this.describe() },
        'SIP transaction: event not allowed in this state',
      );
      return;
    }
    this.state = row.next;
    for (const action of row.actions) this.run(action);
    if (this.state === this.terminal) {
      for (const t of this.running.values()) t.cancel();
      this.running.clear();
      this.onEnd?.();
    }
  }

  /** Starts (or restarts) a named timer whose expiry is the event of the same name. */
  protected startTimer(event: E, delayMs: number): void {
    this.stopTimer(event);
    if (delayMs <= 0) {
      this.dispatch(event);
      return;
    }
    this.running.set(
      event,
      this.env.timers.setTimer(
        delayMs,
        guarded(this.env.logger, event, () => {
          this.running.delete(event);
          this.dispatch(event);
        }),
      ),
    );
  }

  protected stopTimer(event: E): void {
    this.running.get(event)?.cancel();
    this.running.delete(event);
  }

  /** Sends and turns a transport failure into the machine's transportError event. */
  protected transmit(msg: SipMessage, dest: PeerAddress, transportErrorEvent: E): void {
    this.env.send(msg, dest).catch((err: unknown) => this.onSendFailed(err, transportErrorEvent));
  }

  /** A failed send becomes an event; a bug in what that event triggers is logged, never left unhandled. */
  protected onSendFailed(err: unknown, transportErrorEvent: E): void {
    this.env.logger.debug({ err, ...this.describe() }, 'SIP transaction send failed');
    guarded(this.env.logger, String(transportErrorEvent), () => this.dispatch(transportErrorEvent))();
  }
}
