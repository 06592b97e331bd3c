/**
 * REGISTER through drachtio reaches the app's Registrar: the same digest rules as the built-in engine (a
 * real SipRegistrar here), the source address kept for routing, the answer sent back through drachtio.
 */
import { describe, expect, it } from 'vitest';
import { digestResponse } from '../../../src/app/registrar/digest.js';
import { SipRegistrar } from '../../../src/app/registrar/sip-registrar.js';
import { handleRegister, responseHeaders, transportOf, translateRegister } from '../../../src/adapters/telephony/drachtio-freeswitch/register-bridge.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { FakeRequest, FakeResponse, captureLogger } from './fakes.js';
import { T0, fixture } from './harness.js';

const peer = { protocol: 'udp', host: '127.0.0.1', port: 5072 };

describe('REGISTER via drachtio', () => {
  it('translates the message as the built-in engine does', () => {
    const t = translateRegister(FakeRequest.fromRaw(fixture('sip-register.txt'), peer).asSrf());
    expect(t).toEqual({
      ok: true,
      request: {
        method: 'REGISTER',
        requestUri: 'sip:127.0.0.1:5060',
        aorUser: '1001',
        aorDomain: '127.0.0.1',
        contactUri: 'sip:1001@127.0.0.1:5072;transport=udp',
        expiresSec: 600,
        transport: 'udp',
        sourceHost: '127.0.0.1',
        sourcePort: 5072,
        callId: 'a84b4c76e66710@127.0.0.1',
        cseq: 1,
      },
    });
    expect(transportOf('TCP')).toBe('tcp');
    expect(transportOf('wss')).toBeUndefined();
    expect(translateRegister(FakeRequest.fromRaw(fixture('sip-register.txt'), { ...peer, protocol: 'tls' }).asSrf())).toMatchObject({ ok: false, status: 400 });
  });

  it('challenges, then binds the agent with the source address (digest auth by the real registrar)', () => {
    const clock = new ManualClock(T0);
    const { logger } = captureLogger();
    const registrar = new SipRegistrar({ realm: 'hotline.test', clock, credentials: (id) => (id === '1001' ? 'pw-1001-secret' : undefined), logger });
    const first = new FakeResponse();
    handleRegister(registrar, FakeRequest.fromRaw(fixture('sip-register.txt'), peer).asSrf(), first.asSrf(), logger);
    expect(first.sent[0]).toMatchObject({ status: 401, reason: 'Unauthorized' });
    const challenge = first.sent[0]!.headers!['WWW-Authenticate']!;
    const nonce = /nonce="([^"]+)"/.exec(challenge)![1]!;
    const opaque = /opaque="([^"]+)"/.exec(challenge)![1]!;
    const creds = { username: '1001', realm: 'hotline.test', nonce, uri: 'sip:127.0.0.1:5060', qop: 'auth', nc: '00000001', cnonce: 'abc123', response: '' };
    const response = digestResponse(creds, 'REGISTER', 'pw-1001-secret');
    const authorization = `Digest username="1001", realm="hotline.test", nonce="${nonce}", uri="sip:127.0.0.1:5060", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="abc123", opaque="${opaque}"`;
    const second = new FakeResponse();
    handleRegister(registrar, FakeRequest.fromRaw(fixture('sip-register-auth.txt').replace('{authorization}', authorization), peer).asSrf(), second.asSrf(), logger);
    expect(second.sent[0]).toMatchObject({ status: 200, reason: 'OK' });
    expect(second.sent[0]!.headers!['Contact']).toMatch(/^<sip:1001@127\.0\.0\.1:5072;transport=udp>;expires=\d+$/);
    expect(registrar.contactOf('1001')).toMatchObject({ transport: 'udp', sourceHost: '127.0.0.1', sourcePort: 5072, contactUri: 'sip:1001@127.0.0.1:5072;transport=udp' });
    // A wrong password: 403 once the nonce is known, never a binding.
    const wrong = new FakeResponse();
    const bad = authorization.replace(response, digestResponse(creds, 'REGISTER', 'not-it'));
    handleRegister(registrar, FakeRequest.fromRaw(fixture('sip-register-auth.txt').replace('{authorization}', bad).replace('CSeq: 2', 'CSeq: 3'), peer).asSrf(), wrong.asSrf(), logger);
    expect(wrong.sent[0]!.status).toBeGreaterThanOrEqual(401);
    expect(wrong.sent[0]!.status).not.toBe(200);
    registrar.close();
  });

  it('without a registrar: 503; a broken REGISTER: 400; repeated header names are joined', () => {
    const { logger } = captureLogger();
    const none = new FakeResponse();
    handleRegister(undefined, FakeRequest.fromRaw(fixture('sip-register.txt'), peer).asSrf(), none.asSrf(), logger);
    expect(none.sent).toEqual([{ status: 503, headers: { 'Retry-After': '5' } }]);
    const broken = new FakeResponse();
    const registrar = new SipRegistrar({ realm: 'x', clock: new ManualClock(T0), credentials: () => undefined, logger });
    handleRegister(registrar, FakeRequest.fromRaw(fixture('sip-register.txt').replace('To: <sip:1001@127.0.0.1>', 'To: <tel:1001>'), peer).asSrf(), broken.asSrf(), logger);
    expect(broken.sent[0]).toMatchObject({ status: 400 });
    registrar.close();
    expect(responseHeaders({ status: 200, reason: 'OK', headers: [['Contact', '<a>'], ['Contact', '<b>'], ['Expires', '60']] })).toEqual({ Contact: '<a>, <b>', Expires: '60' });
  });
});
