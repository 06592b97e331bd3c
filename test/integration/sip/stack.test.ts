/**
 * The SIP stack and the built-in adapter driven by a scripted raw peer over real sockets on 127.0.0.1:
 * the §8.2 answers (400/405/501/481/420/416/500), Via rport/received, TCP framing and keep-alive, the 2xx
 * retransmission/ACK rules, re-INVITE, INFO, timeouts, and a close() that leaves no handle behind.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseVia, type SipRequest, type SipResponse } from '../../../src/adapters/telephony/builtin/sip/message.js';
import { parseNameAddr } from '../../../src/adapters/telephony/builtin/sip/uri.js';
import type { DtmfEvent, HangupEvent, InboundCall } from '../../../src/ports/call-control.js';
import { PASSWORDS, startHarness, until, type Harness } from './harness.js';
import { OFFER, RawPeer, req } from './raw-peer.js';

const FAST = { t1Ms: 50, t2Ms: 400, t4Ms: 500 }; // 64*T1 = 3.2 s

describe('SIP stack over raw sockets', () => {
  let h: Harness | undefined;
  const peers: RawPeer[] = [];
  afterEach(async () => {
    await h?.close(); // first: live calls get their BYE answered by the peers
    h = undefined;
    for (const p of peers.splice(0)) await p.close();
  });

  async function setup(opts: Parameters<typeof startHarness>[0] = {}, transport: 'udp' | 'tcp' = 'udp'): Promise<RawPeer> {
    h = await startHarness(opts);
    const peer = transport === 'udp' ? await RawPeer.udp(h.port) : await RawPeer.tcp(h.port);
    peers.push(peer);
    return peer;
  }

  /** INVITE in, app answers, 200 with SDP, our ACK: returns what later requests need. */
  async function answeredCall(peer: RawPeer, callId: string): Promise<{ to: string; call: InboundCall; ok: SipResponse }> {
    peer.send(req(peer, 'INVITE', { callId, contentType: 'application/sdp' }), OFFER);
    await peer.next(peer.response(100));
    const ok = await peer.next<SipResponse>(peer.response(200, 'INVITE'));
    const to = ok.headers.get('to')!;
    peer.send(req(peer, 'ACK', { uri: parseNameAddr(ok.headers.get('contact')!)!.uri, callId, to }));
    const call = h!.calls.find((c) => c.legId === callId)!;
    return { to, call, ok };
  }

  it('drops garbage, logs it, and keeps answering', async () => {
    const peer = await setup();
    peer.sendRaw(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a, 0x0d, 0x0a]));
    peer.sendRaw(Buffer.from('HELLO WORLD\r\n\r\n'));
    peer.send(req(peer, 'OPTIONS'));
    const ok = await peer.next<SipResponse>(peer.response(200));
    expect(ok.headers.getAll('allow')).toContain('INVITE');
    expect(h!.logs.filter((l) => l['msg'] === 'SIP message dropped: unparseable')).toHaveLength(2);
  });

  it('answers 400 with a reason to an answerable malformed request, 505 to another SIP version', async () => {
    const peer = await setup();
    peer.send(req(peer, 'OPTIONS').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'));
    const bad = await peer.next<SipResponse>(peer.response(400));
    expect(bad.reason).toBe('Bad Request (CSeq method does not match request)');
    peer.send(req(peer, 'OPTIONS').replace('SIP/2.0\r', 'SIP/3.0\r').replace(/^OPTIONS (\S+) SIP\/2\.0/, 'OPTIONS $1 SIP/3.0'));
    await peer.next(peer.response(505));
  });

  it('405 with Allow for known methods we do not do, 501 for unknown ones, 481 outside a dialog', async () => {
    const peer = await setup();
    peer.send(req(peer, 'SUBSCRIBE', { extra: ['Event: presence'] }));
    const r405 = await peer.next<SipResponse>(peer.response(405));
    expect(r405.headers.getAll('allow').join(', ')).toBe('INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, REFER, REGISTER');
    peer.send(req(peer, 'FROBNICATE'));
    const r501 = await peer.next<SipResponse>(peer.response(501));
    expect(r501.headers.has('allow')).toBe(true);
    peer.send(req(peer, 'BYE', { to: '<sip:400@127.0.0.1>;tag=nosuchdialog' }));
    await peer.next(peer.response(481));
    peer.send(req(peer, 'CANCEL'));
    await peer.next(peer.response(481));
  });

  it('420 for an unsupported Require, 416 for a non-SIP Request-URI', async () => {
    const peer = await setup();
    peer.send(req(peer, 'INVITE', { extra: ['Require: 100rel'] }));
    const r420 = await peer.next<SipResponse>(peer.response(420));
    expect(r420.headers.get('unsupported')).toBe('100rel');
    peer.send(req(peer, 'OPTIONS', { uri: 'tel:+8640080012345' }));
    await peer.next(peer.response(416));
  });

  it('stamps received/rport on the Via and answers to the source port (RFC 3581)', async () => {
    const peer = await setup();
    // The Via claims another host and port; rport asks for the packet's real source.
    peer.send(req(peer, 'OPTIONS').replace(`127.0.0.1:${peer.port};branch`, 'phone.invalid:5099;branch'));
    const ok = await peer.next<SipResponse>(peer.response(200));
    const via = parseVia(ok.headers.get('via')!)!;
    expect(via.params.get('received')).toBe('127.0.0.1');
    expect(via.params.get('rport')).toBe(String(peer.port));
  });

  it('TCP: frames back-to-back and split messages by Content-Length, answers a CRLF ping', async () => {
    const peer = await setup({}, 'tcp');
    const one = Buffer.from(req(peer, 'OPTIONS', { callId: 'tcp-1' }).replace('{len}', '0').replace(/\n/g, '\r\n'));
    const two = Buffer.from(req(peer, 'OPTIONS', { callId: 'tcp-2' }).replace('{len}', '0').replace(/\n/g, '\r\n'));
    const both = Buffer.concat([one, two]);
    peer.sendRaw(both.subarray(0, 30));
    await new Promise((r) => setTimeout(r, 30));
    peer.sendRaw(both.subarray(30));
    await peer.next((m) => m.kind === 'response' && m.headers.get('call-id') === 'tcp-1');
    await peer.next((m) => m.kind === 'response' && m.headers.get('call-id') === 'tcp-2');
    peer.sendRaw(Buffer.from('\r\n\r\n'));
    await until(() => peer.raw.includes('PONG'), 2000, 'pong');
  });

  it('TCP: ring() to a phone registered over TCP reuses its connection (the only way in through NAT)', async () => {
    const peer = await setup({}, 'tcp');
    const reg = (cseq: number, extra: string[]): string =>
      req(peer, 'REGISTER', { uri: 'sip:127.0.0.1', to: '<sip:1001@127.0.0.1>', callId: 'reg-tcp', cseq, extra: ['Expires: 300', ...extra] });
    peer.send(reg(1, []));
    const challenge = (await peer.next<SipResponse>(peer.response(401))).headers.get('www-authenticate')!;
    const param = (k: string): string => new RegExp(`${k}="([^"]+)"`).exec(challenge)![1]!;
    const md5 = (x: string): string => createHash('md5').update(x).digest('hex');
    const ha1 = md5(`1001:${param('realm')}:${PASSWORDS['1001']}`);
    const response = md5(`${ha1}:${param('nonce')}:00000001:abc:auth:${md5('REGISTER:sip:127.0.0.1')}`);
    const auth = `Authorization: Digest username="1001", realm="${param('realm')}", nonce="${param('nonce')}", uri="sip:127.0.0.1", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="abc", opaque="${param('opaque')}"`;
    peer.send(reg(2, [auth]));
    await peer.next(peer.response(200, 'REGISTER'));
    const contact = h!.registrar.contactOf('1001')!;
    expect(contact).toMatchObject({ transport: 'tcp', sourcePort: peer.port });
    const attempt = h!.cc.ring({ callId: 'biz-tcp', agentId: '1001', contact, callerNumber: '4008001234' });
    const invite = await peer.next<SipRequest>(peer.request('INVITE'));
    expect(invite.uri).toBe(contact.contactUri);
    peer.answer(invite, 486, 'Busy Here');
    expect(await attempt.outcome).toEqual({ kind: 'declined', sipStatus: 486 });
    await peer.next(peer.request('ACK'));
    expect(h!.cc.health().details['tcpConnections']).toBe(1);
  });

  it('bridge() joins two answered legs in the media engine; a BYE on one unbridges and releases it', async () => {
    const peer = await setup({ onCall: (c) => void c.answer() });
    const a = await answeredCall(peer, 'br-a');
    const b = await answeredCall(peer, 'br-b');
    await h!.cc.bridge(a.call, b.call);
    expect(h!.media.log).toContain('bridge br-a br-b');
    peer.send(req(peer, 'BYE', { uri: parseNameAddr(a.ok.headers.get('contact')!)!.uri, callId: 'br-a', to: a.to, cseq: 2 }));
    await peer.next(peer.response(200, 'BYE'));
    expect(h!.media.log).toEqual(expect.arrayContaining(['unbridge br-a', 'destroy br-a']));
    expect(b.call.ended).toBe(false);
    await expect(h!.cc.bridge(a.call, b.call)).rejects.toThrow(/ended leg/);
  });

  it('an ACK that reuses the INVITE branch still confirms the call (RFC 6026 "accepted")', async () => {
    const answered: string[] = [];
    const peer = await setup({ onCall: (c) => void c.answer().then(() => answered.push(c.legId)) });
    peer.send(req(peer, 'INVITE', { callId: 'samebranch', branch: 'z9hG4bKreuse', contentType: 'application/sdp' }), OFFER);
    const ok = await peer.next<SipResponse>(peer.response(200, 'INVITE'));
    peer.send(req(peer, 'ACK', { callId: 'samebranch', branch: 'z9hG4bKreuse', to: ok.headers.get('to')! }));
    await until(() => answered.includes('samebranch'), 2000, 'answer() to resolve');
  });

  it('a retransmitted INVITE gets the 100 again and makes no second call', async () => {
    const peer = await setup();
    const text = req(peer, 'INVITE', { callId: 'rtx-1', branch: 'z9hG4bKsame', contentType: 'application/sdp' });
    peer.send(text, OFFER);
    await peer.next(peer.response(100));
    peer.send(text, OFFER);
    await peer.next(peer.response(100));
    expect(h!.calls).toHaveLength(1);
  });

  it('INFO DTMF (both formats), RFC 4733 digits from media, 415 for other INFO bodies, 500 for an old CSeq', async () => {
    const digits: DtmfEvent[] = [];
    const peer = await setup({ onCall: (c) => void c.answer() });
    const { to, call } = await answeredCall(peer, 'dtmf-1');
    call.onDtmf((d) => digits.push(d));
    await until(() => !call.ended && h!.media.sessions.has('dtmf-1'), 2000, 'active call');
    peer.send(req(peer, 'INFO', { callId: 'dtmf-1', to, cseq: 2, contentType: 'application/dtmf-relay' }), 'Signal=11\r\nDuration=100\r\n');
    await peer.next(peer.response(200, 'INFO'));
    peer.send(req(peer, 'INFO', { callId: 'dtmf-1', to, cseq: 3, contentType: 'application/dtmf' }), '9');
    await peer.next(peer.response(200, 'INFO'));
    peer.send(req(peer, 'INFO', { callId: 'dtmf-1', to, cseq: 4, contentType: 'application/xml' }), '<x/>');
    await peer.next(peer.response(415, 'INFO'));
    peer.send(req(peer, 'INFO', { callId: 'dtmf-1', to, cseq: 3, contentType: 'application/dtmf' }), '1');
    await peer.next(peer.response(500, 'INFO'));
    h!.media.emitDtmf('dtmf-1', '4');
    expect(digits).toEqual([
      { digit: '#', source: 'sip-info' },
      { digit: '9', source: 'sip-info' },
      { digit: '4', source: 'rfc4733' },
    ]);
  });

  it('play() with barge-in is interrupted by a SIP INFO digit; music on hold and recording reach the media engine', async () => {
    const peer = await setup({ onCall: (c) => void c.answer() });
    const { to, call } = await answeredCall(peer, 'play-1');
    await until(() => h!.media.sessions.has('play-1'), 2000, 'media session');
    const played = call.play(['welcome.wav', 'menu.wav'], { bargeIn: true });
    peer.send(req(peer, 'INFO', { callId: 'play-1', to, cseq: 2, contentType: 'application/dtmf' }), '2');
    expect(await played).toBe('interrupted');
    const done = call.play(['other.wav']);
    h!.media.finishPlay('play-1', 'done');
    expect(await done).toBe('done');
    call.startMusicOnHold('moh.wav');
    call.stopMedia();
    call.startRecording('/tmp/rec.wav');
    await call.stopRecording();
    expect(h!.media.log).toEqual(
      expect.arrayContaining([
        'play play-1 welcome.wav,menu.wav bargeIn=true loop=false',
        'stop play-1',
        'play play-1 moh.wav bargeIn=false loop=true',
        'record play-1 /tmp/rec.wav',
        'stopRecording play-1',
      ]),
    );
    const pending = call.play(['long.wav']);
    await call.hangup();
    expect(await pending).toBe('hangup');
    expect(await call.play(['after.wav'])).toBe('hangup');
    await peer.next(peer.request('BYE'));
  });

  it('retransmits the 2xx until the ACK; without ACK within 64*T1 it sends BYE and reports the hang-up', async () => {
    const hangups: HangupEvent[] = [];
    const peer = await setup({ timing: FAST, onCall: (c) => {
      c.onHangup((e) => hangups.push(e));
      void c.answer();
    } });
    peer.send(req(peer, 'INVITE', { callId: 'noack-1', contentType: 'application/sdp' }), OFFER);
    await peer.next(peer.response(200, 'INVITE'));
    await peer.next(peer.response(200, 'INVITE')); // retransmitted at T1
    await peer.next(peer.response(200, 'INVITE'), 1000); // and at 3*T1
    const bye = await peer.next(peer.request('BYE'), 6000);
    expect(bye.headers.get('call-id')).toBe('noack-1');
    expect(hangups).toEqual([{ by: 'local', cause: 'no-ack' }]);
  });

  it('hangup() before the ACK waits for the ACK, then sends BYE (§15)', async () => {
    let theCall: InboundCall | undefined;
    const peer = await setup({ timing: FAST, onCall: (c) => {
      theCall = c;
      void c.answer();
    } });
    peer.send(req(peer, 'INVITE', { callId: 'early-bye', contentType: 'application/sdp' }), OFFER);
    const ok = await peer.next<SipResponse>(peer.response(200, 'INVITE'));
    const hungUp = theCall!.hangup('app-changed-its-mind');
    expect(theCall!.ended).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(peer.received.some((m) => m.kind === 'request' && m.method === 'BYE')).toBe(false);
    peer.send(req(peer, 'ACK', { uri: parseNameAddr(ok.headers.get('contact')!)!.uri, callId: 'early-bye', to: ok.headers.get('to')! }));
    await peer.next(peer.request('BYE')); // the peer answers it 200
    await hungUp;
  });

  it('re-INVITE with an offer gets an answer (hold: sendonly → recvonly); without one, our offer and the answer in ACK', async () => {
    const peer = await setup({ onCall: (c) => void c.answer() });
    const { to, ok } = await answeredCall(peer, 'reinv-1');
    const target = parseNameAddr(ok.headers.get('contact')!)!.uri;
    peer.send(req(peer, 'INVITE', { uri: target, callId: 'reinv-1', to, cseq: 2, contentType: 'application/sdp' }), OFFER.replace('t=0 0\r\n', 't=0 0\r\na=sendonly\r\n'));
    const hold = await peer.next<SipResponse>(peer.response(200, 'INVITE'));
    expect(hold.body.toString()).toContain('a=recvonly');
    expect(hold.body.toString()).toMatch(/o=hotline 1 2 /); // the description changed: version 2
    peer.send(req(peer, 'ACK', { uri: target, callId: 'reinv-1', to, cseq: 2 }));
    peer.send(req(peer, 'INVITE', { uri: target, callId: 'reinv-1', to, cseq: 3 }));
    const offer = await peer.next<SipResponse>(peer.response(200, 'INVITE'));
    expect(offer.body.toString()).toContain('m=audio');
    peer.send(req(peer, 'ACK', { uri: target, callId: 'reinv-1', to, cseq: 3, contentType: 'application/sdp' }), OFFER.replace('30000', '30002'));
    await until(() => h!.media.log.some((l) => l.startsWith('remote reinv-1 PCMU 127.0.0.1:30002')), 2000, 'answer from ACK applied');
    expect(h!.media.log.some((l) => l === 'remote reinv-1 PCMU 127.0.0.1:30000 sendonly')).toBe(true);
  });

  it('488 when no codec is common; 480 and a local hang-up when nobody answers in time; reject() sends its status', async () => {
    const hangups: Array<[string, HangupEvent]> = [];
    const peer = await setup({
      answerTimeoutSec: 0.2,
      onCall: (c) => {
        c.onHangup((e) => hangups.push([c.legId, e]));
        if (c.legId === 'nocodec') void c.answer();
        if (c.legId === 'busy') void c.reject(486);
      },
    });
    peer.send(req(peer, 'INVITE', { callId: 'nocodec', contentType: 'application/sdp' }), OFFER.replace('RTP/AVP 0 101', 'RTP/AVP 18 101').replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:18 G729/8000'));
    await peer.next(peer.response(488));
    peer.send(req(peer, 'INVITE', { callId: 'busy', contentType: 'application/sdp' }), OFFER);
    await peer.next(peer.response(486));
    peer.send(req(peer, 'INVITE', { callId: 'late', contentType: 'application/sdp' }), OFFER);
    await peer.next(peer.response(480), 3000);
    expect(Object.fromEntries(hangups)).toEqual({
      nocodec: { by: 'local', cause: 'no-common-codec' },
      busy: { by: 'local', cause: 'rejected-486' },
      late: { by: 'local', cause: 'answer-timeout' },
    });
    expect(h!.media.sessions.size).toBe(0);
  });

  it('health() reports transports and dialogs; close() sends BYE to live calls and leaves no socket or timer', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout').length;
    const peer = await setup({ onCall: (c) => void c.answer() });
    await answeredCall(peer, 'live-1');
    await until(() => h!.cc.health().details['activeDialogs'] === 1, 2000, 'dialog');
    expect(h!.cc.health()).toMatchObject({ ok: true, details: { udp: true, tcp: true, activeDialogs: 1 } });
    const closing = h!.cc.close();
    await peer.next(peer.request('BYE')); // answered 200 by the peer, so close() need not wait for the grace
    await closing;
    expect(h!.cc.health().ok).toBe(false);
    expect(h!.media.closed).toBe(true);
    await peer.close();
    peers.splice(0);
    h!.registrar.close();
    h = undefined;
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout');
    expect(after.length).toBeLessThanOrEqual(before);
  });
});
