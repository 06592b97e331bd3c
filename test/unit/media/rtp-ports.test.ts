import { createSocket, type Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { RtpPortAllocator, validateRtpPortRange } from '../../../src/adapters/telephony/builtin/media/rtp-ports.js';

function bindOn(port: number): Promise<Socket | null> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => {
      socket.close();
      resolve(null);
    });
    socket.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(socket));
  });
}

const close = (socket: Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));

describe('RTP port range', () => {
  it('validates ranges', () => {
    expect(validateRtpPortRange(30001, 30010)).toEqual({ firstEven: 30002, slots: 5 });
    expect(validateRtpPortRange(30000, 30000)).toEqual({ firstEven: 30000, slots: 1 });
    expect(() => validateRtpPortRange(30001, 30001)).toThrow(/holds no even port/);
    expect(() => validateRtpPortRange(80, 90)).toThrow(/invalid RTP port range/);
    expect(() => validateRtpPortRange(60000, 70000)).toThrow(/invalid RTP port range/);
  });

  it('binds even ports, skips one in use by someone else, and reports exhaustion', async () => {
    // Find three free consecutive even ports, then occupy the first.
    let base = 0;
    let blocker: Socket | null = null;
    for (let attempt = 0; attempt < 20 && !blocker; attempt++) {
      base = 40_000 + 2 * Math.floor(Math.random() * 10_000);
      blocker = await bindOn(base);
    }
    expect(blocker).not.toBeNull();
    const allocator = new RtpPortAllocator('127.0.0.1', base, base + 4);
    const opened: Socket[] = [];
    try {
      const a = await allocator.bind();
      opened.push(a.socket);
      expect(a.port).toBe(base + 2);
      const b = await allocator.bind();
      opened.push(b.socket);
      expect(b.port).toBe(base + 4);
      await expect(allocator.bind()).rejects.toMatchObject({ code: 'HOTLINE_E_MEDIA_NO_PORT' });
      await close(opened.shift()!);
      allocator.release(a.port);
      const c = await allocator.bind();
      opened.push(c.socket);
      expect(c.port).toBe(base + 2);
    } finally {
      await Promise.all([...opened, blocker!].map(close));
    }
  });
});
