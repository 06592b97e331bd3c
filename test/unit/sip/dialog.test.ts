import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { LEG_TABLE } from '../../../src/adapters/telephony/builtin/builtin-leg-states.js';
import { RING_TABLE } from '../../../src/adapters/telephony/builtin/builtin-ring.js';
import { readRegister } from '../../../src/adapters/telephony/builtin/register-request.js';
import { dtmfFromInfo } from '../../../src/adapters/telephony/builtin/sip-info-dtmf.js';
import { Dialog } from '../../../src/adapters/telephony/builtin/sip/dialog.js';
import { createResponse, cseqOf, type SipRequest } from '../../../src/adapters/telephony/builtin/sip/message.js';
import { parseSipMessage } from '../../../src/adapters/telephony/builtin/sip/parser.js';
import { SipStack } from '../../../src/adapters/telephony/builtin/sip/sip-stack.js';
import type { Table } from '../../../src/adapters/telephony/builtin/sip/transaction/tables.js';
import type { PeerAddress } from '../../../src/adapters/telephony/builtin/sip/transport/sip-transport.js';
import { FakeClock } from './fake-clock.js';

const SOURCE: PeerAddress = { transport: 'udp', host: '192.0.2.7', port: 5099 };

function parse(lines: string[]): SipRequest {
  const r = parseSipMessage(Buffer.from(lines.join('\r\n')));
  if (!r.ok || r.message.kind !== 'request') throw new Error('bad test message');
  return r.message;
}

const INVITE = parse([
  'INVITE sip:400@hotline.example SIP/2.0',
  'Via: SIP/2.0/UDP proxy2.example;branch=z9hG4bK2',
  'Via: SIP/2.0/UDP caller.example:5070;branch=z9hG4bK1',
  'Record-Route: <sip:proxy2.example;lr>, <sip:proxy1.example;lr>',
  'From: "Caller" <sip:13800138000@carrier.example>;tag=caller-tag',
  'To: <sip:400@hotline.example>',
  'Call-ID: dlg-1@carrier.example',
  'CSeq: 10 INVITE',
  'Contact: <sip:13800138000@198.51.100.9:5070>',
  'Content-Length: 0',
  '',
  '',
]);

