/**
 * Event-socket framing and lazy plain events (esl-frames.ts), on frames recorded from FreeSWITCH 1.10.12
 * (fixtures/real) and plain events built on a recorded header block (esl-plain.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EslEventView, EslFrameError, EslFrameReader, decodeValue, type EslFrame } from '../../../src/adapters/telephony/drachtio-freeswitch/esl-frames.js';
import { RECORDED_UUID, eslFrame, plainEvent, plainFrame } from './esl-plain.js';

const real = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', 'real', name), 'utf8');

/** What a test compares: content type, the headers as an object, the body. */
const plainly = (frames: EslFrame[]): Array<{ contentType: string; headers: Record<string, string>; body: string }> =>
  frames.map((f) => ({ contentType: f.contentType, headers: Object.fromEntries(f.headers), body: f.body }));

const UTF8_BODY = 'Grüße aus Köln, 王小明 ☎ 📞\n';

describe('EslFrameReader', () => {
  it('reads the recorded auth/request and +OK accepted, sent in one read, as two frames', () => {
    const frames = new EslFrameReader().push(Buffer.from(real('esl-auth-request.txt') + real('esl-auth-accepted.txt')));
    expect(plainly(frames)).toEqual([
      { contentType: 'auth/request', headers: { 'Content-Type': 'auth/request' }, body: '' },
      { contentType: 'command/reply', headers: { 'Content-Type': 'command/reply', 'Reply-Text': '+OK accepted' }, body: '' },
    ]);
  });

  it('reads a recorded api/response body by its Content-Length, and keeps what follows for the next frame', () => {
    const reader = new EslFrameReader();
    const sofia = real('esl-api-sofia-status.txt');
    const frames = reader.push(Buffer.from(sofia + real('esl-auth-request.txt').slice(0, 10)));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.contentType).toBe('api/response');
    expect(frames[0]!.body).toBe(sofia.slice(sofia.indexOf('\n\n') + 2));
    expect(Buffer.byteLength(frames[0]!.body)).toBe(388);
    expect(plainly(reader.push(Buffer.from(real('esl-auth-request.txt').slice(10))))).toEqual([
      { contentType: 'auth/request', headers: { 'Content-Type': 'auth/request' }, body: '' },
    ]);
  });

  it('counts Content-Length in bytes: a multi-byte UTF-8 body, then the next frame, in one read', () => {
    const wire = eslFrame('Content-Type: api/response', UTF8_BODY) + real('esl-auth-accepted.txt');
    expect(Buffer.byteLength(UTF8_BODY)).toBeGreaterThan(UTF8_BODY.length);
    const frames = new EslFrameReader().push(Buffer.from(wire));
    expect(frames.map((f) => [f.contentType, f.body])).toEqual([
      ['api/response', UTF8_BODY],
      ['command/reply', ''],
    ]);
  });

  it('gives the same frames whatever byte the stream is split at (UTF-8 body, real plain event, replies)', () => {
    const event = plainEvent('DTMF', RECORDED_UUID, { 'DTMF-Digit': '#', 'DTMF-Duration': '2240', 'DTMF-Source': 'RTP' }, { body: UTF8_BODY });
    const wire = Buffer.from(eslFrame('Content-Type: api/response', UTF8_BODY) + plainFrame(event) + real('esl-filter-reply-percent.txt') + real('esl-api-uuid-break.txt'));
    const whole = new EslFrameReader().push(wire);
    expect(whole.map((f) => f.contentType)).toEqual(['api/response', 'text/event-plain', 'command/reply', 'api/response']);
    expect(whole[1]!.body).toBe(event);
    // The byte offset where each frame ends: a split before it must not produce that frame yet.
    const ends: number[] = [];
    let at = 0;
    for (const f of whole) {
      at = wire.indexOf('\n\n', at) + 2 + Buffer.byteLength(f.body);
      ends.push(at);
    }
    expect(ends.at(-1)).toBe(wire.length);
    for (let i = 1; i < wire.length; i += 1) {
      const reader = new EslFrameReader();
      const first = reader.push(Buffer.from(wire.subarray(0, i)));
      const rest = reader.push(Buffer.from(wire.subarray(i)));
      expect(first.length, `split at ${i}`).toBe(ends.filter((e) => e <= i).length);
      expect(plainly([...first, ...rest]), `split at ${i}`).toEqual(plainly(whole));
    }
  });

  it('gives the same frames fed one byte at a time (a UTF-8 character split across reads)', () => {
    const wire = Buffer.from(eslFrame('Content-Type: api/response', UTF8_BODY) + real('esl-auth-accepted.txt'));
    const reader = new EslFrameReader();
    const frames: EslFrame[] = [];
    for (let i = 0; i < wire.length; i += 1) frames.push(...reader.push(wire.subarray(i, i + 1)));
    expect(frames.map((f) => f.body)).toEqual([UTF8_BODY, '']);
  });

  it('keeps an outer value with a stray % as FreeSWITCH sent it (recorded filter reply)', () => {
    const [frame] = new EslFrameReader().push(Buffer.from(real('esl-filter-reply-percent.txt')));
    expect(frame!.headers.get('Reply-Text')).toBe('+OK filter added. [X-Hotline-Load]=[100%zz]');
  });

  it('takes a body over 64 KiB in pieces (the header limit is not a body limit)', () => {
    const body = 'x'.repeat(200 * 1024);
    const wire = Buffer.from(eslFrame('Content-Type: api/response', body));
    const reader = new EslFrameReader();
    const frames: EslFrame[] = [];
    for (let i = 0; i < wire.length; i += 8192) frames.push(...reader.push(wire.subarray(i, i + 8192)));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.body.length).toBe(body.length);
  });

  it('throws EslFrameError on a header block over 64 KiB with no blank line', () => {
    const reader = new EslFrameReader();
    expect(reader.push(Buffer.from(`X-Long: ${'a'.repeat(64 * 1024 - 8)}`))).toEqual([]);
    expect(() => reader.push(Buffer.from('a'))).toThrow(EslFrameError);
  });

  it('throws EslFrameError on a Content-Length that is not a byte count', () => {
    expect(() => new EslFrameReader().push(Buffer.from('Content-Type: api/response\nContent-Length: abc\n\n'))).toThrow(EslFrameError);
    expect(() => new EslFrameReader().push(Buffer.from('Content-Type: api/response\nContent-Length: -4\n\n'))).toThrow(/Content-Length: -4/);
  });
});

