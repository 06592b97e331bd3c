/**
 * The SIP stack: transport + transactions + the parts of the UA core every user needs (RFC 3261 §8.2):
 * 400/505 for malformed requests, 420 for unknown extensions, 416 for URI schemes, 481 for unknown dialogs
 * and transactions, 500 for out-of-order CSeq, OPTIONS, 405/501 for methods we do not do, CANCEL (§9.2).
 * INVITE (out of dialog), REGISTER and in-dialog requests go to the user through handlers.
 */
import type { Logger } from 'pino';
import { Dialog, dialogId } from './dialog.js';
import { SipError } from './errors.js';
import { IncomingRequestImpl, type IncomingRequest } from './incoming-request.js';
import {
  callIdOf,
  createResponse,
  cseqOf,
  newBranch,
  parseVia,
  randomToken,
  tagOf,
  topVia,
  type SipRequest,
  type SipResponse,
} from './message.js';
import { DEFAULT_MAX_MESSAGE_BYTES, type SipParseError } from './parser.js';
import { systemTimers, RFC3261_TIMING, type SipTimers, type SipTiming } from './timers.js';
import type { ClientTransaction, ClientTransactionUser } from './transaction/client-transaction.js';
import { InviteServerTransaction } from './transaction/server-transaction.js';
import { TransactionLayer } from './transaction/transaction-layer.js';
import {
  SipTransport,
  formatPeer,
  responseDestination,
  stampVia,
  type PeerAddress,
  type TransportKind,
} from './transport/sip-transport.js';
import { uriScheme } from './uri.js';

/** Methods we implement; the Allow header of OPTIONS and 405 responses. */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'REFER', 'REGISTER'] as const;
/** Methods we recognize but do not implement (405, not 501: §8.2.1). */
const KNOWN_UNSUPPORTED = new Set(['PRACK', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'MESSAGE', 'PUBLISH']);
/** Option tags we can honour in Require (§8.2.2.3); none beyond the base spec. */
const SUPPORTED_EXTENSIONS = new Set<string>();

export const ACCEPT = 'application/sdp, application/dtmf-relay, application/dtmf';

export interface SipStackOptions {
  host: string;
  port: number;
  udp: boolean;
  tcp: boolean;
  /** Host written in Via, Contact and From when it differs from the bind address (NAT, containers). */
  publicHost?: string;
  logger: Logger;
  timers?: SipTimers;
  timing?: Partial<SipTiming>;
  maxMessageBytes?: number;
  userAgent?: string;
  tcpIdleTimeoutMs?: number;
}

export interface SipStackHandlers {
  /** An INVITE outside any dialog; 100 Trying has been sent. */
  onInvite(req: IncomingRequest): void;
  onRegister(req: IncomingRequest): void;
}

/** The user of one dialog: in-dialog requests (BYE, INFO, re-INVITE, OPTIONS) and 2xx ACKs land here. */
export interface DialogUser {
  onRequest(req: IncomingRequest, dialog: Dialog): void;
  onAck(ack: SipRequest, dialog: Dialog): void;
}

export class SipStack {
  readonly timers: SipTimers;
  readonly timing: SipTiming;
  readonly logger: Logger;
  private readonly transport: SipTransport;
  private readonly layer: TransactionLayer;
  private readonly dialogs = new Map<string, { dialog: Dialog; user: DialogUser }>();
  private readonly incomingByTx = new WeakMap<InviteServerTransaction, IncomingRequestImpl>();
  private handlers: SipStackHandlers | undefined;
  private closed = false;

  constructor(private readonly opts: SipStackOptions) {
    this.logger = opts.logger;
    this.timers = opts.timers ?? systemTimers;
    this.timing = { ...RFC3261_TIMING, ...opts.timing };
    this.transport = new SipTransport({
      host: opts.host,
      port: opts.port,
      udp: opts.udp,
      tcp: opts.tcp,
      logger: opts.logger,
      maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      ...(opts.tcpIdleTimeoutMs !== undefined ? { tcpIdleTimeoutMs: opts.tcpIdleTimeoutMs } : {}),
    });
    this.layer = new TransactionLayer({
      sendRequest: (req, dest) => this.transport.send(req, dest),
      sendResponse: (res, source) => this.sendResponse(res, source),
      timers: this.timers,
      timing: this.timing,
      logger: opts.logger,
    });
  }

  /** Host we advertise in Via, Contact and From. */
  get advertisedHost(): string {
    return this.opts.publicHost ?? this.opts.host;
  }

  /** Bound port (UDP and TCP share it). */
  get port(): number {
    return this.transport.port;
  }

  supports(kind: TransportKind): boolean {
    return this.transport.supports(kind);
  }

  status(): { udp: boolean; tcp: boolean; tcpConnections: number; dialogs: number; transactions: number } {
    const counts = this.layer.counts;
    return { ...this.transport.status(), dialogs: this.dialogs.size, transactions: counts.clients + counts.servers };
  }

