import { describe, expect, it } from 'vitest';
import { RtpOutStream } from '../../../src/adapters/telephony/builtin/media/rtp-stream.js';

describe('RtpOutStream', () => {
  it('paces frames with +1 seq and +160 timestamp, marker on the first', () => {
    const s = new RtpOutStream(0x1234, 0xfffe, 0xffffff00);
    const h = [0, 1, 2].map((tick) => s.paced(0, tick, tick * 20));
    expect(h.map((x) => x.sequenceNumber)).toEqual([0xfffe, 0xffff, 0]);
    expect(h.map((x) => x.timestamp)).toEqual([0xffffff00, 0xffffffa0, 0x40]);
    expect(h.map((x) => x.marker)).toEqual([true, false, false]);
    expect(h.every((x) => x.ssrc === 0x1234)).toBe(true);
  });

  it('timestamps follow the media clock tick, so skipped ticks show as a gap', () => {
    const s = new RtpOutStream(1, 0, 1000);
    s.paced(0, 10, 200);
    expect(s.paced(0, 13, 260).timestamp).toBe(1000 + 3 * 160);
  });

  it('starts a new talkspurt with a marker and a timestamp advanced by the silence', () => {
    const s = new RtpOutStream(1, 100, 0);
    s.paced(0, 0, 0);
    s.paced(0, 1, 20);
    s.endTalkspurt();
    const next = s.paced(0, 51, 1020); // 1 s after the last frame
    expect(next).toMatchObject({ marker: true, sequenceNumber: 102, timestamp: 160 + 8000 });
  });

  it('maps forwarded packets into its own seq/timestamp space, keeping their spacing', () => {
    const s = new RtpOutStream(7, 500, 10_000);
    s.paced(0, 0, 0);
    s.endTalkspurt();
    const src = (seq: number, ts: number, marker = false) => ({ ssrc: 99, sequenceNumber: seq, timestamp: ts, marker });
    const a = s.forwarded(8, src(40_000, 123_456), 100);
    expect(a).toMatchObject({ marker: true, sequenceNumber: 501, timestamp: 10_000 + 800, ssrc: 7, payloadType: 8 });
    const b = s.forwarded(8, src(40_001, 123_616), 120);
    expect(b).toMatchObject({ marker: false, sequenceNumber: 502, timestamp: 10_000 + 960 });
    // A lost packet stays a gap; the source's own marker passes through.
    const c = s.forwarded(8, src(40_003, 123_936, true), 160);
    expect(c).toMatchObject({ marker: true, sequenceNumber: 504, timestamp: 10_000 + 1280 });
    // Telephone events share the stream's clock and keep their event timestamp.
    const ev = s.forwarded(101, src(40_004, 123_936), 170);
    expect(ev).toMatchObject({ payloadType: 101, sequenceNumber: 505, timestamp: 10_000 + 1280 });
  });

  it('re-anchors when the forwarded source changes SSRC and when switching back to prompts', () => {
    const s = new RtpOutStream(7, 0, 0);
    s.forwarded(0, { ssrc: 1, sequenceNumber: 10, timestamp: 5000, marker: false }, 0);
    s.forwarded(0, { ssrc: 1, sequenceNumber: 11, timestamp: 5160, marker: false }, 20);
    const other = s.forwarded(0, { ssrc: 2, sequenceNumber: 900, timestamp: 77, marker: false }, 40);
    expect(other).toMatchObject({ marker: true, sequenceNumber: 2, timestamp: 320 });
    s.endTalkspurt();
    const prompt = s.paced(0, 5, 100);
    expect(prompt).toMatchObject({ marker: true, sequenceNumber: 3, timestamp: 320 + 480 });
  });

  it('continues after the newest forwarded packet, not a reordered older one', () => {
    const s = new RtpOutStream(7, 0, 0);
    s.forwarded(0, { ssrc: 1, sequenceNumber: 10, timestamp: 1600, marker: false }, 0);
    s.forwarded(0, { ssrc: 1, sequenceNumber: 12, timestamp: 1920, marker: false }, 40);
    s.forwarded(0, { ssrc: 1, sequenceNumber: 11, timestamp: 1760, marker: false }, 41);
    s.endTalkspurt();
    expect(s.paced(0, 0, 60)).toMatchObject({ sequenceNumber: 3, timestamp: 320 + 160 });
  });
});
