/**
 * Dialog state (RFC 3261 §12): identifiers, sequence numbers, route set and remote target, and the
 * construction of requests inside the dialog (§12.2.1.1). Pure data: sending is the stack's job.
 *
 * Where in-dialog requests go: the first route when there is a route set (a proxy asked to stay on the path);
 * otherwise the "flow" the dialog was made over, when we know it (the address an INVITE came from, or the
 * address a phone registered from), because a phone behind NAT advertises a Contact nobody can reach;
 * otherwise the remote target itself.
 */
import { SipHeaders } from './headers.js';
import { addressOf, callIdOf, cseqOf, tagOf, type SipRequest, type SipResponse } from './message.js';
import type { PeerAddress, TransportKind } from './transport/sip-transport.js';
import { parseNameAddr, parseSipUri, type SipUri } from './uri.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

export interface DialogInit {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** Our From (UAC) / To (UAS) header value, tag included. */
  localHeader: string;
  /** The peer's header value, tag included. */
  remoteHeader: string;
  /** Remote target: the URI of the peer's Contact. */
  remoteTarget: string;
  /** Route header values in the order they go into requests. */
  routeSet: string[];
  localSeq: number;
  remoteSeq: number | undefined;
  /** Our Contact header value, for target-refresh requests. */
  localContact: string;
  transport: TransportKind;
  flow?: PeerAddress;
  state: DialogState;
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId};${localTag};${remoteTag}`;
}

/** Where a SIP URI points: host, port (5060 default), and its transport parameter if any. */
export function uriDestination(uri: SipUri, fallback: TransportKind): PeerAddress {
  const t = uri.params.get('transport');
  const named = typeof t === 'string' ? t.toLowerCase() : undefined;
  const transport: TransportKind = named === 'tcp' || named === 'udp' ? named : fallback;
  const maddr = uri.params.get('maddr');
  const host = typeof maddr === 'string' && maddr.length > 0 ? maddr : uri.host.replace(/^\[(.*)\]$/, '$1');
  return { transport, host, port: uri.port ?? (uri.scheme === 'sips' ? 5061 : 5060) };
}

function contactUriOf(msg: SipRequest | SipResponse): string | undefined {
  const contact = msg.headers.get('contact');
  return contact === undefined ? undefined : (parseNameAddr(contact)?.uri ?? undefined);
}

export class Dialog {
  state: DialogState;
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localHeader: string;
  readonly remoteHeader: string;
  remoteTarget: string;
  readonly routeSet: readonly string[];
  localSeq: number;
  remoteSeq: number | undefined;
  readonly localContact: string;
  readonly transport: TransportKind;
  readonly flow: PeerAddress | undefined;

  constructor(init: DialogInit) {
    this.state = init.state;
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localHeader = init.localHeader;
    this.remoteHeader = init.remoteHeader;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.localContact = init.localContact;
    this.transport = init.transport;
    this.flow = init.flow;
  }

  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /** §12.1.1: the UAS side, from the INVITE and the tag of our 2xx (Record-Route kept in order). */
  static fromInboundInvite(invite: SipRequest, source: PeerAddress, localTag: string, localContact: string): Dialog {
    const to = invite.headers.get('to') ?? '';
    return new Dialog({
      state: 'confirmed',
      callId: callIdOf(invite),
      localTag,
      remoteTag: tagOf(invite, 'from') ?? '',
      localHeader: tagOf(invite, 'to') === undefined ? `${to};tag=${localTag}` : to,
      remoteHeader: invite.headers.get('from') ?? '',
      remoteTarget: contactUriOf(invite) ?? addressOf(invite, 'from').uri,
      routeSet: invite.headers.getAll('record-route'),
      localSeq: 0,
      remoteSeq: cseqOf(invite).seq,
      localContact,
      transport: source.transport,
      flow: source,
    });
  }

  /** §12.1.2: the UAC side, from our INVITE and the 2xx (Record-Route reversed). */
  static fromInviteResponse(
    invite: SipRequest,
    response: SipResponse,
    flow: PeerAddress,
    localContact: string,
  ): Dialog {
    return new Dialog({
      state: response.status < 200 ? 'early' : 'confirmed',
      callId: callIdOf(invite),
      localTag: tagOf(invite, 'from') ?? '',
      remoteTag: tagOf(response, 'to') ?? '',
      localHeader: invite.headers.get('from') ?? '',
      remoteHeader: response.headers.get('to') ?? '',
      remoteTarget: contactUriOf(response) ?? invite.uri,
      routeSet: [...response.headers.getAll('record-route')].reverse(),
      localSeq: cseqOf(invite).seq,
      remoteSeq: undefined,
      localContact,
      transport: flow.transport,
      flow,
    });
  }

  /** §12.2.1.1: a new request in this dialog (not ACK or CANCEL: see createAck). Via is added on send. */
  createRequest(
    method: string,
    opts: { body?: Buffer; contentType?: string; headers?: ReadonlyArray<readonly [string, string]> } = {},
  ): SipRequest {
    if (this.localSeq === 0) this.localSeq = 1 + Math.floor(Math.random() * 10_000);
    else this.localSeq += 1;
    return this.build(method, this.localSeq, opts);
  }

  /** §13.2.2.4: the ACK for a 2xx carries the INVITE's CSeq number and this dialog's route set. */
  createAck(inviteSeq: number, opts: { body?: Buffer; contentType?: string } = {}): SipRequest {
    return this.build('ACK', inviteSeq, opts);
  }

  private build(
    method: string,
    seq: number,
    opts: { body?: Buffer; contentType?: string; headers?: ReadonlyArray<readonly [string, string]> },
  ): SipRequest {
    const headers = new SipHeaders();
    let uri = this.remoteTarget;
    const routes = [...this.routeSet];
    const first = routes[0] === undefined ? undefined : parseNameAddr(routes[0]);
    if (first && !(first.sipUri?.params.has('lr') ?? false)) {
      // Strict routing (§12.2.1.1): the first route becomes the Request-URI, the target goes last.
      uri = first.uri;
      routes.shift();
      routes.push(`<${this.remoteTarget}>`);
    }
    for (const route of routes) headers.append('Route', route);
    headers.append('Max-Forwards', '70');
    headers.append('From', this.localHeader);
    headers.append('To', this.remoteHeader);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${seq} ${method}`);
    if (method === 'INVITE' || method === 'UPDATE') headers.append('Contact', this.localContact);
    for (const [name, value] of opts.headers ?? []) headers.append(name, value);
    const body = opts.body ?? Buffer.alloc(0);
    if (body.length > 0 && opts.contentType !== undefined) headers.append('Content-Type', opts.contentType);
    return { kind: 'request', method, uri, headers, body };
  }

  /** Where requests of this dialog are sent (see the file comment). */
  destination(): PeerAddress {
    const first = this.routeSet[0] === undefined ? undefined : parseNameAddr(this.routeSet[0]);
    if (first?.sipUri) return uriDestination(first.sipUri, this.transport);
    if (this.flow !== undefined) return this.flow;
    const target = parseSipUri(this.remoteTarget);
    if (target !== null) return uriDestination(target, this.transport);
    return { transport: this.transport, host: '', port: 0 };
  }

  /** §12.2.2: a request with a CSeq lower than the last one is out of order (500). ACK/CANCEL excluded. */
  acceptRemoteCseq(req: SipRequest): boolean {
    if (req.method === 'ACK' || req.method === 'CANCEL') return true;
    const seq = cseqOf(req).seq;
    if (this.remoteSeq !== undefined && seq < this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** §12.2.2: a target-refresh request (re-INVITE) may carry a new Contact. */
  refreshTarget(msg: SipRequest | SipResponse): void {
    const uri = contactUriOf(msg);
    if (uri !== undefined) this.remoteTarget = uri;
  }
}
