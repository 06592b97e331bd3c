/**
 * The transaction layer: owns every live transaction and matches incoming messages to them.
 * Responses match client transactions by top-Via branch + CSeq method (§17.1.3). Requests match server
 * transactions by branch + sent-by + method, ACK counting as INVITE (§17.2.3); requests from RFC 2543
 * elements (no z9hG4bK cookie) fall back to Request-URI, From tag, Call-ID, CSeq and top Via.
 */
import type { Logger } from 'pino';
import {
  BRANCH_COOKIE,
  cseqOf,
  parseVia,
  tagOf,
  type SipRequest,
  type SipResponse,
} from '../message.js';
import type { SipTimers, SipTiming } from '../timers.js';
import type { PeerAddress } from '../transport/sip-transport.js';
import {
  InviteClientTransaction,
  NonInviteClientTransaction,
  type ClientTransaction,
  type ClientTransactionUser,
} from './client-transaction.js';
import {
  InviteServerTransaction,
  NonInviteServerTransaction,
  type ServerTransaction,
  type ServerTransactionEnv,
} from './server-transaction.js';

export interface TransactionLayerOptions {
  sendRequest(req: SipRequest, dest: PeerAddress): Promise<void>;
  sendResponse(res: SipResponse, source: PeerAddress): Promise<void>;
  timers: SipTimers;
  timing: SipTiming;
  logger: Logger;
}

/** Key of the client transaction a response belongs to; undefined if the Via or CSeq is unusable. */
export function clientKeyOfResponse(res: SipResponse): string | undefined {
  const via = parseVia(res.headers.get('via') ?? '');
  const branch = via?.params.get('branch');
  if (typeof branch !== 'string' || branch.length === 0) return undefined;
  return `${branch}|${cseqOf(res).method}`;
}

function clientKeyOfRequest(req: SipRequest): string {
  const branch = parseVia(req.headers.get('via') ?? '')?.params.get('branch') ?? '';
  return `${branch}|${cseqOf(req).method}`;
}

/** §17.2.3 server transaction key. `methodOverride` lets CANCEL look up the INVITE it cancels. */
export function serverKey(req: SipRequest, methodOverride?: string): string {
  const via = parseVia(req.headers.get('via') ?? '');
  const cseq = cseqOf(req);
  const method = methodOverride ?? (req.method === 'ACK' ? 'INVITE' : req.method);
  const branch = via?.params.get('branch');
  if (typeof branch === 'string' && branch.startsWith(BRANCH_COOKIE)) {
    return `${branch}|${via!.host}:${via!.port ?? ''}|${method}`;
  }
  // RFC 2543 fallback (§17.2.3): no usable branch.
  const toTag = req.method === 'ACK' ? '' : (tagOf(req, 'to') ?? '');
  return [
    '2543',
    req.uri,
    toTag,
    tagOf(req, 'from') ?? '',
    req.headers.get('call-id') ?? '',
    cseq.seq,
    method,
    req.headers.get('via') ?? '',
  ].join('|');
}

export class TransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly env: ServerTransactionEnv;

  constructor(private readonly opts: TransactionLayerOptions) {
    this.env = {
      send: (msg, dest) =>
        msg.kind === 'request' ? opts.sendRequest(msg, dest) : opts.sendResponse(msg, dest),
      sendResponse: opts.sendResponse,
      timers: opts.timers,
      timing: opts.timing,
      logger: opts.logger,
    };
  }

  get counts(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  /** Creates and starts a client transaction. The request must already carry its top Via with a branch. */
  sendRequest(req: SipRequest, dest: PeerAddress, tu: ClientTransactionUser): ClientTransaction {
    const tx =
      req.method === 'INVITE'
        ? new InviteClientTransaction(this.env, req, dest, tu)
        : new NonInviteClientTransaction(this.env, req, dest, tu);
    const key = clientKeyOfRequest(req);
    this.clients.set(key, tx);
    tx.setOnTerminated(() => {
      if (this.clients.get(key) === tx) this.clients.delete(key);
    });
    tx.start();
    return tx;
  }

  /** Feeds a response to its client transaction; false when none matches (e.g. a stray 2xx). */
  receiveResponse(res: SipResponse): boolean {
    const key = clientKeyOfResponse(res);
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (tx === undefined) return false;
    tx.receiveResponse(res);
    return true;
  }

  /** The server transaction this request belongs to (retransmission or non-2xx ACK), if any. */
  matchRequest(req: SipRequest): ServerTransaction | undefined {
    return this.servers.get(serverKey(req));
  }

  /** §9.2: the INVITE server transaction a CANCEL targets. */
  matchCancelled(cancel: SipRequest): InviteServerTransaction | undefined {
    const tx = this.servers.get(serverKey(cancel, 'INVITE'));
    return tx instanceof InviteServerTransaction ? tx : undefined;
  }

  createServer(req: SipRequest, source: PeerAddress): ServerTransaction {
    const tx =
      req.method === 'INVITE'
        ? new InviteServerTransaction(this.env, req, source)
        : new NonInviteServerTransaction(this.env, req, source);
    const key = serverKey(req);
    this.servers.set(key, tx);
    tx.setOnTerminated(() => {
      if (this.servers.get(key) === tx) this.servers.delete(key);
    });
    return tx;
  }

  /** Stops every transaction and timer, without callbacks. */
  close(): void {
    for (const tx of [...this.clients.values()]) tx.abort();
    for (const tx of [...this.servers.values()]) tx.abort();
    this.clients.clear();
    this.servers.clear();
  }
}
