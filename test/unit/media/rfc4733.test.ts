import { describe, expect, it } from 'vitest';
import {
  digitToEvent,
  DtmfDetector,
  encodeTelephoneEvent,
  eventToDigit,
  parseTelephoneEvent,
} from '../../../src/adapters/telephony/builtin/media/rfc4733.js';

/** The packets a typical phone sends for one key press (RFC 4733 §2.5): start with marker, updates, 3 × end. */
function keyPress(event: number, timestamp: number, opts: { marker?: boolean; updates?: number } = {}) {
  const packets = [];
  const updates = opts.updates ?? 4;
  for (let i = 0; i < updates; i++) {
    packets.push({
      marker: i === 0 && (opts.marker ?? true),
      timestamp,
      payload: encodeTelephoneEvent({ event, end: false, volume: 10, durationSamples: 160 * (i + 1) }),
    });
  }
  for (let i = 0; i < 3; i++) {
    packets.push({ marker: false, timestamp, payload: encodeTelephoneEvent({ event, end: true, volume: 10, durationSamples: 160 * (updates + 1) }) });
  }
  return packets;
}

function feed(detector: DtmfDetector, packets: ReturnType<typeof keyPress>): string[] {
  return packets.map((p) => detector.onPacket(p)).filter((d): d is string => d !== null);
}

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  it('round-trips event, end bit, volume and duration', () => {
    const ev = { event: 11, end: true, volume: 63, durationSamples: 0xabcd };
    expect(parseTelephoneEvent(encodeTelephoneEvent(ev))).toEqual(ev);
    expect(parseTelephoneEvent(Uint8Array.of(1, 2, 3))).toBeNull();
  });

  it('maps events 0-15 to 0-9 * # A-D', () => {
    expect([...Array(16).keys()].map(eventToDigit).join('')).toBe('0123456789*#ABCD');
    expect(eventToDigit(16)).toBeNull();
    expect(digitToEvent('#')).toBe(11);
    expect(digitToEvent('d')).toBe(15);
    expect(digitToEvent('x')).toBeNull();
  });
});

describe('DtmfDetector', () => {
  it('reports a key press once, on its first packet, despite updates and 3 end packets', () => {
    const detector = new DtmfDetector();
    const results = keyPress(5, 1000).map((p) => detector.onPacket(p));
    expect(results[0]).toBe('5');
    expect(results.slice(1).every((r) => r === null)).toBe(true);
  });

  it('reports each press of a sequence, including the same digit twice', () => {
    const detector = new DtmfDetector();
    const packets = [...keyPress(1, 1000), ...keyPress(1, 3000), ...keyPress(10, 5000), ...keyPress(11, 7000)];
    expect(feed(detector, packets)).toEqual(['1', '1', '*', '#']);
  });

  it('detects a press whose marker packet was lost (timestamp change alone)', () => {
    const detector = new DtmfDetector();
    expect(feed(detector, [...keyPress(2, 1000), ...keyPress(3, 2000).slice(1)])).toEqual(['2', '3']);
  });

  it('detects a press sent without any marker bit', () => {
    const detector = new DtmfDetector();
    expect(feed(detector, [...keyPress(4, 1000, { marker: false }), ...keyPress(4, 9000, { marker: true })])).toEqual(['4', '4']);
  });

  it('ignores end-packet retransmissions arriving late, after the next press started', () => {
    const detector = new DtmfDetector();
    const first = keyPress(7, 1000);
    const second = keyPress(8, 2000);
    const lateEnd = first.at(-1)!;
    expect(feed(detector, [...first.slice(0, -1), second[0]!, lateEnd, ...second.slice(1)])).toEqual(['7', '8']);
  });

  it('treats a long event continued in a new segment (no marker, not ended) as the same press (§2.5.1.3)', () => {
    const detector = new DtmfDetector();
    const segment1 = keyPress(9, 1000).slice(0, 4); // never ended
    const segment2 = keyPress(9, 1000 + 65535, { marker: false });
    expect(feed(detector, [...segment1, ...segment2])).toEqual(['9']);
  });

  it('ignores flash (16) and short payloads', () => {
    const detector = new DtmfDetector();
    expect(feed(detector, keyPress(16, 1000))).toEqual([]);
    expect(detector.onPacket({ marker: true, timestamp: 5, payload: Uint8Array.of(1) })).toBeNull();
  });

  it('handles the timestamp wrapping around', () => {
    const detector = new DtmfDetector();
    expect(feed(detector, [...keyPress(1, 0xffffff00), ...keyPress(2, 0x100)])).toEqual(['1', '2']);
  });
});