describe('UAS dialog (§12.1.1)', () => {
  const dialog = Dialog.fromInboundInvite(INVITE, SOURCE, 'our-tag', '<sip:hotline@127.0.0.1:5060>');

  it('takes ids, route set (in order), remote target and remote CSeq from the INVITE', () => {
    expect(dialog.id).toBe('dlg-1@carrier.example;our-tag;caller-tag');
    expect(dialog.routeSet).toEqual(['<sip:proxy2.example;lr>', '<sip:proxy1.example;lr>']);
    expect(dialog.remoteTarget).toBe('sip:13800138000@198.51.100.9:5070');
    expect(dialog.remoteSeq).toBe(10);
    expect(dialog.localHeader).toBe('<sip:400@hotline.example>;tag=our-tag');
  });

  it('builds a BYE: Request-URI = remote target, Route = route set, From/To swapped, own CSeq space', () => {
    const bye = dialog.createRequest('BYE');
    expect(bye.uri).toBe('sip:13800138000@198.51.100.9:5070');
    expect(bye.headers.getAll('route')).toEqual(['<sip:proxy2.example;lr>', '<sip:proxy1.example;lr>']);
    expect(bye.headers.get('from')).toBe('<sip:400@hotline.example>;tag=our-tag');
    expect(bye.headers.get('to')).toBe('"Caller" <sip:13800138000@carrier.example>;tag=caller-tag');
    const next = dialog.createRequest('INFO');
    expect(cseqOf(next).seq).toBe(cseqOf(bye).seq + 1);
    expect(next.headers.has('contact')).toBe(false);
    expect(dialog.createRequest('INVITE').headers.get('contact')).toBe('<sip:hotline@127.0.0.1:5060>');
  });

  it('sends to the first route when there is one, else to the flow the INVITE came from', () => {
    expect(dialog.destination()).toEqual({ transport: 'udp', host: 'proxy2.example', port: 5060 });
    const direct = parse([
      'INVITE sip:400@h SIP/2.0',
      'Via: SIP/2.0/UDP caller.example:5070;branch=z9hG4bK1',
      'From: <sip:c@h>;tag=t',
      'To: <sip:400@h>',
      'Call-ID: d2',
      'CSeq: 1 INVITE',
      'Contact: <sip:c@10.0.0.5:5070>',
      '',
      '',
    ]);
    expect(Dialog.fromInboundInvite(direct, SOURCE, 'x', '<sip:h>').destination()).toEqual(SOURCE);
  });

  it('rejects a lower remote CSeq (§12.2.2) but lets ACK and CANCEL through', () => {
    const d = Dialog.fromInboundInvite(INVITE, SOURCE, 'our-tag', '<sip:h>');
    const withSeq = (method: string, seq: number): SipRequest =>
      parse([`${method} sip:h SIP/2.0`, 'Via: SIP/2.0/UDP a;branch=z9hG4bKx', 'From: <sip:a@h>;tag=caller-tag', 'To: <sip:h>;tag=our-tag', 'Call-ID: dlg-1@carrier.example', `CSeq: ${seq} ${method}`, '', '']);
    expect(d.acceptRemoteCseq(withSeq('INFO', 11))).toBe(true);
    expect(d.acceptRemoteCseq(withSeq('INFO', 9))).toBe(false);
    expect(d.acceptRemoteCseq(withSeq('ACK', 10))).toBe(true);
    expect(d.acceptRemoteCseq(withSeq('BYE', 12))).toBe(true);
  });

  it('refreshes the remote target from a re-INVITE Contact', () => {
    const d = Dialog.fromInboundInvite(INVITE, SOURCE, 'our-tag', '<sip:h>');
    d.refreshTarget(parse(['INVITE sip:h SIP/2.0', 'Via: SIP/2.0/UDP a;branch=z9hG4bKy', 'From: <sip:a@h>;tag=caller-tag', 'To: <sip:h>;tag=our-tag', 'Call-ID: c', 'CSeq: 11 INVITE', 'Contact: <sip:moved@203.0.113.1>', '', '']));
    expect(d.remoteTarget).toBe('sip:moved@203.0.113.1');
  });
});

describe('UAC dialog (§12.1.2)', () => {
  const ourInvite = parse([
    'INVITE sip:1001@10.0.0.8:5062 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKour',
    'From: <sip:4008001234@127.0.0.1>;tag=ours',
    'To: <sip:1001@hotline.example>',
    'Call-ID: out-1@127.0.0.1',
    'CSeq: 1 INVITE',
    'Contact: <sip:hotline@127.0.0.1:5060>',
    '',
    '',
  ]);
  const ok = createResponse(ourInvite, 200, {
    toTag: 'phone',
    headers: [
      ['Record-Route', '<sip:edge.example;lr>'],
      ['Record-Route', '<sip:core.example;lr>'],
      ['Contact', '<sip:1001@10.0.0.8:5062>'],
    ],
  });
  const flow: PeerAddress = { transport: 'tcp', host: '203.0.113.50', port: 40123 };

  it('reverses Record-Route, takes the 2xx Contact as target, continues our CSeq', () => {
    const d = Dialog.fromInviteResponse(ourInvite, ok, flow, '<sip:hotline@127.0.0.1:5060>');
    expect(d.routeSet).toEqual(['<sip:core.example;lr>', '<sip:edge.example;lr>']);
    expect(d.remoteTarget).toBe('sip:1001@10.0.0.8:5062');
    expect(d.remoteTag).toBe('phone');
    expect(cseqOf(d.createRequest('BYE')).seq).toBe(2);
    const ack = d.createAck(1);
    expect(ack.headers.get('cseq')).toBe('1 ACK');
    expect(ack.headers.getAll('route')).toEqual(d.routeSet);
    expect(ack.headers.has('via')).toBe(false); // the stack adds a fresh branch (§13.2.2.4)
    expect(d.destination()).toEqual({ transport: 'tcp', host: 'core.example', port: 5060 });
  });

  it('uses strict routing when the first route has no lr (§12.2.1.1)', () => {
    const strict = createResponse(ourInvite, 200, { toTag: 'p', headers: [['Record-Route', '<sip:old-proxy.example>'], ['Contact', '<sip:1001@10.0.0.8>']] });
    const d = Dialog.fromInviteResponse(ourInvite, strict, flow, '<sip:h>');
    const bye = d.createRequest('BYE');
    expect(bye.uri).toBe('sip:old-proxy.example');
    expect(bye.headers.getAll('route')).toEqual(['<sip:1001@10.0.0.8>']);
  });

  it('without a route set, goes to the registered flow (NAT), not the Contact', () => {
    const plain = createResponse(ourInvite, 200, { toTag: 'p', headers: [['Contact', '<sip:1001@10.0.0.8:5062>']] });
    expect(Dialog.fromInviteResponse(ourInvite, plain, flow, '<sip:h>').destination()).toEqual(flow);
  });
});

