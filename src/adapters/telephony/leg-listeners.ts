/**
 * The listeners of one call leg (DTMF, blind-transfer requests, hang-up), shared by the built-in and the
 * drachtio-freeswitch legs. A listener that throws is reported and never stops the others or the adapter; a
 * hang-up listener added after the leg ended is called at once with how it ended.
 */
import type { DtmfEvent, HangupEvent, TransferRequest } from '../../ports/call-control.js';

export class LegListeners {
  private readonly dtmf: Array<(ev: DtmfEvent) => void> = [];
  private readonly transfer: Array<(req: TransferRequest) => void> = [];
  private readonly hangup: Array<(ev: HangupEvent) => void> = [];
  private ended: HangupEvent | undefined;

  constructor(private readonly onListenerError: (err: unknown) => void) {}

  onDtmf(fn: (ev: DtmfEvent) => void): void {
    this.dtmf.push(fn);
  }

  onTransferRequest(fn: (req: TransferRequest) => void): void {
    this.transfer.push(fn);
  }

  onHangup(fn: (ev: HangupEvent) => void): void {
    if (this.ended !== undefined) this.safely(() => fn(this.ended as HangupEvent));
    else this.hangup.push(fn);
  }

  /** Whether anyone would take a transfer request (a REFER is refused otherwise). */
  get takesTransfers(): boolean {
    return this.transfer.length > 0;
  }

  dtmfReceived(ev: DtmfEvent): void {
    for (const fn of this.dtmf) this.safely(() => fn(ev));
  }

  transferRequested(req: TransferRequest): void {
    for (const fn of this.transfer) this.safely(() => fn(req));
  }

  /** The leg ended: every hang-up listener is called once; later ones at once. */
  hungUp(ev: HangupEvent): void {
    if (this.ended !== undefined) return;
    this.ended = ev;
    for (const fn of this.hangup.splice(0)) this.safely(() => fn(ev));
  }

  safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onListenerError(err);
    }
  }
}
