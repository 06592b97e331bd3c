/**
 * One session's OUTGOING RTP stream: a single SSRC whose sequence numbers and timestamps stay continuous no matter
 * where the audio comes from — paced prompt frames, or packets forwarded from a bridged peer (RFC 3550 §5.1;
 * a receiver that sees the SSRC, sequence or timestamp jump backwards may drop audio or reset its jitter buffer).
 *
 *            paced(tick)                         forwarded(src)
 *   idle ─────────────────▶ paced ◀──────────▶ forward(src SSRC)
 *    ▲   (marker, anchor)     │   (marker, re-anchor)   │
 *    └──── endTalkspurt() ────┴─────────────────────────┘
 *
 * Each talkspurt starts with the marker bit (RFC 3551 §4.1) at an anchor timestamp that advances by the wall time
 * since the last packet, so the timestamp keeps tracking real time across silences. Within a paced talkspurt the
 * timestamp is derived from the media clock's tick (160 samples per tick); forwarded packets keep the source's
 * spacing (its gaps, losses and reordering) shifted by a fixed offset into our sequence/timestamp space.
 */
import { seqIsNewer, timestampDiff, type RtpSendHeader } from './rtp-packet.js';

export const SAMPLES_PER_FRAME = 160; // 20 ms at 8 kHz
const SAMPLES_PER_MS = 8;

type Mode =
  | { kind: 'idle' }
  | { kind: 'paced'; anchorTick: number; anchorTs: number }
  | { kind: 'forward'; srcSsrc: number; seqOffset: number; tsOffset: number };

export interface ForwardSource {
  ssrc: number;
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
}

export class RtpOutStream {
  private lastSeq: number;
  private lastTs: number;
  private lastSentAtMs: number | null = null;
  private mode: Mode = { kind: 'idle' };

  constructor(
    readonly ssrc: number,
    initialSeq: number,
    initialTs: number,
  ) {
    // RFC 3550 §5.1: random initial sequence number and timestamp.
    this.lastSeq = (initialSeq - 1) & 0xffff;
    this.lastTs = initialTs >>> 0;
  }

  static random(): RtpOutStream {
    const r = (n: number): number => Math.floor(Math.random() * n);
    return new RtpOutStream(r(0x1_0000_0000), r(0x1_0000), r(0x1_0000_0000));
  }

  /** Header for the paced frame of media-clock `tick`, sent for the deadline `deadlineMs`. */
  paced(payloadType: number, tick: number, deadlineMs: number): RtpSendHeader {
    let marker = false;
    if (this.mode.kind !== 'paced') {
      this.mode = { kind: 'paced', anchorTick: tick, anchorTs: this.anchorTimestamp(deadlineMs) };
      marker = true;
    }
    const timestamp = (this.mode.anchorTs + (tick - this.mode.anchorTick) * SAMPLES_PER_FRAME) >>> 0;
    const sequenceNumber = (this.lastSeq + 1) & 0xffff;
    this.noteSent(sequenceNumber, timestamp, deadlineMs);
    return { marker, payloadType, sequenceNumber, timestamp, ssrc: this.ssrc };
  }

  /** Header for a packet forwarded from a bridged peer, received at `nowMs`. */
  forwarded(payloadType: number, src: ForwardSource, nowMs: number): RtpSendHeader {
    let marker = src.marker;
    if (this.mode.kind !== 'forward' || this.mode.srcSsrc !== src.ssrc) {
      const seq = (this.lastSeq + 1) & 0xffff;
      const ts = this.anchorTimestamp(nowMs);
      this.mode = {
        kind: 'forward',
        srcSsrc: src.ssrc,
        seqOffset: (seq - src.sequenceNumber) & 0xffff,
        tsOffset: (ts - src.timestamp) >>> 0,
      };
      marker = true;
    }
    const sequenceNumber = (src.sequenceNumber + this.mode.seqOffset) & 0xffff;
    const timestamp = (src.timestamp + this.mode.tsOffset) >>> 0;
    this.noteSent(sequenceNumber, timestamp, nowMs);
    return { marker, payloadType, sequenceNumber, timestamp, ssrc: this.ssrc };
  }

  /** The current source of audio stopped; the next packet, whatever its source, starts a new talkspurt. */
  endTalkspurt(): void {
    this.mode = { kind: 'idle' };
  }

  private anchorTimestamp(nowMs: number): number {
    if (this.lastSentAtMs === null) return this.lastTs;
    const elapsedSamples = Math.round((nowMs - this.lastSentAtMs) * SAMPLES_PER_MS);
    return (this.lastTs + Math.max(SAMPLES_PER_FRAME, elapsedSamples)) >>> 0;
  }

  private noteSent(seq: number, ts: number, atMs: number): void {
    // Reordered forwarded packets map to older numbers; only the newest define where we continue from.
    if (seqIsNewer(seq, this.lastSeq) || this.lastSentAtMs === null) this.lastSeq = seq;
    if (this.lastSentAtMs === null || timestampDiff(ts, this.lastTs) > 0) {
      this.lastTs = ts;
      this.lastSentAtMs = atMs;
    }
  }
}
