/**
 * Binds RTP sockets on even ports of a configured range (RFC 3550 §11: RTP on an even port, RTCP on the next odd
 * one; we do not run RTCP but keep the convention peers expect). Ports already bound by someone else are skipped.
 * A rotating cursor spreads consecutive calls over the range so a port just released is not reused at once —
 * late packets of the old call would otherwise land in the new one.
 */
import { createSocket, type Socket } from 'node:dgram';
import { MediaError } from './media-errors.js';

/** Checks a configured range; returns its first even port and how many even ports it holds. */
export function validateRtpPortRange(portMin: number, portMax: number): { firstEven: number; slots: number } {
  if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || portMin < 1024 || portMax > 65535) {
    throw new MediaError('HOTLINE_E_MEDIA_NO_PORT', `invalid RTP port range ${portMin}-${portMax} (use 1024-65535)`);
  }
  const firstEven = portMin + (portMin % 2);
  const slots = portMax >= firstEven ? Math.floor((portMax - firstEven) / 2) + 1 : 0;
  if (slots === 0) throw new MediaError('HOTLINE_E_MEDIA_NO_PORT', `RTP port range ${portMin}-${portMax} holds no even port`);
  return { firstEven, slots };
}

export class RtpPortAllocator {
  private readonly firstEven: number;
  private readonly slots: number;
  private cursor = 0;
  private readonly inUse = new Set<number>();

  constructor(
    private readonly host: string,
    portMin: number,
    portMax: number,
  ) {
    ({ firstEven: this.firstEven, slots: this.slots } = validateRtpPortRange(portMin, portMax));
  }

  /** Binds a UDP socket on a free even port of the range. */
  async bind(): Promise<{ socket: Socket; port: number }> {
    for (let attempt = 0; attempt < this.slots; attempt++) {
      const port = this.firstEven + 2 * this.cursor;
      this.cursor = (this.cursor + 1) % this.slots;
      if (this.inUse.has(port)) continue;
      this.inUse.add(port); // reserved before the async bind so concurrent calls never pick the same port
      const socket = createSocket({ type: this.host.includes(':') ? 'udp6' : 'udp4' });
      try {
        await bindSocket(socket, port, this.host);
        return { socket, port };
      } catch (err) {
        this.inUse.delete(port);
        closeQuietly(socket);
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES') {
          throw new MediaError('HOTLINE_E_MEDIA_NO_PORT', `cannot bind RTP on ${this.host}:${port} (${(err as Error).message})`);
        }
      }
    }
    throw new MediaError(
      'HOTLINE_E_MEDIA_NO_PORT',
      `no free RTP port on ${this.host} in ${this.firstEven}-${this.firstEven + 2 * (this.slots - 1)} (${this.inUse.size} in use)`,
    );
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}

function bindSocket(socket: Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // already closed by the failed bind
  }
}
