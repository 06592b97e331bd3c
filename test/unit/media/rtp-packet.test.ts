import { describe, expect, it } from 'vitest';
import {
  parseRtp,
  seqIsNewer,
  serializeRtp,
  timestampDiff,
  writeRtpHeader,
} from '../../../src/adapters/telephony/builtin/media/rtp-packet.js';

const base = { marker: true, payloadType: 8, sequenceNumber: 0xfffe, timestamp: 0xfffffff0, ssrc: 0xdeadbeef };

describe('RTP packet (RFC 3550 §5.1)', () => {
  it('round-trips a plain header and payload', () => {
    const payload = Uint8Array.from([1, 2, 3, 4, 5]);
    const parsed = parseRtp(serializeRtp({ ...base, payload }));
    expect(parsed).toMatchObject({ ...base, padding: false, csrcs: [], extension: null });
    expect([...parsed!.payload]).toEqual([1, 2, 3, 4, 5]);
  });

  it('round-trips CSRCs, a header extension and padding', () => {
    const payload = Uint8Array.from([9, 8, 7]);
    const extension = { profile: 0xbede, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const bytes = serializeRtp({ ...base, marker: false, payload, csrcs: [1, 0xffffffff], extension, paddingBytes: 4 });
    expect(bytes.length).toBe(12 + 8 + 4 + 8 + 3 + 4);
    const parsed = parseRtp(bytes)!;
    expect(parsed.padding).toBe(true);
    expect(parsed.marker).toBe(false);
    expect(parsed.csrcs).toEqual([1, 0xffffffff]);
    expect(parsed.extension!.profile).toBe(0xbede);
    expect([...parsed.extension!.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...parsed.payload]).toEqual([9, 8, 7]);
  });

  it('writeRtpHeader matches the full serializer', () => {
    const out = new Uint8Array(12);
    writeRtpHeader(out, base);
    expect([...out]).toEqual([...serializeRtp({ ...base, payload: new Uint8Array(0) })]);
    expect(out[0]).toBe(0x80);
    expect(out[1]).toBe(0x88);
  });

  it('accepts an empty payload', () => {
    expect(parseRtp(serializeRtp({ ...base, payload: new Uint8Array(0) }))!.payload.length).toBe(0);
  });

  it.each([
    ['too short', new Uint8Array(11)],
    ['wrong version', Uint8Array.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
    ['CSRC list past the end', Uint8Array.from([0x82, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])],
    ['extension header past the end', Uint8Array.from([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe])],
    ['extension data past the end', Uint8Array.from([0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 2, 1, 2, 3, 4])],
    ['padding count of zero', Uint8Array.from([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])],
    ['padding longer than the packet', Uint8Array.from([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9])],
  ])('drops a malformed packet: %s', (_name, bytes) => {
    expect(parseRtp(bytes)).toBeNull();
  });

  it('never throws on random input', () => {
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let i = 0; i < 5000; i++) {
      const bytes = Uint8Array.from({ length: rand() % 64 }, rand);
      if (i % 2 === 0 && bytes.length > 0) bytes[0] = 0x80 | (bytes[0]! & 0x3f); // version 2, to go deeper
      expect(() => parseRtp(bytes)).not.toThrow();
    }
  });

  it('parses a view into a larger buffer at an offset', () => {
    const packet = serializeRtp({ ...base, payload: Uint8Array.from([42]) });
    const big = new Uint8Array(packet.length + 10);
    big.set(packet, 5);
    const parsed = parseRtp(big.subarray(5, 5 + packet.length))!;
    expect(parsed.ssrc).toBe(base.ssrc);
    expect([...parsed.payload]).toEqual([42]);
  });

  it('compares sequence numbers and timestamps across wrap-around', () => {
    expect(seqIsNewer(0, 0xffff)).toBe(true);
    expect(seqIsNewer(0xffff, 0)).toBe(false);
    expect(seqIsNewer(5, 5)).toBe(false);
    expect(timestampDiff(10, 0xfffffff6)).toBe(20);
    expect(timestampDiff(0xfffffff6, 10)).toBe(-20);
  });
});
