/**
 * Client transactions (RFC 3261 §17.1): INVITE (timers A, B, D; RFC 6026 M) and non-INVITE (E, F, K).
 * Retransmission timers run on UDP only (§17.1.1.2, §17.1.2.2); D and K are zero on TCP.
 */
import { SipHeaders } from '../headers.js';
import { cseqOf, type SipRequest, type SipResponse } from '../message.js';
import { timerDMs } from '../timers.js';
import type { PeerAddress } from '../transport/sip-transport.js';
import { TransactionMachine, type TransactionEnv } from './machine.js';
import {
  INVITE_CLIENT_TABLE,
  NON_INVITE_CLIENT_TABLE,
  type IctAction,
  type IctEvent,
  type IctState,
  type NictAction,
  type NictEvent,
  type NictState,
} from './tables.js';

/** The transaction user: the UAC core, a dialog, or the call-control adapter. */
export interface ClientTransactionUser {
  /** Provisional and final responses; in "accepted", also retransmitted 2xx (the TU re-sends its ACK). */
  onResponse(res: SipResponse): void;
  /** Timer B or F fired without a final response. */
  onTimeout(): void;
  onTransportError(): void;
}

export interface ClientTransaction {
  readonly request: SipRequest;
  readonly destination: PeerAddress;
  readonly terminated: boolean;
  /** Starts: sends the request and arms the timers. */
  start(): void;
  receiveResponse(res: SipResponse): void;
  abort(): void;
  setOnTerminated(fn: () => void): void;
}

/**
 * §17.1.1.3: the ACK for a non-2xx final response is part of the transaction: same Request-URI, Call-ID,
 * From, CSeq number and top Via (so it matches the server transaction), To from the response, INVITE's Route.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  const via = invite.headers.get('via');
  if (via !== undefined) headers.append('Via', via);
  headers.append('Max-Forwards', '70');
  headers.copyFrom(invite.headers, 'route');
  headers.copyFrom(invite.headers, 'from');
  headers.append('To', response.headers.get('to') ?? invite.headers.get('to') ?? '');
  headers.copyFrom(invite.headers, 'call-id');
  headers.append('CSeq', `${cseqOf(invite).seq} ACK`);
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}

export class InviteClientTransaction
  extends TransactionMachine<IctState, IctEvent, IctAction>
  implements ClientTransaction
{
  private intervalAMs: number;
  private lastResponse: SipResponse | undefined;

  constructor(
    env: TransactionEnv,
    readonly request: SipRequest,
    readonly destination: PeerAddress,
    private readonly tu: ClientTransactionUser,
  ) {
    super(env, INVITE_CLIENT_TABLE, 'calling', 'terminated');
    this.intervalAMs = env.timing.t1Ms;
  }

  start(): void {
    this.transmit(this.request, this.destination, 'transportError');
    if (this.destination.transport === 'udp') this.startTimer('timerA', this.intervalAMs);
    this.startTimer('timerB', 64 * this.env.timing.t1Ms);
  }

  receiveResponse(res: SipResponse): void {
    this.lastResponse = res;
    this.dispatch(res.status < 200 ? '1xx' : res.status < 300 ? '2xx' : '3xx-6xx');
  }

  protected run(action: IctAction): void {
    const reliable = this.destination.transport !== 'udp';
    switch (action) {
      case 'retransmitRequest':
        this.transmit(this.request, this.destination, 'transportError');
        return;
      case 'startA':
        this.intervalAMs *= 2; // §17.1.1.2: A doubles each time, no cap (B ends it)
        this.startTimer('timerA', this.intervalAMs);
        return;
      case 'stopA':
        this.stopTimer('timerA');
        return;
      case 'stopB':
        this.stopTimer('timerB');
        return;
      case 'passToTu':
        if (this.lastResponse !== undefined) this.tu.onResponse(this.lastResponse);
        return;
      case 'sendAck':
        if (this.lastResponse !== undefined) {
          this.transmit(buildNon2xxAck(this.request, this.lastResponse), this.destination, 'transportError');
        }
        return;
      case 'startD':
        this.startTimer('timerD', reliable ? 0 : timerDMs(this.env.timing));
        return;
      case 'startM':
        this.startTimer('timerM', 64 * this.env.timing.t1Ms);
        return;
      case 'reportTimeout':
        this.tu.onTimeout();
        return;
      case 'reportTransportError':
        this.tu.onTransportError();
        return;
    }
  }

  protected describe(): Record<string, unknown> {
    return { tx: 'ict', method: this.request.method, sipCallId: this.request.headers.get('call-id') };
  }
}

export class NonInviteClientTransaction
  extends TransactionMachine<NictState, NictEvent, NictAction>
  implements ClientTransaction
{
  private intervalEMs: number;
  private lastResponse: SipResponse | undefined;

  constructor(
    env: TransactionEnv,
    readonly request: SipRequest,
    readonly destination: PeerAddress,
    private readonly tu: ClientTransactionUser,
  ) {
    super(env, NON_INVITE_CLIENT_TABLE, 'trying', 'terminated');
    this.intervalEMs = env.timing.t1Ms;
  }

  start(): void {
    this.transmit(this.request, this.destination, 'transportError');
    if (this.destination.transport === 'udp') this.startTimer('timerE', this.intervalEMs);
    this.startTimer('timerF', 64 * this.env.timing.t1Ms);
  }

  receiveResponse(res: SipResponse): void {
    this.lastResponse = res;
    this.dispatch(res.status < 200 ? '1xx' : 'final');
  }

  protected run(action: NictAction): void {
    const { t2Ms, t4Ms } = this.env.timing;
    switch (action) {
      case 'retransmitRequest':
        this.transmit(this.request, this.destination, 'transportError');
        return;
      case 'startE':
        this.intervalEMs = Math.min(2 * this.intervalEMs, t2Ms); // §17.1.2.2: min(2E, T2) in Trying
        this.startTimer('timerE', this.intervalEMs);
        return;
      case 'startET2':
        this.startTimer('timerE', t2Ms); // in Proceeding, retransmit every T2
        return;
      case 'stopE':
        this.stopTimer('timerE');
        return;
      case 'stopF':
        this.stopTimer('timerF');
        return;
      case 'passToTu':
        if (this.lastResponse !== undefined) this.tu.onResponse(this.lastResponse);
        return;
      case 'startK':
        this.startTimer('timerK', this.destination.transport === 'udp' ? t4Ms : 0);
        return;
      case 'reportTimeout':
        this.tu.onTimeout();
        return;
      case 'reportTransportError':
        this.tu.onTransportError();
        return;
    }
  }

  protected describe(): Record<string, unknown> {
    return { tx: 'nict', method: this.request.method, sipCallId: this.request.headers.get('call-id') };
  }
}
