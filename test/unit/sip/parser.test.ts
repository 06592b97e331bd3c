import { describe, expect, it } from 'vitest';
import { SipHeaders, splitHeaderList } from '../../../src/adapters/telephony/builtin/sip/headers.js';
import {
  createResponse,
  cseqOf,
  parseVia,
  tagOf,
  type SipRequest,
  type SipResponse,
} from '../../../src/adapters/telephony/builtin/sip/message.js';
import { parseSipMessage } from '../../../src/adapters/telephony/builtin/sip/parser.js';
import { serializeMessage } from '../../../src/adapters/telephony/builtin/sip/serializer.js';
import { SipStreamFramer } from '../../../src/adapters/telephony/builtin/sip/stream-framer.js';
import {
  escapeUser,
  formatNameAddr,
  parseNameAddr,
  parseSipUri,
  unescapeUser,
} from '../../../src/adapters/telephony/builtin/sip/uri.js';
import { prng } from '../../support/prng.js';

const CRLF = '\r\n';
const msg = (...lines: string[]): Buffer => Buffer.from(lines.join(CRLF), 'utf8');

function parseOk(data: Buffer): SipRequest | SipResponse {
  const r = parseSipMessage(data);
  if (!r.ok) throw new Error(`expected a valid message, got ${r.error.code}: ${r.error.detail}`);
  return r.message;
}

function parseErr(data: Buffer): NonNullable<ReturnType<typeof parseSipMessage> & { ok: false }>['error'] {
  const r = parseSipMessage(data);
  if (r.ok) throw new Error('expected a parse error');
  return r.error;
}

const OPTIONS = msg(
  'OPTIONS sip:hotline@127.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: <sip:hotline@127.0.0.1>',
  'From: "Alice" <sip:alice@127.0.0.1>;tag=1928301774',
  'Call-ID: a84b4c76e66710@127.0.0.1',
  'CSeq: 63104 OPTIONS',
  'Content-Length: 0',
  '',
  '',
);