  async start(handlers: SipStackHandlers): Promise<void> {
    if (this.handlers !== undefined) throw new SipError('HOTLINE_E_SIP_STACK_STATE', 'SIP stack already started');
    this.handlers = handlers;
    await this.transport.start({
      onMessage: (msg, source) => {
        try {
          if (msg.kind === 'request') this.onRequest(msg, source);
          else this.onResponse(msg, source);
        } catch (err) {
          // Input must never take the process down; a throw here is a bug we want to see in the logs.
          this.logger.error({ err, source: formatPeer(source) }, 'SIP message handling failed');
        }
      },
      onParseError: (error, source, size) => this.onParseError(error, source, size),
    });
    this.logger.info({ host: this.opts.host, port: this.port, udp: this.opts.udp, tcp: this.opts.tcp }, 'SIP stack listening');
  }

  /** Our Contact header value for this transport. */
  contact(transport: TransportKind, user = 'hotline'): string {
    const t = transport === 'tcp' ? ';transport=tcp' : '';
    return `<sip:${user}@${this.advertisedHost}:${this.port}${t}>`;
  }

  /** Sends a request in a new client transaction, adding our Via (with rport, RFC 3581) if absent. */
  sendRequest(req: SipRequest, dest: PeerAddress, tu: ClientTransactionUser): ClientTransaction {
    if (!req.headers.has('via')) req.headers.prepend('Via', this.via(dest.transport, newBranch()));
    if (this.opts.userAgent !== undefined && !req.headers.has('user-agent')) {
      req.headers.append('User-Agent', this.opts.userAgent);
    }
    return this.layer.sendRequest(req, dest, tu);
  }

  /** §13.2.2.4: the ACK to a 2xx goes straight to the transport, with its own branch. */
  async sendAck(ack: SipRequest, dest: PeerAddress): Promise<void> {
    if (!ack.headers.has('via')) ack.headers.prepend('Via', this.via(dest.transport, newBranch()));
    await this.transport.send(ack, dest);
  }

  /** §9.1: CANCEL for a pending INVITE: same Request-URI, Call-ID, From, To, CSeq number, top Via, Route. */
  sendCancel(invite: SipRequest, dest: PeerAddress, tu: ClientTransactionUser): ClientTransaction {
    const cancel: SipRequest = { kind: 'request', method: 'CANCEL', uri: invite.uri, headers: invite.headers.clone(), body: Buffer.alloc(0) };
    const keep = new Set(['via', 'route', 'from', 'to', 'call-id', 'max-forwards']);
    for (const h of invite.headers.list()) if (!keep.has(h.key)) cancel.headers.delete(h.key);
    const topViaValue = invite.headers.get('via');
    cancel.headers.delete('via');
    if (topViaValue !== undefined) cancel.headers.prepend('Via', topViaValue);
    cancel.headers.append('CSeq', `${cseqOf(invite).seq} CANCEL`);
    return this.layer.sendRequest(cancel, dest, tu);
  }

  addDialog(dialog: Dialog, user: DialogUser): void {
    this.dialogs.set(dialog.id, { dialog, user });
  }

  removeDialog(dialog: Dialog): void {
    if (this.dialogs.get(dialog.id)?.dialog === dialog) this.dialogs.delete(dialog.id);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.layer.close();
    this.dialogs.clear();
    await this.transport.close();
  }

  private via(transport: TransportKind, branch: string): string {
    return `SIP/2.0/${transport.toUpperCase()} ${this.advertisedHost}:${this.port};branch=${branch};rport`;
  }

  /** §18.2.2: back on the request's connection when it is open, else per Via received/rport/sent-by. */
  private async sendResponse(res: SipResponse, source: PeerAddress): Promise<void> {
    if (source.transport === 'tcp' && this.transport.hasConnection(source)) {
      await this.transport.send(res, source);
      return;
    }
    await this.transport.send(res, responseDestination(topVia(res), source));
  }

  private onParseError(error: SipParseError, source: PeerAddress, size: number): void {
    const log = { code: error.code, detail: error.detail, source: formatPeer(source), size };
    if (error.answerable === undefined) {
      this.logger.warn(log, 'SIP message dropped: unparseable');
      return;
    }
    const partial: SipRequest = { kind: 'request', method: error.answerable.method, uri: '', headers: error.answerable.headers, body: Buffer.alloc(0) };
    if (error.answerable.method === 'ACK') {
      this.logger.warn(log, 'SIP ACK dropped: malformed'); // never answer an ACK (§17.2.1)
      return;
    }
    stampVia(partial, source);
    const reason = error.status === 400 ? `Bad Request (${error.detail})` : undefined;
    const res = createResponse(partial, error.status, { toTag: randomToken(8), ...(reason ? { reason } : {}) });
    this.logger.warn({ ...log, status: error.status }, 'SIP request malformed: answered statelessly');
    this.sendResponse(res, source).catch((err: unknown) => this.logger.debug({ err }, 'SIP error response not sent'));
  }

