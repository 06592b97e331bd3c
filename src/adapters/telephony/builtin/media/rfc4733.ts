/**
 * RFC 4733 telephone-event (DTMF named events) — payload format §2.3:
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     event     |E|R| volume    |          duration             |
 *
 * All packets of one event share one RTP timestamp (the event's start, §2.3.1); the first usually has the marker
 * bit (§2.5.1.1) and the final packet (E bit) is sent three times (§2.5.1.4). So we report a digit on the FIRST
 * packet carrying a timestamp we have not seen — whether or not it has the marker (the marker packet may be lost)
 * — and ignore every later packet with that timestamp (updates, the retransmitted end packets, reordered copies).
 */

export interface TelephoneEvent {
  /** Event code: 0-9 digits, 10 = *, 11 = #, 12-15 = A-D, 16 = flash (§3.2). */
  event: number;
  end: boolean;
  /** Power level in -dBm0, 0..63. */
  volume: number;
  /** Duration so far, in RTP timestamp units. */
  durationSamples: number;
}

const DTMF_DIGITS = '0123456789*#ABCD';

export function eventToDigit(event: number): string | null {
  return event >= 0 && event < DTMF_DIGITS.length ? DTMF_DIGITS[event]! : null;
}

export function digitToEvent(digit: string): number | null {
  const index = DTMF_DIGITS.indexOf(digit.toUpperCase());
  return digit.length === 1 && index >= 0 ? index : null;
}

export function parseTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  // §2.3: one event is 4 octets; anything after them is ignored.
  if (payload.length < 4) return null;
  return {
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    durationSamples: (payload[2]! << 8) | payload[3]!,
  };
}

export function encodeTelephoneEvent(ev: TelephoneEvent): Uint8Array {
  return Uint8Array.of(
    ev.event & 0xff,
    (ev.end ? 0x80 : 0) | (ev.volume & 0x3f),
    (ev.durationSamples >>> 8) & 0xff,
    ev.durationSamples & 0xff,
  );
}

/** Remembers this many recent event timestamps, enough to absorb reordering across a few quick key presses. */
const RECENT_EVENTS = 16;

/** One per received stream: turns telephone-event packets into digits, each exactly once. */
export class DtmfDetector {
  private readonly recentTimestamps: number[] = [];
  private last: { timestamp: number; event: number; ended: boolean } | null = null;

  /** Returns the digit when this packet starts a new key press, else null. */
  onPacket(packet: { marker: boolean; timestamp: number; payload: Uint8Array }): string | null {
    const ev = parseTelephoneEvent(packet.payload);
    if (!ev) return null;
    const { timestamp } = packet;

    if (this.recentTimestamps.includes(timestamp)) {
      if (this.last && this.last.timestamp === timestamp && ev.end) this.last.ended = true;
      return null;
    }
    this.remember(timestamp);

    // §2.5.1.3: an event longer than the 16-bit duration field continues in segments with new timestamps and no
    // marker bit. The same event, not yet ended, arriving without a marker is that continuation, not a new press.
    const continuation =
      !packet.marker && this.last !== null && !this.last.ended && this.last.event === ev.event &&
      ((timestamp - this.last.timestamp) | 0) > 0;
    this.last = { timestamp, event: ev.event, ended: ev.end };
    if (continuation) return null;
    return eventToDigit(ev.event);
  }

  private remember(timestamp: number): void {
    this.recentTimestamps.push(timestamp);
    if (this.recentTimestamps.length > RECENT_EVENTS) this.recentTimestamps.shift();
  }
}
