/** A request the stack handed to its user, with the server transaction that answers it. */
import { createResponse, randomToken, tagOf, type ResponseOptions, type SipRequest, type SipResponse } from './message.js';
import type { ServerTransaction } from './transaction/server-transaction.js';
import type { PeerAddress } from './transport/sip-transport.js';

export interface IncomingRequest {
  readonly request: SipRequest;
  readonly source: PeerAddress;
  /** The To tag of our responses (the request's own To tag when in a dialog, else a fresh one). */
  readonly localTag: string;
  readonly transaction: ServerTransaction;
  readonly finalSent: boolean;
  /** Builds a response (§8.2.6) and sends it through the transaction. Returns what was sent. */
  respond(status: number, opts?: ResponseOptions): SipResponse;
  /** Sends a response built elsewhere (e.g. a 2xx retransmission). */
  send(res: SipResponse): void;
  /** INVITE only: the caller sent CANCEL (§9.2). Without a listener the stack answers 487 itself. */
  onCancel(fn: () => void): void;
}

export class IncomingRequestImpl implements IncomingRequest {
  readonly localTag: string;
  private readonly cancelListeners: Array<() => void> = [];

  constructor(
    readonly request: SipRequest,
    readonly source: PeerAddress,
    readonly transaction: ServerTransaction,
  ) {
    this.localTag = tagOf(request, 'to') ?? randomToken(8);
  }

  get finalSent(): boolean {
    return this.transaction.finalSent;
  }

  respond(status: number, opts: ResponseOptions = {}): SipResponse {
    const res = createResponse(this.request, status, { toTag: this.localTag, ...opts });
    this.transaction.respond(res);
    return res;
  }

  send(res: SipResponse): void {
    this.transaction.respond(res);
  }

  onCancel(fn: () => void): void {
    this.cancelListeners.push(fn);
  }

  /** Called by the stack on a matching CANCEL. Returns false when nobody listens. */
  cancelled(): boolean {
    for (const fn of this.cancelListeners) fn();
    return this.cancelListeners.length > 0;
  }
}