  private onResponse(res: SipResponse, source: PeerAddress): void {
    // §18.1.2: a response whose top Via is not ours was misrouted.
    const via = parseVia(res.headers.get('via') ?? '');
    if (via === null || via.host !== this.advertisedHost || (via.port ?? 5060) !== this.port) {
      this.logger.debug({ source: formatPeer(source) }, 'SIP response dropped: top Via is not ours');
      return;
    }
    // A 2xx retransmitted after the INVITE transaction's 64*T1 "accepted" window is over is dropped too: the
    // UAC had the whole window to ACK it (RFC 6026 §8.4).
    if (this.layer.receiveResponse(res)) return;
    const cseq = cseqOf(res);
    this.logger.debug({ status: res.status, method: cseq.method, source: formatPeer(source) }, 'SIP response matched no transaction');
  }

  private onRequest(req: SipRequest, source: PeerAddress): void {
    const existing = this.layer.matchRequest(req);
    if (existing !== undefined) {
      existing.receiveRequest(req); // retransmission, or the ACK of a non-2xx final response
      return;
    }
    if (req.method === 'ACK') {
      const entry = this.dialogOf(req);
      if (entry !== undefined) entry.user.onAck(req, entry.dialog);
      else this.logger.debug({ source: formatPeer(source) }, 'SIP ACK matched no dialog');
      return;
    }
    if (this.closed || this.handlers === undefined) return;
    const tx = this.layer.createServer(req, source);
    const incoming = new IncomingRequestImpl(req, source, tx);
    if (tx instanceof InviteServerTransaction) {
      this.incomingByTx.set(tx, incoming);
      // An ACK that reuses the INVITE's branch lands in the transaction's "accepted" state (RFC 6026 §7.1):
      // hand it to the dialog like any other 2xx ACK.
      tx.tu = {
        onAck: (ack) => {
          const entry = this.dialogOf(ack);
          entry?.user.onAck(ack, entry.dialog);
        },
      };
      incoming.respond(100); // §17.2.1: answer at once, the TU may take longer than 200 ms
    }
    if (req.method === 'CANCEL') {
      this.onCancel(incoming);
      return;
    }
    const unsupported = req.headers.getAll('require').filter((tag) => !SUPPORTED_EXTENSIONS.has(tag.toLowerCase()));
    if (unsupported.length > 0) {
      incoming.respond(420, { headers: [['Unsupported', unsupported.join(', ')]] }); // §8.2.2.3
      return;
    }
    const scheme = uriScheme(req.uri);
    if (scheme !== 'sip' && scheme !== 'sips') {
      incoming.respond(416); // §8.2.2.1
      return;
    }
    if (tagOf(req, 'to') !== undefined) {
      this.onInDialogRequest(incoming);
      return;
    }
    this.onOutOfDialogRequest(incoming);
  }

  private onInDialogRequest(incoming: IncomingRequestImpl): void {
    const entry = this.dialogOf(incoming.request);
    if (entry === undefined) {
      incoming.respond(481); // §12.2.2
      return;
    }
    if (!entry.dialog.acceptRemoteCseq(incoming.request)) {
      incoming.respond(500, { reason: 'CSeq Out of Order' }); // §12.2.2
      return;
    }
    entry.user.onRequest(incoming, entry.dialog);
  }

  private onOutOfDialogRequest(incoming: IncomingRequestImpl): void {
    const method = incoming.request.method;
    switch (method) {
      case 'INVITE':
        this.handlers!.onInvite(incoming);
        return;
      case 'REGISTER':
        this.handlers!.onRegister(incoming);
        return;
      case 'OPTIONS':
        incoming.respond(200, { headers: this.capabilityHeaders() }); // §11.2
        return;
      case 'BYE':
      case 'INFO':
        incoming.respond(481);
        return;
      case 'REFER':
        // RFC 3515 allows a REFER that creates its own dialog; we only take transfers of calls in progress.
        incoming.respond(403, { reason: 'REFER Only Within A Call' });
        return;
      default:
        incoming.respond(KNOWN_UNSUPPORTED.has(method) ? 405 : 501, { headers: [['Allow', ALLOWED_METHODS.join(', ')]] });
    }
  }

  capabilityHeaders(): Array<[string, string]> {
    return [
      ['Allow', ALLOWED_METHODS.join(', ')],
      ['Accept', ACCEPT],
      ['Accept-Encoding', 'identity'],
      ['Accept-Language', 'en'],
    ];
  }

  /** §9.2: 200 to the CANCEL (same To tag as the INVITE's responses); the INVITE's user answers 487. */
  private onCancel(cancel: IncomingRequestImpl): void {
    const invite = this.layer.matchCancelled(cancel.request);
    const inviteIncoming = invite === undefined ? undefined : this.incomingByTx.get(invite);
    if (invite === undefined || inviteIncoming === undefined) {
      cancel.respond(481);
      return;
    }
    cancel.respond(200, { toTag: inviteIncoming.localTag });
    if (invite.finalSent) return; // too late: the CANCEL has no effect (§9.2)
    if (!inviteIncoming.cancelled()) inviteIncoming.respond(487);
  }

  private dialogOf(req: SipRequest): { dialog: Dialog; user: DialogUser } | undefined {
    const localTag = tagOf(req, 'to');
    const remoteTag = tagOf(req, 'from');
    if (localTag === undefined) return undefined;
    return this.dialogs.get(dialogId(callIdOf(req), localTag, remoteTag ?? ''));
  }
}
