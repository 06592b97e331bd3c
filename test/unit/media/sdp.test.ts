import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { G711SdpNegotiator } from '../../../src/adapters/telephony/builtin/media/sdp.js';

const local = { address: '127.0.0.1', port: 40000 };
const negotiator = new G711SdpNegotiator({ sessionIdBase: 1000 });

function offer(lines: string[], session: string[] = ['c=IN IP4 127.0.0.1']): string {
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', ...session, 't=0 0', ...lines].join('\r\n') + '\r\n';
}

const baresipOffer = offer([
  'm=audio 10000 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
]);

describe('G711SdpNegotiator.answer', () => {
  it('answers PCMU + telephone-event, ptime 20, sendrecv', () => {
    const result = negotiator.answer(baresipOffer, local, 7)!;
    expect(result.remote).toEqual({
      address: '127.0.0.1',
      port: 10000,
      codec: 'PCMU',
      payloadType: 0,
      dtmfPayloadType: 101,
      direction: 'sendrecv',
    });
    const answer = parse(result.answerSdp);
    expect(answer.origin).toMatchObject({ sessionId: 41000, sessionVersion: 7, address: '127.0.0.1' });
    expect(answer.connection).toEqual({ version: 4, ip: '127.0.0.1' });
    const m = answer.media[0]!;
    expect(m).toMatchObject({ type: 'audio', port: 40000, protocol: 'RTP/AVP', payloads: '0 101', ptime: 20, direction: 'sendrecv' });
    expect(m.rtp).toEqual([
      { payload: 0, codec: 'PCMU', rate: 8000 },
      { payload: 101, codec: 'telephone-event', rate: 8000 },
    ]);
    expect(m.fmtp).toEqual([{ payload: 101, config: '0-15' }]);
    expect(result.answerSdp).toContain('\r\n');
  });

  it('answers a PCMA-only offer with PCMA', () => {
    const result = negotiator.answer(offer(['m=audio 10000 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000']), local, 1)!;
    expect(result.remote).toMatchObject({ codec: 'PCMA', payloadType: 8 });
    expect(result.remote.dtmfPayloadType).toBeUndefined();
    const m = parse(result.answerSdp).media[0]!;
    expect(String(m.payloads)).toBe('8'); // sdp-transform parses a single payload as a number
    expect(m.fmtp).toEqual([]);
  });

  it("follows the offerer's order, skipping codecs we lack", () => {
    const result = negotiator.answer(
      offer([
        'm=audio 10000 RTP/AVP 111 9 8 0 96',
        'a=rtpmap:111 opus/48000/2',
        'a=rtpmap:9 G722/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:96 telephone-event/8000',
        'a=fmtp:96 0-16',
      ]),
      local,
      1,
    )!;
    expect(result.remote).toMatchObject({ codec: 'PCMA', payloadType: 8, dtmfPayloadType: 96 });
    const m = parse(result.answerSdp).media[0]!;
    expect(m.payloads).toBe('8 96');
    expect(m.fmtp).toEqual([{ payload: 96, config: '0-16' }]);
  });

  it('accepts static payload types without rtpmap lines and a dynamic PCMU mapping', () => {
    expect(negotiator.answer(offer(['m=audio 10000 RTP/AVP 8 0']), local, 1)!.remote.codec).toBe('PCMA');
    const dynamic = negotiator.answer(offer(['m=audio 10000 RTP/AVP 97', 'a=rtpmap:97 pcmu/8000']), local, 1)!;
    expect(dynamic.remote).toMatchObject({ codec: 'PCMU', payloadType: 97 });
  });

  it('returns null when no codec is common (→ 488)', () => {
    const noCommon = offer(['m=audio 10000 RTP/AVP 111 9 101', 'a=rtpmap:111 opus/48000/2', 'a=rtpmap:9 G722/8000', 'a=rtpmap:101 telephone-event/8000']);
    expect(negotiator.answer(noCommon, local, 1)).toBeNull();
  });

  it('returns null for SRTP-only, rejected, audio-less or unparsable offers', () => {
    expect(negotiator.answer(offer(['m=audio 10000 RTP/SAVP 0']), local, 1)).toBeNull();
    expect(negotiator.answer(offer(['m=audio 0 RTP/AVP 0']), local, 1)).toBeNull();
    expect(negotiator.answer(offer(['m=video 10002 RTP/AVP 96', 'a=rtpmap:96 H264/90000']), local, 1)).toBeNull();
    expect(negotiator.answer('this is not sdp', local, 1)).toBeNull();
  });

  it.each([
    ['sendonly', 'recvonly'],
    ['recvonly', 'sendonly'],
    ['inactive', 'inactive'],
    ['sendrecv', 'sendrecv'],
  ] as const)('mirrors a=%s with a=%s', (offered, answered) => {
    const result = negotiator.answer(offer(['m=audio 10000 RTP/AVP 0', `a=${offered}`]), local, 1)!;
    expect(result.remote.direction).toBe(offered);
    expect(parse(result.answerSdp).media[0]!.direction).toBe(answered);
  });

  it('takes the direction from the session level when the media has none', () => {
    const result = negotiator.answer(offer(['m=audio 10000 RTP/AVP 0'], ['c=IN IP4 127.0.0.1', 'a=sendonly']), local, 1)!;
    expect(result.remote.direction).toBe('sendonly');
  });

  it('reads c= at media level, which overrides the session level', () => {
    const mediaOnly = negotiator.answer(offer(['m=audio 10000 RTP/AVP 0', 'c=IN IP4 127.0.0.9'], []), local, 1)!;
    expect(mediaOnly.remote.address).toBe('127.0.0.9');
    const both = negotiator.answer(offer(['m=audio 10000 RTP/AVP 0', 'c=IN IP4 127.0.0.9']), local, 1)!;
    expect(both.remote.address).toBe('127.0.0.9');
    expect(negotiator.answer(offer(['m=audio 10000 RTP/AVP 0'], []), local, 1)).toBeNull();
  });

  it('treats c=0.0.0.0 as hold: the peer does not want to receive (RFC 3264 §8.4)', () => {
    const result = negotiator.answer(offer(['m=audio 10000 RTP/AVP 0'], ['c=IN IP4 0.0.0.0']), local, 1)!;
    expect(result.remote.direction).toBe('sendonly');
    expect(parse(result.answerSdp).media[0]!.direction).toBe('recvonly');
  });

  it('rejects extra m-lines with port 0, keeping their order', () => {
    const result = negotiator.answer(
      offer(['m=video 10002 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'm=audio 10000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000']),
      local,
      1,
    )!;
    const media = parse(result.answerSdp).media;
    expect(media.map((m) => [m.type, m.port])).toEqual([
      ['video', 0],
      ['audio', 40000],
    ]);
  });

  it('refuses an IPv6 peer when our media address is IPv4', () => {
    expect(negotiator.answer(offer(['m=audio 10000 RTP/AVP 0'], ['c=IN IP6 ::1']), local, 1)).toBeNull();
  });
});

describe('G711SdpNegotiator.offer / parseAnswer', () => {
  it('offers PCMU 0, PCMA 8, telephone-event 101 (0-16), sendrecv, ptime 20', () => {
    const sdp = negotiator.offer(local, 3);
    const desc = parse(sdp);
    expect(desc.origin).toMatchObject({ sessionVersion: 3, address: '127.0.0.1' });
    expect(desc.connection).toEqual({ version: 4, ip: '127.0.0.1' });
    expect(desc.media).toHaveLength(1);
    expect(desc.media[0]).toMatchObject({ port: 40000, protocol: 'RTP/AVP', payloads: '0 8 101', ptime: 20, direction: 'sendrecv' });
    expect(desc.media[0]!.fmtp).toEqual([{ payload: 101, config: '0-16' }]);
  });

  it('keeps the o= session id across re-offers and bumps only the version', () => {
    expect(parse(negotiator.offer(local, 1)).origin.sessionId).toBe(parse(negotiator.offer(local, 2)).origin.sessionId);
  });

  it('reads an answer to our offer', () => {
    const answer = negotiator.answer(negotiator.offer({ address: '127.0.0.1', port: 30000 }, 1), local, 1)!;
    expect(negotiator.parseAnswer(answer.answerSdp)).toEqual({
      address: '127.0.0.1',
      port: 40000,
      codec: 'PCMU',
      payloadType: 0,
      dtmfPayloadType: 101,
      direction: 'sendrecv',
    });
  });

  it('reads a PCMA answer without telephone-event, and refuses an unusable one', () => {
    const pcma = offer(['m=audio 12000 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', 'a=recvonly']);
    expect(negotiator.parseAnswer(pcma)).toEqual({ address: '127.0.0.1', port: 12000, codec: 'PCMA', payloadType: 8, direction: 'recvonly' });
    expect(negotiator.parseAnswer(offer(['m=audio 0 RTP/AVP 0']))).toBeNull();
    expect(negotiator.parseAnswer(offer(['m=audio 12000 RTP/AVP 9', 'a=rtpmap:9 G722/8000']))).toBeNull();
    expect(negotiator.parseAnswer('')).toBeNull();
  });
});