describe('decodeValue', () => {
  it('URL-decodes what FreeSWITCH encoded', () => {
    expect(decodeValue('sofia/hotline_mrf/nobody%40127.0.0.1%3A5060')).toBe('sofia/hotline_mrf/nobody@127.0.0.1:5060');
    expect(decodeValue('%E7%8E%8B%E5%B0%8F%E6%98%8E')).toBe('王小明');
    expect(decodeValue('a%2Bb+c')).toBe('a+b+c');
    expect(decodeValue('plain')).toBe('plain');
  });

  it('keeps a value with a stray % as it came', () => {
    expect(decodeValue('50%')).toBe('50%');
    expect(decodeValue('%zz not an escape')).toBe('%zz not an escape');
    expect(decodeValue('100%25 and 7%')).toBe('100%25 and 7%');
    expect(decodeValue('%E7%8E')).toBe('%E7%8E'); // half a UTF-8 character
  });
});

describe('EslEventView', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads headers of a real header block, decoded', () => {
    const ev = new EslEventView(plainEvent('DTMF', 'a1b2c3d4-0000-4000-8000-000000000001', { 'DTMF-Digit': '5', 'DTMF-Duration': '2240', 'DTMF-Source': 'RTP' }));
    expect(ev.getHeader('Event-Name')).toBe('DTMF');
    expect(ev.getHeader('Unique-ID')).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect(ev.getHeader('DTMF-Digit')).toBe('5');
    expect(ev.getHeader('DTMF-Source')).toBe('RTP');
    expect(ev.getHeader('Caller-Channel-Name')).toBe('sofia/hotline_mrf/nobody@127.0.0.1:5060');
    expect(ev.getHeader('Event-Date-GMT')).toBe('Tue, 24 Nov 2026 02:41:48 GMT');
    expect(ev.getHeader('No-Such-Header')).toBeUndefined();
  });

  it('finds a header by its whole name, not as the suffix or prefix of another', () => {
    const uuid = 'a1b2c3d4-0000-4000-8000-000000000002';
    const ev = new EslEventView(
      plainEvent('CHANNEL_EXECUTE_COMPLETE', uuid, { Application: 'playback', 'Caller-Destination-Number': 'hotline-leg-1-abc' }, {
        first: [
          ['Other-Leg-Unique-ID', 'other-leg-uuid'],
          ['Application-UUID', 'hotline-7'],
          ['Channel-Destination-Number', 'not-the-caller'],
        ],
      }),
    );
    expect(ev.getHeader('Unique-ID')).toBe(uuid);
    expect(ev.getHeader('Other-Leg-Unique-ID')).toBe('other-leg-uuid');
    expect(ev.getHeader('Application')).toBe('playback');
    expect(ev.getHeader('Application-UUID')).toBe('hotline-7');
    expect(ev.getHeader('Caller-Destination-Number')).toBe('hotline-leg-1-abc');
    expect(ev.getHeader('Leg-Unique-ID')).toBeUndefined();
    expect(ev.getHeader('Destination-Number')).toBeUndefined();
    expect(ev.getHeader('Unique')).toBeUndefined();
  });

  it('finds the first and the last header of a block that has no blank line after it', () => {
    const ev = new EslEventView('Event-Name: DTMF\nUnique-ID: u-1\nDTMF-Digit: 7');
    expect(ev.getHeader('Event-Name')).toBe('DTMF');
    expect(ev.getHeader('DTMF-Digit')).toBe('7');
  });

  it('does not search the event body after the blank line', () => {
    const uuid = 'a1b2c3d4-0000-4000-8000-000000000003';
    const body = 'Unique-ID: not-this-one\nX-Only-In-Body: yes\n\nDTMF-Digit: 9\n';
    const ev = new EslEventView(plainEvent('CUSTOM', uuid, {}, { body }));
    expect(ev.getHeader('Unique-ID')).toBe(uuid);
    expect(ev.getHeader('X-Only-In-Body')).toBeUndefined();
    expect(ev.getHeader('DTMF-Digit')).toBeUndefined();
    expect(ev.getHeader('Content-Length')).toBe(String(Buffer.byteLength(body)));
  });

  it('keeps a value with a stray % and decodes an encoded one', () => {
    const ev = new EslEventView(plainEvent('CHANNEL_PARK', RECORDED_UUID, { 'Caller-Caller-ID-Name': '王小明' }, { raw: { variable_sip_from_display: '50%' } }));
    expect(ev.getHeader('variable_sip_from_display')).toBe('50%');
    expect(ev.getHeader('Caller-Caller-ID-Name')).toBe('王小明');
  });

  it('looks a header up once: later asks, found or not, come from its cache', () => {
    const ev = new EslEventView(plainEvent('DTMF', RECORDED_UUID, { 'DTMF-Digit': '3' }));
    expect(ev.getHeader('DTMF-Digit')).toBe('3');
    expect(ev.getHeader('Absent')).toBeUndefined();
    const indexOf = vi.spyOn(String.prototype, 'indexOf');
    expect(ev.getHeader('DTMF-Digit')).toBe('3');
    expect(ev.getHeader('Absent')).toBeUndefined();
    expect(indexOf).not.toHaveBeenCalled();
  });
});
