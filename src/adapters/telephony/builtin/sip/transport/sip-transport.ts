/**
 * The transport layer (RFC 3261 §18): UDP and TCP on one host:port, message parsing, the Via fix-ups of a
 * receiving server (§18.2.1 received, RFC 3581 rport) and response routing (§18.2.2).
 */
import type { Logger } from 'pino';
import { SipError } from '../errors.js';
import { parseVia, type SipMessage, type SipRequest, type Via } from '../message.js';
import { parseSipMessage, type SipParseError } from '../parser.js';
import { serializeMessage } from '../serializer.js';
import { TcpTransport, normalizeHost } from './tcp-transport.js';
import { UdpTransport } from './udp-transport.js';

export type TransportKind = 'udp' | 'tcp';

export interface PeerAddress {
  transport: TransportKind;
  host: string;
  port: number;
}

export function formatPeer(peer: PeerAddress): string {
  return `${peer.transport}:${peer.host}:${peer.port}`;
}

export interface SipTransportOptions {
  host: string;
  port: number;
  udp: boolean;
  tcp: boolean;
  logger: Logger;
  maxMessageBytes: number;
  tcpIdleTimeoutMs?: number;
  tcpConnectTimeoutMs?: number;
  maxTcpConnections?: number;
}

export interface InboundHandlers {
  onMessage(message: SipMessage, source: PeerAddress): void;
  onParseError(error: SipParseError, source: PeerAddress, size: number): void;
}

/** How many times start() retries to find a port free on both UDP and TCP when asked for port 0. */
const PORT_PICK_ATTEMPTS = 20;

export class SipTransport {
  private udp: UdpTransport | undefined;
  private tcp: TcpTransport | undefined;
  private boundPort = 0;
  private handlers: InboundHandlers | undefined;

  constructor(private readonly opts: SipTransportOptions) {
    if (!opts.udp && !opts.tcp) throw new SipError('HOTLINE_E_SIP_STACK_STATE', 'enable at least one of UDP and TCP');
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.opts.host;
  }

  status(): { udp: boolean; tcp: boolean; tcpConnections: number } {
    return {
      udp: this.udp?.listening ?? false,
      tcp: this.tcp?.listening ?? false,
      tcpConnections: this.tcp?.connectionCount ?? 0,
    };
  }

  /** §18.2.2: is the connection a request came on still open (so its response can use it)? */
  hasConnection(peer: PeerAddress): boolean {
    return peer.transport === 'tcp' && (this.tcp?.hasConnection(peer.host, peer.port) ?? false);
  }

  supports(kind: TransportKind): boolean {
    return kind === 'udp' ? this.opts.udp : this.opts.tcp;
  }

  async start(handlers: InboundHandlers): Promise<void> {
    this.handlers = handlers;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.bindBoth(this.opts.port);
        return;
      } catch (err) {
        await this.close();
        const retry = this.opts.port === 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (!retry || attempt >= PORT_PICK_ATTEMPTS) throw err;
      }
    }
  }

  private async bindBoth(port: number): Promise<void> {
    let chosen = port;
    if (this.opts.udp) {
      this.udp = new UdpTransport(
        this.opts.host,
        (data, host, p) => this.receive(data, { transport: 'udp', host: normalizeHost(host), port: p }, false),
        (err) => this.opts.logger.error({ err }, 'SIP UDP socket error'),
      );
      chosen = await this.udp.start(port);
    }
    if (this.opts.tcp) {
      this.tcp = new TcpTransport(
        {
          host: this.opts.host,
          maxMessageBytes: this.opts.maxMessageBytes,
          idleTimeoutMs: this.opts.tcpIdleTimeoutMs ?? 2 * 3600_000,
          connectTimeoutMs: this.opts.tcpConnectTimeoutMs ?? 10_000,
          maxConnections: this.opts.maxTcpConnections ?? 4096,
          logger: this.opts.logger,
        },
        (data, host, p) => this.receive(data, { transport: 'tcp', host, port: p }, true),
      );
      chosen = await this.tcp.start(chosen);
    }
    this.boundPort = chosen;
  }

  private receive(data: Buffer, source: PeerAddress, stream: boolean): void {
    const handlers = this.handlers;
    if (handlers === undefined) return;
    const result = parseSipMessage(data, { maxMessageBytes: this.opts.maxMessageBytes, stream });
    if (!result.ok) {
      handlers.onParseError(result.error, source, data.length);
      return;
    }
    if (result.message.kind === 'request') stampVia(result.message, source);
    handlers.onMessage(result.message, source);
  }

  async send(msg: SipMessage | Buffer, dest: PeerAddress): Promise<void> {
    const data = Buffer.isBuffer(msg) ? msg : serializeMessage(msg);
    if (dest.transport === 'udp') {
      if (this.udp === undefined) throw new SipError('HOTLINE_E_SIP_TRANSPORT', 'UDP is not enabled');
      await this.udp.send(data, dest.host, dest.port);
      return;
    }
    if (this.tcp === undefined) throw new SipError('HOTLINE_E_SIP_TRANSPORT', 'TCP is not enabled');
    await this.tcp.send(data, dest.host, dest.port);
  }

  async close(): Promise<void> {
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    await Promise.all([udp?.close(), tcp?.close()]);
  }
}

/**
 * §18.2.1: a server adds `received` when the sent-by host is not the packet's source address; RFC 3581 §4:
 * with an empty `rport` it also fills in the source port (and then always adds `received`).
 */
export function stampVia(req: SipRequest, source: PeerAddress): void {
  const raw = req.headers.get('via');
  if (raw === undefined) return;
  const via = parseVia(raw);
  if (via === null) return;
  let changed = false;
  const wantsRport = via.params.has('rport') && !via.params.get('rport');
  if (via.host !== source.host || wantsRport) {
    via.params.set('received', source.host);
    changed = true;
  }
  if (wantsRport) {
    via.params.set('rport', String(source.port));
    changed = true;
  }
  if (changed) req.headers.setFirst('via', formatViaRaw(raw, via));
}

/** Rewrites only the parameters, keeping the sent-protocol and sent-by text as the client wrote them. */
function formatViaRaw(raw: string, via: Via): string {
  const semi = raw.indexOf(';');
  const head = (semi >= 0 ? raw.slice(0, semi) : raw).trim();
  return head + via.params.toString();
}

/**
 * §18.2.2 (UDP part) and RFC 3581 §4: where a response to a request with this top Via goes.
 * Reliable transports prefer the connection the request came on; the caller checks that first.
 */
export function responseDestination(topVia: Via, source: PeerAddress): PeerAddress {
  const transport: TransportKind = source.transport;
  const maddr = topVia.params.get('maddr');
  const received = topVia.params.get('received');
  const rport = topVia.params.get('rport');
  const defaultPort = topVia.port ?? 5060;
  if (typeof maddr === 'string' && maddr.length > 0) return { transport, host: maddr, port: defaultPort };
  if (typeof rport === 'string' && /^\d+$/.test(rport)) {
    return { transport, host: typeof received === 'string' ? received : source.host, port: Number(rport) };
  }
  if (typeof received === 'string' && received.length > 0) return { transport, host: received, port: defaultPort };
  return { transport, host: topVia.host, port: defaultPort };
}