describe('CANCEL construction (§9.1)', () => {
  it('copies Request-URI, Call-ID, From, To, CSeq number, the top Via and Route of the INVITE', async () => {
    const clock = new FakeClock();
    const stack = new SipStack({ host: '127.0.0.1', port: 0, udp: true, tcp: false, logger: pino({ level: 'silent' }), timers: clock });
    const invite = parse([
      'INVITE sip:1001@10.0.0.8:5062 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKinv;rport',
      'Route: <sip:edge.example;lr>',
      'Max-Forwards: 70',
      'From: <sip:4008001234@127.0.0.1>;tag=ours',
      'To: <sip:1001@hotline.example>',
      'Call-ID: out-2@127.0.0.1',
      'CSeq: 7 INVITE',
      'Contact: <sip:hotline@127.0.0.1:5060>',
      'Content-Type: application/sdp',
      '',
      '',
    ]);
    let transportErrors = 0;
    const tx = stack.sendCancel(invite, { transport: 'udp', host: '127.0.0.1', port: 9 }, {
      onResponse: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => (transportErrors += 1),
    });
    const cancel = tx.request;
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.uri).toBe(invite.uri);
    for (const h of ['via', 'route', 'from', 'to', 'call-id']) expect(cancel.headers.getAll(h)).toEqual(invite.headers.getAll(h));
    expect(cancel.headers.get('cseq')).toBe('7 CANCEL');
    expect(cancel.headers.has('contact')).toBe(false);
    expect(cancel.headers.has('content-type')).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect(transportErrors).toBe(1); // the stack was never started: no socket
    await stack.close();
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('call-leg and ring state tables', () => {
  // Outbound legs start 'active'; inbound ones 'offered'.
  const tables: Array<[string, Table<string, string, string>, string[], string]> = [
    ['leg', LEG_TABLE, ['offered', 'active'], 'ended'],
    ['ring', RING_TABLE, ['starting'], 'done'],
  ];
  it.each(tables)('%s: every row goes to a known state, every state is reachable, the end state is reached', (_n, table, initial, end) => {
    const states = Object.keys(table);
    const reached = new Set(initial);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of [...reached]) {
        for (const row of Object.values(table[s]!)) {
          expect(states).toContain(row!.next);
          if (!reached.has(row!.next)) {
            reached.add(row!.next);
            grew = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...states].sort());
    expect(reached.has(end)).toBe(true);
    // the end state never leaves
    for (const row of Object.values(table[end]!)) expect(row!.next).toBe(end);
  });

  it('leg: BYE only after the 2xx, final responses only before it', () => {
    const before = ['offered', 'preparing'] as const;
    const after = ['answering', 'byePending', 'active'] as const;
    for (const s of before) for (const row of Object.values(LEG_TABLE[s])) expect(row!.actions).not.toContain('sendBye');
    for (const s of after) for (const row of Object.values(LEG_TABLE[s])) expect(row!.actions).not.toContain('sendFinal');
    expect(LEG_TABLE.answering.localHangup!.actions).not.toContain('sendBye'); // waits for the ACK (§15)
  });

  it('ring: CANCEL only goes out once a provisional response is in (§9.1)', () => {
    expect(RING_TABLE.calling.cancel!.actions).not.toContain('sendCancel');
    expect(RING_TABLE.cancelWaiting['1xx']!.actions).toContain('sendCancel');
    expect(RING_TABLE.proceeding.cancel!.actions).toContain('sendCancel');
    expect(RING_TABLE.cancelling['2xx']!.actions).toContain('ackAndBye');
    expect(RING_TABLE.cancelWaiting['2xx']!.actions).toContain('ackAndBye');
  });
});

describe('SIP INFO DTMF bodies', () => {
  it.each([
    ['application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n', '5'],
    ['application/dtmf-relay', 'Signal= *\r\nDuration= 160', '*'],
    ['Application/DTMF-Relay; charset=utf-8', 'signal=11\nduration=100', '#'],
    ['application/dtmf-relay', 'Signal=12', 'A'],
    ['application/dtmf', '7', '7'],
    ['application/dtmf', ' d\r\n', 'D'],
  ])('%s %j → %s', (type, body, digit) => {
    expect(dtmfFromInfo(type, Buffer.from(body))).toBe(digit);
  });

  it('null for unreadable DTMF, undefined for other content types', () => {
    expect(dtmfFromInfo('application/dtmf-relay', Buffer.from('Duration=160'))).toBeNull();
    expect(dtmfFromInfo('application/dtmf', Buffer.from('55'))).toBeNull();
    expect(dtmfFromInfo('application/sdp', Buffer.from('v=0'))).toBeUndefined();
    expect(dtmfFromInfo(undefined, Buffer.alloc(0))).toBeUndefined();
  });
});

describe('REGISTER reading (§10.2)', () => {
  const base = (extra: string[]): SipRequest =>
    parse(['REGISTER sip:hotline.example SIP/2.0', 'Via: SIP/2.0/TCP 10.0.0.8:49152;branch=z9hG4bKr', 'From: <sip:1001@hotline.example>;tag=r', 'To: "Agent" <sip:1001@hotline.example>', 'Call-ID: reg-1', 'CSeq: 42 REGISTER', ...extra, '', '']);
  const tcp: PeerAddress = { transport: 'tcp', host: '10.0.0.8', port: 49152 };

  it('prefers the Contact expires param over the Expires header, keeps the first Contact', () => {
    const r = readRegister(base(['Contact: <sip:1001@10.0.0.8:49152;transport=tcp>;expires=300, <sip:1001@other>', 'Expires: 60', 'Authorization: Digest x']), tcp);
    expect(r).toEqual({
      ok: true,
      request: {
        method: 'REGISTER',
        requestUri: 'sip:hotline.example',
        aorUser: '1001',
        aorDomain: 'hotline.example',
        contactUri: 'sip:1001@10.0.0.8:49152;transport=tcp',
        expiresSec: 300,
        authorization: 'Digest x',
        transport: 'tcp',
        sourceHost: '10.0.0.8',
        sourcePort: 49152,
        callId: 'reg-1',
        cseq: 42,
      },
    });
  });

  it('handles Contact: *, a query without Contact, and refuses * mixed with others', () => {
    const star = readRegister(base(['Contact: *', 'Expires: 0']), tcp);
    expect(star.ok && star.request.contactUri === '*' && star.request.expiresSec === 0).toBe(true);
    const query = readRegister(base([]), tcp);
    expect(query.ok && query.request.contactUri === undefined && query.request.expiresSec === undefined).toBe(true);
    expect(readRegister(base(['Contact: *, <sip:a@b>']), tcp).ok).toBe(false);
  });
});