describe('SIP message parsing (RFC 3261 §7)', () => {
  it('reads a request line, headers case-insensitively, and an empty body', () => {
    const m = parseOk(OPTIONS) as SipRequest;
    expect(m.kind).toBe('request');
    expect(m.method).toBe('OPTIONS');
    expect(m.uri).toBe('sip:hotline@127.0.0.1:5060');
    expect(m.headers.get('call-id')).toBe('a84b4c76e66710@127.0.0.1');
    expect(m.headers.get('CALL-ID')).toBe('a84b4c76e66710@127.0.0.1');
    expect(cseqOf(m)).toEqual({ seq: 63104, method: 'OPTIONS' });
    expect(tagOf(m, 'from')).toBe('1928301774');
    expect(tagOf(m, 'to')).toBeUndefined();
    expect(m.body.length).toBe(0);
  });

  it('reads a status line with a multi-word reason', () => {
    const m = parseOk(
      msg(
        'SIP/2.0 486 Busy Here Right Now',
        'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx',
        'To: <sip:a@b>;tag=9',
        'From: <sip:c@d>;tag=8',
        'Call-ID: x',
        'CSeq: 1 INVITE',
        '',
        '',
      ),
    ) as SipResponse;
    expect(m.status).toBe(486);
    expect(m.reason).toBe('Busy Here Right Now');
  });

  it('expands compact header names (v f t i m l c k s e)', () => {
    const body = 'v=0\r\n';
    const m = parseOk(
      msg(
        'INVITE sip:1@h SIP/2.0',
        'v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1',
        'f: <sip:a@h>;tag=1',
        't: <sip:1@h>',
        'i: cid-1',
        'CSeq: 1 INVITE',
        'm: <sip:a@127.0.0.1:5070>',
        'k: timer, 100rel',
        's: hello',
        'e: identity',
        'c: application/sdp',
        `l: ${body.length}`,
        '',
        body,
      ),
    ) as SipRequest;
    expect(m.headers.get('Via')).toContain('z9hG4bK1');
    expect(m.headers.get('From')).toBe('<sip:a@h>;tag=1');
    expect(m.headers.get('To')).toBe('<sip:1@h>');
    expect(m.headers.get('Call-ID')).toBe('cid-1');
    expect(m.headers.get('Contact')).toBe('<sip:a@127.0.0.1:5070>');
    expect(m.headers.getAll('Supported')).toEqual(['timer', '100rel']);
    expect(m.headers.get('Subject')).toBe('hello');
    expect(m.headers.get('Content-Encoding')).toBe('identity');
    expect(m.headers.get('Content-Type')).toBe('application/sdp');
    expect(m.body.toString()).toBe(body);
    // Serialized with full names
    const out = serializeMessage(m).toString();
    expect(out).toContain('\r\nCall-ID: cid-1\r\n');
    expect(out).toContain('\r\nContact: <sip:a@127.0.0.1:5070>\r\n');
  });

  it('splits comma-separated list headers, but not inside quotes or <>', () => {
    expect(splitHeaderList('"Doe, John" <sip:j@h>;q=0.5, <sip:x@y;a=b,c>')).toEqual([
      '"Doe, John" <sip:j@h>;q=0.5',
      '<sip:x@y;a=b,c>',
    ]);
    const m = parseOk(
      msg(
        'BYE sip:x@h SIP/2.0',
        'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKa, SIP/2.0/UDP p2.example.com;branch=z9hG4bKb',
        'Via: SIP/2.0/TCP 127.0.0.1:5080;branch=z9hG4bKc',
        'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
        'Record-Route: <sip:r1;lr>,<sip:r2;lr>',
        'From: <sip:a@h>;tag=1',
        'To: <sip:x@h>;tag=2',
        'Call-ID: c',
        'CSeq: 2 BYE',
        'Authorization: Digest username="a", realm="r", nonce="n", uri="sip:h", response="x"',
        '',
        '',
      ),
    );
    expect(m.headers.getAll('via')).toHaveLength(3);
    expect(parseVia(m.headers.get('via')!)!.host).toBe('p1.example.com');
    expect(m.headers.getAll('route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(m.headers.getAll('record-route')).toHaveLength(2);
    expect(m.headers.getAll('authorization')).toHaveLength(1); // not a list header
  });

  it('unfolds continuation lines (§7.3.1)', () => {
    const m = parseOk(
      msg(
        'OPTIONS sip:h SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1',
        'Subject: I know you are there,',
        '         pick up the phone',
        '\tand talk to me!',
        'From: <sip:a@h>;tag=1',
        'To: <sip:h>',
        'Call-ID: c',
        'CSeq: 1 OPTIONS',
        '',
        '',
      ),
    );
    expect(m.headers.get('subject')).toBe('I know you are there, pick up the phone and talk to me!');
  });

  it('bounds the body by Content-Length on UDP and ignores the rest (§18.3)', () => {
    const m = parseOk(
      Buffer.concat([
        msg('MESSAGE sip:h SIP/2.0', 'Via: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1', 'From: <sip:a@h>;tag=1', 'To: <sip:h>', 'Call-ID: c', 'CSeq: 1 MESSAGE', 'Content-Length: 5', '', ''),
        Buffer.from('hello and more'),
      ]),
    );
    expect(m.body.toString()).toBe('hello');
  });

  it('takes the rest of the datagram as body when Content-Length is absent on UDP', () => {
    const m = parseOk(
      Buffer.concat([
        msg('INFO sip:h SIP/2.0', 'Via: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1', 'From: <sip:a@h>;tag=1', 'To: <sip:h>;tag=2', 'Call-ID: c', 'CSeq: 1 INFO', '', ''),
        Buffer.from('Signal=5\r\nDuration=160\r\n'),
      ]),
    );
    expect(m.body.toString()).toBe('Signal=5\r\nDuration=160\r\n');
  });

  it('tolerates leading empty lines before the start line (§7.5)', () => {
    expect(parseOk(Buffer.concat([Buffer.from('\r\n\r\n'), OPTIONS])).kind).toBe('request');
  });

  it('serializes and re-parses to the same message, recomputing Content-Length', () => {
    const m = parseOk(OPTIONS) as SipRequest;
    m.body = Buffer.from('abc');
    m.headers.set('Content-Type', 'text/plain');
    const again = parseOk(serializeMessage(m)) as SipRequest;
    expect(again.headers.get('content-length')).toBe('3');
    expect(again.body.toString()).toBe('abc');
    expect(again.headers.getAll('via')).toEqual(m.headers.getAll('via'));
  });

  it('refuses messages over the size guard', () => {
    const big = Buffer.concat([OPTIONS, Buffer.alloc(70_000, 0x61)]);
    expect(parseErr(big).code).toBe('too-large');
  });
});

describe('URIs and name-addr (§19.1, §20.10, §25.1)', () => {
  it('parses user, password, host, port, params and headers', () => {
    const u = parseSipUri('sip:alice:secret@atlanta.com:5070;transport=tcp;lr?subject=project')!;
    expect(u).toMatchObject({ scheme: 'sip', user: 'alice', password: 'secret', host: 'atlanta.com', port: 5070 });
    expect(u.params.get('transport')).toBe('tcp');
    expect(u.params.get('lr')).toBeNull();
    expect(u.headers).toBe('subject=project');
  });

  it('parses IPv6 references and rejects bad ports and whitespace', () => {
    expect(parseSipUri('sip:[2001:db8::10]:5070')).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
    expect(parseSipUri('sip:a@h:99999')).toBeNull();
    expect(parseSipUri('sip:a@h; lr')).toBeNull();
    expect(parseSipUri('sip:a b@h')).toBeNull();
    expect(parseSipUri('tel:+1-201-555-0123')).toBeNull();
  });

  it('distinguishes name-addr from addr-spec parameters', () => {
    const a = parseNameAddr('"Alice \\"A\\" Smith" <sip:alice@h;transport=tcp>;tag=abc;expires=60')!;
    expect(a.displayName).toBe('Alice "A" Smith');
    expect(a.uri).toBe('sip:alice@h;transport=tcp');
    expect(a.params.get('tag')).toBe('abc');
    expect(a.params.get('expires')).toBe('60');
    const b = parseNameAddr('sip:bob@h;tag=xyz')!;
    expect(b.uri).toBe('sip:bob@h');
    expect(b.params.get('tag')).toBe('xyz');
    const c = parseNameAddr('Bob Smith <sip:bob@h>')!;
    expect(c.displayName).toBe('Bob Smith');
    expect(parseNameAddr('<tel:+12015550123>')!.sipUri).toBeNull();
  });

  it('escapes and unescapes user parts', () => {
    expect(escapeUser('+49 30 123')).toBe('+49%2030%20123');
    expect(unescapeUser('%2B4930')).toBe('+4930');
    expect(formatNameAddr({ displayName: 'A "B"', uri: 'sip:x@y' })).toBe('"A \\"B\\"" <sip:x@y>');
  });
});

describe('responses (§8.2.6)', () => {
  it('copies Via, From, To (adding a tag), Call-ID, CSeq, and Timestamp only in 100', () => {
    const req = parseOk(msg(
      'INVITE sip:h SIP/2.0',
      'Via: SIP/2.0/UDP a;branch=z9hG4bK1',
      'Via: SIP/2.0/UDP b;branch=z9hG4bK2',
      'From: <sip:a@h>;tag=1',
      'To: <sip:h>',
      'Call-ID: c',
      'CSeq: 7 INVITE',
      'Timestamp: 54',
      '',
      '',
    )) as SipRequest;
    const trying = createResponse(req, 100, { toTag: 't' });
    expect(trying.headers.get('to')).toBe('<sip:h>');
    expect(trying.headers.get('timestamp')).toBe('54');
    const ok = createResponse(req, 200, { toTag: 't' });
    expect(ok.headers.getAll('via')).toHaveLength(2);
    expect(ok.headers.get('to')).toBe('<sip:h>;tag=t');
    expect(ok.headers.has('timestamp')).toBe(false);
    expect(ok.reason).toBe('OK');
  });
});

describe('TCP framing by Content-Length (§18.3)', () => {
  it('cuts back-to-back and split messages, and answers CRLF keep-alives', () => {
    const framer = new SipStreamFramer(65536);
    const one = serializeMessage(parseOk(OPTIONS));
    const two = Buffer.concat([one, Buffer.from('\r\n\r\n'), one]);
    const out = framer.push(two.subarray(0, 50));
    expect(out).toEqual([]);
    const rest = framer.push(two.subarray(50));
    expect(rest.map((o) => o.kind)).toEqual(['message', 'ping', 'message']);
  });

  it('reports an invalid Content-Length and oversize messages', () => {
    expect(new SipStreamFramer(65536).push(Buffer.from('OPTIONS sip:h SIP/2.0\r\nContent-Length: -1\r\n\r\n'))[0]).toMatchObject({ kind: 'error' });
    expect(new SipStreamFramer(100).push(Buffer.from('OPTIONS sip:h SIP/2.0\r\nContent-Length: 5000\r\n\r\n'))[0]).toMatchObject({ kind: 'error' });
  });
});

describe('RFC 4475 torture cases (hand-written variants)', () => {
  it('wsinv: whitespace, folding, odd case and compact forms everywhere', () => {
    const body = 'v=0\r\no=mhandley 29739 7272939 IN IP4 192.0.2.3\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\nm=audio 49217 RTP/AVP 0 12\r\n';
    const m = parseOk(msg(
      'INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0',
      'TO :',
      ' sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n',
      'from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>',
      '  ;',
      '  tag = 98asjd8',
      'MaX-fOrWaRdS: 0068',
      'Call-ID: wsinv.ndaksdj@192.0.2.1',
      `Content-Length   : ${Buffer.byteLength(body)}`,
      'cseq: 0009',
      '  INVITE',
      'Via  : SIP  /   2.0',
      ' /UDP',
      '    192.0.2.2;branch=390skdjuw',
      's :',
      'NewFangledHeader:   newfangled value',
      ' continued newfangled value',
      'UnknownHeaderWithUnusualValue: ;;,,;;,;',
      'Content-Type: application/sdp',
      'Route:',
      ' <sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
      'v:  SIP  / 2.0  / TCP     spindle.example.com   ;',
      '  branch  =   z9hG4bK9ikj8  ,',
      ' SIP  /    2.0   / UDP  192.168.255.111   ; branch=',
      ' z9hG4bK30239',
      'm:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =',
      '      newvalue ;',
      '  secondparam ; q = 0.33',
      '',
      body,
    )) as SipRequest;
    expect(m.method).toBe('INVITE');
    expect(cseqOf(m)).toEqual({ seq: 9, method: 'INVITE' });
    expect(tagOf(m, 'to')).toBe('1918181833n');
    expect(tagOf(m, 'from')).toBe('98asjd8');
    expect(m.headers.getAll('via')).toHaveLength(3);
    expect(parseVia(m.headers.getAll('via')[1]!)).toMatchObject({ transport: 'TCP', host: 'spindle.example.com' });
    expect(parseVia(m.headers.getAll('via')[2]!)!.params.get('branch')).toBe('z9hG4bK30239');
    expect(parseNameAddr(m.headers.get('contact')!)!.params.get('q')).toBe('0.33');
    expect(m.body.toString()).toBe(body);
  });

  it("intmeth: a method and URI made of every legal odd character", () => {
    const method = "!interesting-Method0123456789_*+`.%indeed'~";
    const uri = "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com";
    const m = parseOk(msg(
      `${method} ${uri} SIP/2.0`,
      "Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
      'To: "BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:1_unusual.URI~(to-be!sure)&isn\'t+it$/crazy?,/;;*@example.com>',
      'From: token1~` token2\'+_ token3*%!.- <sip:mundane@example.com>;fromParam\'\'~+*_!.-%="работающий";tag=_token~1\'+`*%!-.',
      'Call-ID: intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{',
      `CSeq: 139122385 ${method}`,
      'Max-Forwards: 255',
      '',
      '',
    )) as SipRequest;
    expect(m.method).toBe(method);
    const parsed = parseSipUri(m.uri)!;
    expect(parsed.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(parsed.host).toBe('example.com');
    expect(tagOf(m, 'from')).toBe("_token~1'+`*%!-.");
  });

  it('esc01 / escnull: escaped characters in URIs', () => {
    const m = parseOk(msg(
      'INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0',
      'To: sip:%75se%72@example.com',
      'From: <sip:I%20have%20spaces@example.net>;tag=938',
      'Max-Forwards: 87',
      'Call-ID: esc01.239409asdfakjkn23onasd0-3234',
      'CSeq: 234234 INVITE',
      'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bKkdjuw',
      'C: application/sdp',
      'Contact: <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>',
      'Content-Length: 0',
      '',
      '',
    )) as SipRequest;
    expect(unescapeUser(parseSipUri(m.uri)!.user!)).toBe('sips:user@example.com');
    expect(unescapeUser(parseNameAddr(m.headers.get('from')!)!.sipUri!.user!)).toBe('I have spaces');
    const nul = parseOk(msg(
      'REGISTER sip:example.com SIP/2.0',
      'To: sip:null-%00-null@example.com',
      'From: sip:null-%00-null@example.com;tag=839923423',
      'Max-Forwards: 70',
      'Call-ID: escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd',
      'CSeq: 14398234 REGISTER',
      'Via: SIP/2.0/UDP host5.example.com;branch=z9hG4bKkdjuw',
      'Contact: <sip:%00@host5.example.com>',
      'Contact: <sip:%00%00@host5.example.com>',
      'L:0',
      '',
      '',
    ));
    expect(nul.headers.getAll('contact')).toHaveLength(2);
  });

  it('lwsdisp, semiuri, transports, noreason, unreason: valid oddities', () => {
    const lws = parseOk(msg(
      'OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0',
      'To: sip:j_user@example.com',
      'From: caller<sip:caller@example.com>;tag=323',
      'Max-Forwards: 70',
      'Call-ID: lwsdisp.1234abcd@funky.example.com',
      'CSeq: 60 OPTIONS',
      'Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw',
      'Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf',
      'Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj',
      'Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en',
      'l: 0',
      '',
      '',
    )) as SipRequest;
    expect(parseSipUri(lws.uri)!.user).toBe('user;par=u%40example.net');
    expect(parseNameAddr(lws.headers.get('from')!)!.displayName).toBe('caller');
    expect(lws.headers.getAll('via').map((v) => parseVia(v)!.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN']);
    const base = ['Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe', 'Call-ID: noreason.asndj203insdf99223ndf', 'CSeq: 35 INVITE', 'From: <sip:user@example.com>;tag=39ansfi3', 'To: <sip:user@example.edu>;tag=902jndnke3', 'Content-Length: 0', '', ''];
    expect((parseOk(msg('SIP/2.0 100 ', ...base)) as SipResponse).reason).toBe('');
    const un = parseOk(msg('SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять - простое', ...base)) as SipResponse;
    expect(un.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
  });

  it('dblreq: only the first request of a datagram counts', () => {
    const first = msg('REGISTER sip:example.com SIP/2.0', 'To: sip:j.user@example.com', 'From: sip:j.user@example.com;tag=43251j3j324', 'Max-Forwards: 8', 'I: dblreq.0ha0isndaksdj99sdfafnl3lk233412', 'Contact: sip:j.user@host.example.com', 'CSeq: 8 REGISTER', 'Via: SIP/2.0/UDP 192.0.2.125;branch=z9hG4bKon23jie', 'Content-Length: 0', '', '');
    const m = parseOk(Buffer.concat([first, Buffer.from('INVITE sip:joe@example.com SIP/2.0\r\nt: sip:joe@example.com\r\n\r\n')]));
    expect((m as SipRequest).method).toBe('REGISTER');
    expect(m.body.length).toBe(0);
  });

  const head = (start: string, extra: string[], cseq = 'CSeq: 1 INVITE'): Buffer =>
    msg(start, 'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw', 'To: <sip:t@example.com>', 'From: <sip:f@example.com>;tag=1', 'Call-ID: torture@x', cseq, 'Max-Forwards: 70', ...extra, '', '');

  it.each([
    ['ncl (negative Content-Length)', 400, 'bad-content-length', head('INVITE sip:t@example.com SIP/2.0', ['Content-Length: -999'])],
    ['clerr (Content-Length larger than the body)', 400, 'body-truncated', head('INVITE sip:t@example.com SIP/2.0', ['Content-Length: 9999'])],
    ['scalar02 (CSeq beyond 2**31)', 400, 'bad-header-value', head('REGISTER sip:example.com SIP/2.0', [], 'CSeq: 36893488147419103232 REGISTER')],
    ['ltgtruri (Request-URI in angle brackets)', 400, 'bad-request-uri', head('INVITE <sip:t@example.com> SIP/2.0', [])],
    ['lwsruri (whitespace inside the Request-URI)', 400, 'bad-start-line', head('INVITE sip:t@example.com; lr SIP/2.0', [])],
    ['lwsstart (several spaces in the request line)', 400, 'bad-start-line', head('INVITE  sip:t@example.com  SIP/2.0', [])],
    ['trws (trailing whitespace on the request line)', 400, 'bad-start-line', head('INVITE sip:t@example.com SIP/2.0  ', [])],
    ['badvers (SIP/7.0)', 505, 'bad-version', head('INVITE sip:t@example.com SIP/7.0', [])],
    ['mismatch01 (CSeq method differs)', 400, 'cseq-method-mismatch', head('OPTIONS sip:t@example.com SIP/2.0', [])],
    ['mismatch02 (unknown method, CSeq differs)', 400, 'cseq-method-mismatch', head('NEWMETHOD sip:t@example.com SIP/2.0', [])],
    ['regbadct (Contact URI with ? outside brackets)', 400, 'bad-header-value', head('REGISTER sip:example.com SIP/2.0', ['Contact: sip:user@example.com?Route=%3Csip:sip.example.com%3E'], 'CSeq: 1 REGISTER')],
    ['baddn (unquoted display name with a comma)', 400, 'bad-header-value', msg('OPTIONS sip:t@example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw', 'To: sip:t@example.com', 'From: Bell, Alexander <sip:a.g.bell@bell-tel.com>;tag=43', 'Call-ID: baddn@x', 'CSeq: 1 OPTIONS', '', '')],
    ['quotbal (unbalanced quotes in To)', 400, 'bad-header-value', msg('INVITE sip:t@example.com SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.15;branch=z9hG4bKkdjuw', 'To: "Mr. J. User <sip:j.user@example.com>', 'From: <sip:f@example.com>;tag=1', 'Call-ID: quotbal@x', 'CSeq: 1 INVITE', '', '')],
    ['multi01 (two To headers)', 400, 'bad-header-value', head('INVITE sip:t@example.com SIP/2.0', ['To: <sip:other@example.com>'])],
  ] as const)('%s → answerable %i (%s)', (_name, status, code, data) => {
    const err = parseErr(data);
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
    expect(err.answerable).toBeDefined();
    // and the stack can build the response from what was readable
    const res = createResponse({ headers: err.answerable!.headers }, status, { toTag: 'x' });
    expect(serializeMessage(res).toString()).toContain(`SIP/2.0 ${status} `);
  });

  it('bigcode and insuf: unanswerable messages are dropped', () => {
    expect(parseErr(msg('SIP/2.0 4294967301 better not break the receiver', 'Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe', '', '')).answerable).toBeUndefined();
    const insuf = parseErr(msg('INVITE sip:user@example.com SIP/2.0', 'CSeq: 193942 INVITE', 'Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf', 'Content-Type: application/sdp', 'l: 0', '', ''));
    expect(insuf.code).toBe('missing-header');
    expect(insuf.answerable).toBeUndefined();
  });
});

describe('fuzz: the parser never throws', () => {
  const INVITE = msg(
    'INVITE sip:400@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport',
    'From: "Caller" <sip:13800000000@127.0.0.1>;tag=abc',
    'To: <sip:400@127.0.0.1>',
    'Call-ID: fuzz@127.0.0.1',
    'CSeq: 1 INVITE',
    'Contact: <sip:caller@127.0.0.1:5070>, "x, y" <sip:b@h>',
    'Route: <sip:p;lr>',
    'Content-Type: application/sdp',
    'Content-Length: 26',
    '',
    'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n',
  );
  const TOKENS = [':', ';', ',', '<', '>', '"', '\\', '\r\n', '\r\n ', ' ', '@', '%', '%0', '=', 'SIP/2.0', 'z9hG4bK', '\u0000', '\u00ff', 'ä', '99999999999999'];

  it('survives 20,000 random mutations, and every answerable error yields a serializable response', () => {
    const rand = prng(4475);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 20_000; i++) {
      let data = Buffer.from(INVITE);
      const edits = 1 + Math.floor(rand() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * data.length);
        switch (Math.floor(rand() * 5)) {
          case 0: // flip a byte
            data[at] = Math.floor(rand() * 256);
            break;
          case 1: // insert a token
            data = Buffer.concat([data.subarray(0, at), Buffer.from(pick(TOKENS)), data.subarray(at)]);
            break;
          case 2: // delete a span
            data = Buffer.concat([data.subarray(0, at), data.subarray(at + Math.floor(rand() * 20))]);
            break;
          case 3: // truncate
            data = data.subarray(0, at);
            break;
          default: // duplicate a span
            data = Buffer.concat([data.subarray(0, at), data.subarray(at, at + 30), data.subarray(at)]);
        }
      }
      const result = parseSipMessage(data);
      if (result.ok) {
        const again = parseSipMessage(serializeMessage(result.message));
        expect(again.ok).toBe(true);
      } else if (result.error.answerable !== undefined) {
        const res = createResponse({ headers: result.error.answerable.headers }, result.error.status, { toTag: 't' });
        expect(serializeMessage(res).length).toBeGreaterThan(0);
      }
    }
  });

  it('survives random bytes and random header soup', () => {
    const rand = prng(3261);
    for (let i = 0; i < 5_000; i++) {
      const len = Math.floor(rand() * 400);
      const bytes = Buffer.alloc(len);
      for (let j = 0; j < len; j++) bytes[j] = Math.floor(rand() * 256);
      expect(() => parseSipMessage(bytes)).not.toThrow();
      const headers = new SipHeaders();
      expect(() => headers.append('Via', bytes.toString('latin1'))).not.toThrow();
      expect(() => parseNameAddr(bytes.toString('latin1'))).not.toThrow();
    }
  });
});
