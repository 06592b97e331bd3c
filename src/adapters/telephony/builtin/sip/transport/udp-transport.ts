/** SIP over UDP (RFC 3261 §18): one socket for receiving and sending, so responses leave from our port. */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { SipError } from '../errors.js';

export type DatagramHandler = (data: Buffer, host: string, port: number) => void;

export class UdpTransport {
  private socket: dgram.Socket | undefined;

  constructor(
    private readonly host: string,
    private readonly onDatagram: DatagramHandler,
    private readonly onSocketError: (err: Error) => void,
  ) {}

  get listening(): boolean {
    return this.socket !== undefined;
  }

  /** Binds; resolves with the bound port (useful when asked for port 0). */
  async start(port: number): Promise<number> {
    const socket = dgram.createSocket({ type: isIPv6(this.host) ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      socket.once('error', onError);
      socket.bind({ address: this.host, port, exclusive: true }, () => {
        socket.off('error', onError);
        resolve();
      });
    }).catch((err: unknown) => {
      socket.close();
      throw err;
    });
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo.address, rinfo.port));
    socket.on('error', (err) => this.onSocketError(err));
    this.socket = socket;
    return socket.address().port;
  }

  send(data: Buffer, host: string, port: number): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) {
      return Promise.reject(new SipError('HOTLINE_E_SIP_TRANSPORT', 'UDP transport is not running'));
    }
    return new Promise((resolve, reject) => {
      socket.send(data, port, host, (err) => {
        if (err) reject(new SipError('HOTLINE_E_SIP_TRANSPORT', `UDP send to ${host}:${port} failed`, { cause: err }));
        else resolve();
      });
    });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined) return;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
