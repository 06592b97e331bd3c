/**
 * Server transactions (RFC 3261 §17.2): INVITE (timers G, H, I; RFC 6026 L) and non-INVITE (J).
 * Responses go out through `sendResponse`, which routes them per §18.2.2.
 */
import type { SipRequest, SipResponse } from '../message.js';
import type { PeerAddress } from '../transport/sip-transport.js';
import { TransactionMachine, type TransactionEnv } from './machine.js';
import {
  INVITE_SERVER_TABLE,
  NON_INVITE_SERVER_TABLE,
  type IstAction,
  type IstEvent,
  type IstState,
  type NistAction,
  type NistEvent,
  type NistState,
} from './tables.js';

export interface ServerTransactionEnv extends TransactionEnv {
  /** Sends a response to the source of the request (§18.2.2). */
  sendResponse(res: SipResponse, source: PeerAddress): Promise<void>;
}

export interface ServerTransaction {
  readonly request: SipRequest;
  readonly source: PeerAddress;
  readonly terminated: boolean;
  /** Has a final (≥ 200) response been sent? */
  readonly finalSent: boolean;
  readonly lastResponse: SipResponse | undefined;
  /** The TU's response (1xx, 2xx or final). Ignored, with a warning, when the state does not allow it. */
  respond(res: SipResponse): void;
  /** A retransmission of the request, or (INVITE) the ACK for a non-2xx response. */
  receiveRequest(req: SipRequest): void;
  abort(): void;
  setOnTerminated(fn: () => void): void;
}

export interface InviteServerTransactionUser {
  /** An ACK matched this transaction in the "accepted" state (RFC 6026 §7.1). */
  onAck?(ack: SipRequest): void;
  /** Timer H: no ACK for our non-2xx final response. */
  onTimeout?(): void;
  onTransportError?(): void;
}

export class InviteServerTransaction
  extends TransactionMachine<IstState, IstEvent, IstAction>
  implements ServerTransaction
{
  private last: SipResponse | undefined;
  private pendingAck: SipRequest | undefined;
  private intervalGMs: number;
  private timerGStarted = false;
  tu: InviteServerTransactionUser = {};

  constructor(
    private readonly senv: ServerTransactionEnv,
    readonly request: SipRequest,
    readonly source: PeerAddress,
  ) {
    super(senv, INVITE_SERVER_TABLE, 'proceeding', 'terminated');
    this.intervalGMs = senv.timing.t1Ms;
  }

  get finalSent(): boolean {
    return this.last !== undefined && this.last.status >= 200;
  }

  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  respond(res: SipResponse): void {
    const event: IstEvent = res.status < 200 ? 'tu1xx' : res.status < 300 ? 'tu2xx' : 'tu3xx-6xx';
    if (!this.allows(event)) {
      this.env.logger.warn(
        { code: 'HOTLINE_E_SIP_TX_ILLEGAL', state: this.currentState, status: res.status, ...this.describe() },
        'SIP transaction: response not allowed in this state',
      );
      return;
    }
    this.last = res;
    this.dispatch(event);
  }

  receiveRequest(req: SipRequest): void {
    if (req.method === 'ACK') {
      this.pendingAck = req;
      this.dispatch('ack');
    } else {
      this.dispatch('request');
    }
  }

  protected run(action: IstAction): void {
    const { t1Ms, t2Ms, t4Ms } = this.env.timing;
    const udp = this.source.transport === 'udp';
    switch (action) {
      case 'sendResponse':
      case 'resendLastResponse':
        if (this.last !== undefined) this.sendLast();
        return;
      case 'startG':
        if (!udp) return; // §17.2.1: G only on unreliable transports
        // First start: T1; each firing after that: min(2G, T2).
        if (this.timerGStarted) this.intervalGMs = Math.min(2 * this.intervalGMs, t2Ms);
        this.timerGStarted = true;
        this.startTimer('timerG', this.intervalGMs);
        return;
      case 'stopG':
        this.stopTimer('timerG');
        return;
      case 'startH':
        this.startTimer('timerH', 64 * t1Ms);
        return;
      case 'stopH':
        this.stopTimer('timerH');
        return;
      case 'startI':
        this.startTimer('timerI', udp ? t4Ms : 0);
        return;
      case 'startL':
        this.startTimer('timerL', 64 * t1Ms);
        return;
      case 'passAckToTu':
        if (this.pendingAck !== undefined) this.tu.onAck?.(this.pendingAck);
        return;
      case 'reportTimeout':
        this.tu.onTimeout?.();
        return;
      case 'reportTransportError':
        this.tu.onTransportError?.();
        return;
    }
  }

  private sendLast(): void {
    const res = this.last!;
    this.senv.sendResponse(res, this.source).catch((err: unknown) => this.onSendFailed(err, 'transportError'));
  }

  protected describe(): Record<string, unknown> {
    return { tx: 'ist', sipCallId: this.request.headers.get('call-id') };
  }
}

export class NonInviteServerTransaction
  extends TransactionMachine<NistState, NistEvent, NistAction>
  implements ServerTransaction
{
  private last: SipResponse | undefined;

  constructor(
    private readonly senv: ServerTransactionEnv,
    readonly request: SipRequest,
    readonly source: PeerAddress,
  ) {
    super(senv, NON_INVITE_SERVER_TABLE, 'trying', 'terminated');
  }

  get finalSent(): boolean {
    return this.last !== undefined && this.last.status >= 200;
  }

  get lastResponse(): SipResponse | undefined {
    return this.last;
  }

  respond(res: SipResponse): void {
    if (!this.allows(res.status < 200 ? 'tu1xx' : 'tuFinal')) {
      this.env.logger.warn(
        { code: 'HOTLINE_E_SIP_TX_ILLEGAL', status: res.status, ...this.describe() },
        'SIP transaction: response after the final one',
      );
      return;
    }
    this.last = res;
    this.dispatch(res.status < 200 ? 'tu1xx' : 'tuFinal');
  }

  receiveRequest(_req: SipRequest): void {
    this.dispatch('request');
  }

  protected run(action: NistAction): void {
    switch (action) {
      case 'sendResponse':
      case 'resendLastResponse': {
        const res = this.last;
        if (res === undefined) return;
        this.senv.sendResponse(res, this.source).catch((err: unknown) => this.onSendFailed(err, 'transportError'));
        return;
      }
      case 'startJ':
        this.startTimer('timerJ', this.source.transport === 'udp' ? 64 * this.env.timing.t1Ms : 0);
        return;
      case 'reportTransportError':
        return; // nobody waits on a non-INVITE server transaction
    }
  }

  protected describe(): Record<string, unknown> {
    return { tx: 'nist', method: this.request.method, sipCallId: this.request.headers.get('call-id') };
  }
}
