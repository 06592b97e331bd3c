/**
 * SIP over TCP (RFC 3261 §18): Content-Length framing (§18.3), connection reuse.
 *
 * Connections are keyed by the peer's address:port. A response goes back on the connection its request came
 * on (§18.2.2), and a request to a peer that reached us over TCP (a phone registered over TCP) reuses that
 * connection: behind NAT it is the only way in. New connections are opened only when none exists.
 */
import net from 'node:net';
import type { Logger } from 'pino';
import { SipError } from '../errors.js';
import { SipStreamFramer } from '../stream-framer.js';

export type StreamMessageHandler = (data: Buffer, host: string, port: number) => void;

export interface TcpTransportOptions {
  host: string;
  maxMessageBytes: number;
  /** A connection with no traffic for this long is closed. Longer than the longest registration. */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  maxConnections: number;
  logger: Logger;
}

interface Connection {
  socket: net.Socket;
  connected: Promise<void>;
}

export function normalizeHost(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export class TcpTransport {
  private server: net.Server | undefined;
  private readonly connections = new Map<string, Connection>();

  constructor(
    private readonly opts: TcpTransportOptions,
    private readonly onMessage: StreamMessageHandler,
  ) {}

  get listening(): boolean {
    return this.server !== undefined;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async start(port: number): Promise<number> {
    const server = net.createServer((socket) => this.adopt(socket));
    server.maxConnections = this.opts.maxConnections;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen({ host: this.opts.host, port, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (err) => this.opts.logger.error({ err }, 'SIP TCP server error'));
    this.server = server;
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  /** Whether a connection to this peer is open (a response can go back on it). */
  hasConnection(host: string, port: number): boolean {
    return this.connections.has(`${host}:${port}`);
  }

  async send(data: Buffer, host: string, port: number): Promise<void> {
    if (this.server === undefined) throw new SipError('HOTLINE_E_SIP_TRANSPORT', 'TCP transport is not running');
    const conn = this.connections.get(`${host}:${port}`) ?? this.connect(host, port);
    await conn.connected;
    await new Promise<void>((resolve, reject) => {
      conn.socket.write(data, (err) => {
        if (err) reject(new SipError('HOTLINE_E_SIP_TRANSPORT', `TCP send to ${host}:${port} failed`, { cause: err }));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const conn of this.connections.values()) conn.socket.destroy();
    this.connections.clear();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private connect(host: string, port: number): Connection {
    const socket = net.connect({ host, port, localAddress: this.opts.host });
    const key = `${host}:${port}`;
    const connected = new Promise<void>((resolve, reject) => {
      socket.setTimeout(this.opts.connectTimeoutMs);
      socket.once('connect', () => {
        socket.setTimeout(this.opts.idleTimeoutMs);
        resolve();
      });
      socket.once('close', () =>
        reject(new SipError('HOTLINE_E_SIP_TRANSPORT', `TCP connection to ${key} closed or refused`)),
      );
    });
    connected.catch(() => undefined); // awaited by send(); avoid an unhandled rejection when nobody waits
    const conn: Connection = { socket, connected };
    this.track(key, conn);
    return conn;
  }

  private adopt(socket: net.Socket): void {
    const host = normalizeHost(socket.remoteAddress ?? '');
    const port = socket.remotePort ?? 0;
    socket.setTimeout(this.opts.idleTimeoutMs);
    this.track(`${host}:${port}`, { socket, connected: Promise.resolve() });
  }

  private track(key: string, conn: Connection): void {
    const { socket } = conn;
    this.connections.get(key)?.socket.destroy();
    this.connections.set(key, conn);
    const framer = new SipStreamFramer(this.opts.maxMessageBytes);
    const [host, portText] = splitKey(key);
    socket.on('data', (chunk: Buffer) => {
      for (const out of framer.push(chunk)) {
        if (out.kind === 'message') this.onMessage(out.data, host, Number(portText));
        else if (out.kind === 'ping') socket.write('\r\n'); // RFC 5626 §4.4.1 pong
        else {
          this.opts.logger.warn({ peer: key, detail: out.detail }, 'SIP TCP framing error, closing connection');
          socket.destroy();
          return;
        }
      }
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', (err) => this.opts.logger.debug({ peer: key, err: err.message }, 'SIP TCP socket error'));
    socket.on('close', () => {
      if (this.connections.get(key) === conn) this.connections.delete(key);
    });
  }
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), key.slice(at + 1)];
}
