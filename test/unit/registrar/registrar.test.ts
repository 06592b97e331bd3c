import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseDigestAuthorization } from '../../../src/app/registrar/digest.js';
import { NonceService } from '../../../src/app/registrar/nonce-service.js';
import { SipRegistrar } from '../../../src/app/registrar/sip-registrar.js';
import type { RegisterRequest, RegisterResponse, RegistrationChange } from '../../../src/ports/registrar.js';
import { FakeClock } from '../sip/fake-clock.js';

const REALM = 'hotline.test';
const PASSWORDS: Record<string, string> = { '1001': 'secret-1001', '1002': 'secret-1002' };
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Reads the challenge like a phone would. */
function challengeOf(res: RegisterResponse): { nonce: string; opaque: string; realm: string; stale: boolean; qop: string } {
  const header = res.headers.find(([n]) => n === 'WWW-Authenticate')?.[1];
  if (header === undefined) throw new Error(`no challenge in ${res.status}`);
  const get = (k: string): string => new RegExp(`${k}="?([^",]+)"?`).exec(header)?.[1] ?? '';
  return { nonce: get('nonce'), opaque: get('opaque'), realm: get('realm'), stale: /stale=true/.test(header), qop: get('qop') };
}

/** An Authorization header computed as RFC 2617 §3.2.2 says. */
function authorize(
  ch: { nonce: string; opaque: string; realm: string },
  opts: { user: string; password: string; uri?: string; nc?: number; qop?: boolean; cnonce?: string },
): string {
  const uri = opts.uri ?? 'sip:hotline.test';
  const ha1 = md5(`${opts.user}:${ch.realm}:${opts.password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  const base = `Digest username="${opts.user}", realm="${ch.realm}", nonce="${ch.nonce}", uri="${uri}", algorithm=MD5, opaque="${ch.opaque}"`;
  if (opts.qop === false) return `${base}, response="${md5(`${ha1}:${ch.nonce}:${ha2}`)}"`;
  const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = opts.cnonce ?? 'c0ffee';
  const response = md5(`${ha1}:${ch.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  return `${base}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`;
}

let cseq = 0;
function register(extra: Partial<RegisterRequest> = {}): RegisterRequest {
  return {
    method: 'REGISTER',
    requestUri: 'sip:hotline.test',
    aorUser: '1001',
    aorDomain: 'hotline.test',
    contactUri: 'sip:1001@127.0.0.1:5062',
    transport: 'udp',
    sourceHost: '127.0.0.1',
    sourcePort: 5062,
    callId: 'reg-call-1',
    cseq: ++cseq,
    ...extra,
  };
}

describe('SipRegistrar', () => {
  let clock: FakeClock;
  let registrar: SipRegistrar;
  let changes: RegistrationChange[];

  beforeEach(() => {
    clock = new FakeClock();
    registrar = new SipRegistrar({ realm: REALM, clock, credentials: (id) => PASSWORDS[id], nonceTtlSec: 300 });
    changes = [];
    registrar.onChange((c) => changes.push(c));
  });

  /** Challenge, then answer it. */
  function login(extra: Partial<RegisterRequest> = {}, password = PASSWORDS['1001']!): RegisterResponse {
    const ch = challengeOf(registrar.handleRegister(register(extra)));
    return registrar.handleRegister(register({ ...extra, authorization: authorize(ch, { user: extra.aorUser ?? '1001', password }) }));
  }

  it('challenges a REGISTER without credentials (realm, nonce, opaque, MD5, qop=auth)', () => {
    const res = registrar.handleRegister(register());
    expect(res.status).toBe(401);
    const header = res.headers[0]![1];
    expect(header).toMatch(/^Digest realm="hotline\.test", nonce="[^"]+", opaque="[^"]+", algorithm=MD5, qop="auth"$/);
    expect(changes).toEqual([]);
  });

  it('registers on a correct digest (qop=auth), lists the Contact with expires, and reports the change', () => {
    const res = login({ expiresSec: 600 });
    expect(res.status).toBe(200);
    expect(res.headers).toEqual([['Contact', '<sip:1001@127.0.0.1:5062>;expires=600']]);
    expect(registrar.contactOf('1001')).toMatchObject({
      aor: 'sip:1001@hotline.test',
      contactUri: 'sip:1001@127.0.0.1:5062',
      transport: 'udp',
      sourceHost: '127.0.0.1',
      sourcePort: 5062,
      expiresAtMs: clock.nowMs() + 600_000,
    });
    expect(changes.map((c) => c.reason)).toEqual(['registered']);
  });

  it('accepts the no-qop (RFC 2069) form once', () => {
    const ch = challengeOf(registrar.handleRegister(register()));
    const auth = authorize(ch, { user: '1001', password: PASSWORDS['1001']!, qop: false });
    expect(registrar.handleRegister(register({ authorization: auth })).status).toBe(200);
    const replay = registrar.handleRegister(register({ authorization: auth }));
    expect(replay.status).toBe(401);
  });

  it('refuses a replayed nonce count, and accepts a higher one (refresh without a new challenge)', () => {
    const ch = challengeOf(registrar.handleRegister(register()));
    const first = authorize(ch, { user: '1001', password: PASSWORDS['1001']!, nc: 1 });
    expect(registrar.handleRegister(register({ authorization: first })).status).toBe(200);
    expect(registrar.handleRegister(register({ authorization: first })).status).toBe(401);
    const second = authorize(ch, { user: '1001', password: PASSWORDS['1001']!, nc: 2 });
    const refreshed = registrar.handleRegister(register({ authorization: second }));
    expect(refreshed.status).toBe(200);
    expect(changes.map((c) => c.reason)).toEqual(['registered', 'refreshed']);
  });

  it('answers an expired nonce with stale=true when the password was right', () => {
    const ch = challengeOf(registrar.handleRegister(register()));
    clock.advance(301_000);
    const res = registrar.handleRegister(register({ authorization: authorize(ch, { user: '1001', password: PASSWORDS['1001']! }) }));
    expect(res.status).toBe(401);
    const fresh = challengeOf(res);
    expect(fresh.stale).toBe(true);
    expect(fresh.nonce).not.toBe(ch.nonce);
    const ok = registrar.handleRegister(register({ authorization: authorize(fresh, { user: '1001', password: PASSWORDS['1001']! }) }));
    expect(ok.status).toBe(200);
  });

  it('answers a wrong password with a fresh 401 (not stale)', () => {
    const res = login({}, 'wrong');
    expect(res.status).toBe(401);
    expect(challengeOf(res).stale).toBe(false);
    expect(registrar.contactOf('1001')).toBeUndefined();
  });

  it('rejects a forged nonce, an unknown user (403 after the challenge) and another user’s AOR', () => {
    const ch = challengeOf(registrar.handleRegister(register()));
    const forged = authorize({ ...ch, nonce: ch.nonce.slice(0, -2) + 'AA' }, { user: '1001', password: PASSWORDS['1001']! });
    expect(registrar.handleRegister(register({ authorization: forged })).status).toBe(401);
    expect(login({ aorUser: '9999' }, 'whatever').status).toBe(403);
    const stolen = authorize(ch, { user: '1002', password: PASSWORDS['1002']! });
    expect(registrar.handleRegister(register({ aorUser: '1001', authorization: stolen })).status).toBe(403);
  });

  it('throttles a host after 5 failures in 60 s (403 without a challenge), and lifts it later', () => {
    for (let i = 0; i < 4; i++) expect(login({}, 'bad').status).toBe(401);
    expect(login({}, 'bad').status).toBe(403);
    // now even a fresh REGISTER or the right password is refused from that host
    expect(registrar.handleRegister(register()).status).toBe(403);
    const other = login({ sourceHost: '127.0.0.2' });
    expect(other.status).toBe(200); // another host is not affected
    clock.advance(301_000);
    expect(login().status).toBe(200);
  });

  it('forgets failures outside the window, and a success resets the count', () => {
    for (let i = 0; i < 4; i++) login({}, 'bad');
    clock.advance(61_000);
    expect(login({}, 'bad').status).toBe(401); // only one failure in the window now
    for (let i = 0; i < 3; i++) login({}, 'bad');
    expect(login().status).toBe(200); // success clears
    for (let i = 0; i < 4; i++) expect(login({}, 'bad').status).toBe(401);
  });

  it('honours Expires: default 3600, clamps to the max, 423 with Min-Expires below the min', () => {
    expect(login({ expiresSec: undefined }).headers[0]![1]).toBe('<sip:1001@127.0.0.1:5062>;expires=3600');
    expect(login({ expiresSec: 86_400 }).headers[0]![1]).toBe('<sip:1001@127.0.0.1:5062>;expires=3600');
    const brief = login({ expiresSec: 30 });
    expect(brief.status).toBe(423);
    expect(brief.headers).toEqual([['Min-Expires', '60']]);
  });

  it('expires a binding on the clock and reports it', () => {
    login({ expiresSec: 120 });
    clock.advance(119_000);
    expect(registrar.contactOf('1001')).toBeDefined();
    clock.advance(1_000);
    expect(registrar.contactOf('1001')).toBeUndefined();
    expect(changes.map((c) => c.reason)).toEqual(['registered', 'expired']);
    expect(changes[1]!.contact).toBeNull();
  });

  it('unregisters on Expires: 0 and on Contact: * with Expires: 0', () => {
    login({ expiresSec: 600 });
    const res = login({ expiresSec: 0 });
    expect(res.status).toBe(200);
    expect(res.headers).toEqual([]);
    expect(registrar.contactOf('1001')).toBeUndefined();
    login({ expiresSec: 600 });
    expect(login({ contactUri: '*', expiresSec: 0 }).status).toBe(200);
    expect(login({ contactUri: '*', expiresSec: 60 }).status).toBe(400);
    expect(changes.map((c) => c.reason)).toEqual(['registered', 'unregistered', 'registered', 'unregistered']);
    clock.advance(4_000_000);
    expect(changes).toHaveLength(4); // no stray expiry timer
  });

  it('answers a query (no Contact) with the current binding, and refuses an out-of-order CSeq', () => {
    login({ expiresSec: 600, callId: 'same' });
    const query = login({ contactUri: undefined, callId: 'other' });
    expect(query.headers[0]![1]).toBe('<sip:1001@127.0.0.1:5062>;expires=600');
    const ch = challengeOf(registrar.handleRegister(register()));
    const stale = register({ callId: 'same', cseq: 1, authorization: authorize(ch, { user: '1001', password: PASSWORDS['1001']! }) });
    expect(registrar.handleRegister(stale).status).toBe(400);
  });

  it('requires the digest uri to be the Request-URI', () => {
    const ch = challengeOf(registrar.handleRegister(register()));
    const auth = authorize(ch, { user: '1001', password: PASSWORDS['1001']!, uri: 'sip:elsewhere' });
    expect(registrar.handleRegister(register({ authorization: auth })).status).toBe(400);
  });

  it('close() cancels expiry timers', () => {
    login({ expiresSec: 600 });
    registrar.close();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('digest credentials parsing', () => {
  it('reads quoted and token values, any order and case', () => {
    const c = parseDigestAuthorization('Digest  USERNAME="a\\"b", realm="r", nc=00000001, qop=auth, cnonce="x,y", nonce="n", uri="sip:h", response="abc"');
    expect(c).toMatchObject({ username: 'a"b', realm: 'r', nc: '00000001', qop: 'auth', cnonce: 'x,y', nonce: 'n', uri: 'sip:h', response: 'abc' });
  });

  it('refuses other schemes, duplicates and missing directives', () => {
    expect(parseDigestAuthorization('Basic YTpi')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a", username="b", realm="r", nonce="n", uri="u", response="x"')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a", realm="r"')).toBeNull();
    expect(parseDigestAuthorization('Digest username="a, realm="r"')).toBeNull();
  });
});

describe('nonce service memory bound', () => {
  it('evicts beyond the cap and treats evicted (older) nonces as stale, never as fresh', () => {
    const clock = new FakeClock();
    const service = new NonceService({ clock, ttlMs: 300_000, maxTracked: 3 });
    const nonces: string[] = [];
    for (let i = 0; i < 5; i++) {
      nonces.push(service.issue());
      clock.advance(10);
    }
    for (const n of nonces) {
      const check = service.check(n);
      if (check.kind === 'valid') service.use(n, check.issuedAtMs, 1);
    }
    expect(service.trackedCount).toBeLessThanOrEqual(3);
    expect(service.check(nonces[0]!).kind).toBe('stale');
    expect(service.check(nonces[4]!).kind).toBe('valid');
    const last = service.check(nonces[4]!);
    if (last.kind === 'valid') expect(service.use(nonces[4]!, last.issuedAtMs, 1)).toBe('replay');
  });
});
