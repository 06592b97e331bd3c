import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { SipHeaders } from '../../../src/adapters/telephony/builtin/sip/headers.js';
import {
  createResponse,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../../src/adapters/telephony/builtin/sip/message.js';
import type { IncomingRequest } from '../../../src/adapters/telephony/builtin/sip/incoming-request.js';
import { RFC3261_TIMING } from '../../../src/adapters/telephony/builtin/sip/timers.js';
import { Uas2xxRetransmitter } from '../../../src/adapters/telephony/builtin/sip/uas-2xx.js';
import {
  INVITE_CLIENT_TABLE,
  INVITE_SERVER_TABLE,
  NON_INVITE_CLIENT_TABLE,
  NON_INVITE_SERVER_TABLE,
  type Table,
} from '../../../src/adapters/telephony/builtin/sip/transaction/tables.js';
import { TransactionLayer, serverKey } from '../../../src/adapters/telephony/builtin/sip/transaction/transaction-layer.js';
import type { PeerAddress } from '../../../src/adapters/telephony/builtin/sip/transport/sip-transport.js';
import { FakeClock } from './fake-clock.js';

const UDP: PeerAddress = { transport: 'udp', host: '127.0.0.1', port: 5070 };
const TCP: PeerAddress = { transport: 'tcp', host: '127.0.0.1', port: 5070 };

function request(method: string, branch = 'z9hG4bKtest1', seq = 1): SipRequest {
  const headers = new SipHeaders()
    .append('Via', `SIP/2.0/UDP 127.0.0.1:5060;branch=${branch}`)
    .append('Max-Forwards', '70')
    .append('From', '<sip:a@127.0.0.1>;tag=from1')
    .append('To', '<sip:b@127.0.0.1>')
    .append('Call-ID', 'tx-test@127.0.0.1')
    .append('CSeq', `${seq} ${method}`);
  return { kind: 'request', method, uri: 'sip:b@127.0.0.1:5070', headers, body: Buffer.alloc(0) };
}

function response(req: SipRequest, status: number, toTag = 'to1'): SipResponse {
  return createResponse(req, status, { toTag });
}

interface Sent {
  atMs: number;
  msg: SipMessage;
}

function setup(): { clock: FakeClock; layer: TransactionLayer; sent: Sent[]; logs: string[]; startMs: number } {
  const clock = new FakeClock();
  const sent: Sent[] = [];
  const logs: string[] = [];
  const startMs = clock.nowMs();
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(line) });
  const record = (msg: SipMessage): Promise<void> => {
    sent.push({ atMs: clock.nowMs() - startMs, msg });
    return Promise.resolve();
  };
  const layer = new TransactionLayer({
    sendRequest: record,
    sendResponse: record,
    timers: clock,
    timing: RFC3261_TIMING,
    logger,
  });
  return { clock, layer, sent, logs, startMs };
}

function tuRecorder(): { responses: number[]; timeouts: number; errors: number; tu: Parameters<TransactionLayer['sendRequest']>[2] } {
  const rec = { responses: [] as number[], timeouts: 0, errors: 0 };
  return {
    ...rec,
    get responses() {
      return rec.responses;
    },
    get timeouts() {
      return rec.timeouts;
    },
    get errors() {
      return rec.errors;
    },
    tu: {
      onResponse: (r) => rec.responses.push(r.status),
      onTimeout: () => (rec.timeouts += 1),
      onTransportError: () => (rec.errors += 1),
    },
  };
}

const times = (sent: Sent[], filter: (m: SipMessage) => boolean = () => true): number[] =>
  sent.filter((s) => filter(s.msg)).map((s) => s.atMs);

describe('INVITE client transaction (§17.1.1)', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });

  it('retransmits on Timer A (T1 doubling) until Timer B (64*T1) reports a timeout', () => {
    const rec = tuRecorder();
    env.layer.sendRequest(request('INVITE'), UDP, rec.tu);
    env.clock.advance(40_000);
    expect(times(env.sent)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(rec.timeouts).toBe(1);
    expect(env.layer.counts.clients).toBe(0);
  });

  it('stops A on a provisional, ACKs a non-2xx itself, re-ACKs its retransmission, ends on Timer D', () => {
    const rec = tuRecorder();
    const invite = request('INVITE');
    env.layer.sendRequest(invite, UDP, rec.tu);
    env.clock.advance(100);
    env.layer.receiveResponse(response(invite, 180));
    env.clock.advance(10_000);
    expect(times(env.sent)).toEqual([0]); // no retransmission after the 180
    env.layer.receiveResponse(response(invite, 486));
    env.layer.receiveResponse(response(invite, 486)); // retransmitted final
    const acks = env.sent.filter((s) => s.msg.kind === 'request' && s.msg.method === 'ACK');
    expect(acks).toHaveLength(2);
    const ack = acks[0]!.msg as SipRequest;
    expect(ack.headers.get('via')).toBe(invite.headers.get('via')); // same branch: hop-by-hop
    expect(ack.headers.get('cseq')).toBe('1 ACK');
    expect(ack.headers.get('to')).toContain('tag=to1');
    expect(rec.responses).toEqual([180, 486]); // the retransmission is not passed up
    expect(env.layer.counts.clients).toBe(1);
    env.clock.advance(32_000); // Timer D
    expect(env.layer.counts.clients).toBe(0);
  });

  it('passes every 2xx up in "accepted" (the TU ACKs end-to-end) and ends on Timer M (RFC 6026)', () => {
    const rec = tuRecorder();
    const invite = request('INVITE');
    env.layer.sendRequest(invite, UDP, rec.tu);
    env.layer.receiveResponse(response(invite, 200));
    env.layer.receiveResponse(response(invite, 200));
    env.layer.receiveResponse(response(invite, 200, 'forked'));
    expect(rec.responses).toEqual([200, 200, 200]);
    expect(env.sent.filter((s) => s.msg.kind === 'request' && s.msg.method === 'ACK')).toHaveLength(0);
    env.clock.advance(31_999);
    expect(env.layer.counts.clients).toBe(1);
    env.clock.advance(1);
    expect(env.layer.counts.clients).toBe(0);
  });

  it('over TCP: no retransmissions, Timer D is zero', () => {
    const rec = tuRecorder();
    const invite = request('INVITE');
    env.layer.sendRequest(invite, TCP, rec.tu);
    env.clock.advance(10_000);
    expect(times(env.sent)).toEqual([0]);
    env.layer.receiveResponse(response(invite, 603));
    expect(env.layer.counts.clients).toBe(0);
  });

  it('reports a transport error and terminates', async () => {
    const clock = new FakeClock();
    const layer = new TransactionLayer({
      sendRequest: () => Promise.reject(new Error('refused')),
      sendResponse: () => Promise.resolve(),
      timers: clock,
      timing: RFC3261_TIMING,
      logger: pino({ level: 'silent' }),
    });
    const rec = tuRecorder();
    layer.sendRequest(request('INVITE'), TCP, rec.tu);
    await Promise.resolve();
    await Promise.resolve();
    expect(rec.errors).toBe(1);
    expect(layer.counts.clients).toBe(0);
  });
});

describe('non-INVITE client transaction (§17.1.2)', () => {
  it('retransmits on Timer E (doubling, capped at T2) until Timer F', () => {
    const env = setup();
    const rec = tuRecorder();
    env.layer.sendRequest(request('OPTIONS'), UDP, rec.tu);
    env.clock.advance(40_000);
    expect(times(env.sent)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(rec.timeouts).toBe(1);
  });

  it('retransmits every T2 once proceeding, absorbs retransmitted finals, ends on Timer K (T4)', () => {
    const env = setup();
    const rec = tuRecorder();
    const bye = request('BYE');
    env.layer.sendRequest(bye, UDP, rec.tu);
    env.clock.advance(600); // one retransmission at 500
    env.layer.receiveResponse(response(bye, 100));
    env.clock.advance(8_000);
    expect(times(env.sent)).toEqual([0, 500, 1500, 5500]); // E fired at 1500 (pending), then T2
    env.layer.receiveResponse(response(bye, 200));
    env.layer.receiveResponse(response(bye, 200));
    expect(rec.responses).toEqual([100, 200]);
    env.clock.advance(4_999);
    expect(env.layer.counts.clients).toBe(1);
    env.clock.advance(1);
    expect(env.layer.counts.clients).toBe(0);
  });

  it('TCP: no retransmissions and K is zero', () => {
    const env = setup();
    const rec = tuRecorder();
    const opts = request('OPTIONS');
    env.layer.sendRequest(opts, TCP, rec.tu);
    env.clock.advance(5_000);
    env.layer.receiveResponse(response(opts, 200));
    expect(times(env.sent)).toEqual([0]);
    expect(env.layer.counts.clients).toBe(0);
  });
});

describe('INVITE server transaction (§17.2.1)', () => {
  it('retransmits a non-2xx final on Timer G (T1 doubling to T2) and gives up on Timer H', () => {
    const env = setup();
    const invite = request('INVITE');
    const tx = env.layer.createServer(invite, UDP);
    let timedOut = 0;
    (tx as unknown as { tu: { onTimeout: () => void } }).tu = { onTimeout: () => (timedOut += 1) };
    tx.respond(response(invite, 486));
    env.clock.advance(40_000);
    expect(times(env.sent)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(timedOut).toBe(1);
    expect(env.layer.counts.servers).toBe(0);
  });

  it('resends the last response to a retransmitted INVITE; the ACK stops G; Timer I absorbs, then ends', () => {
    const env = setup();
    const invite = request('INVITE');
    const tx = env.layer.createServer(invite, UDP);
    tx.respond(response(invite, 100));
    env.layer.matchRequest(invite)!.receiveRequest(invite); // retransmission while proceeding
    expect(env.sent.map((s) => (s.msg as SipResponse).status)).toEqual([100, 100]);
    tx.respond(response(invite, 480));
    env.layer.matchRequest(invite)!.receiveRequest(invite); // retransmission while completed
    expect(env.sent.map((s) => (s.msg as SipResponse).status)).toEqual([100, 100, 480, 480]);
    const ack = request('ACK');
    expect(env.layer.matchRequest(ack)).toBe(tx); // ACK matches the INVITE's transaction (§17.2.3)
    ack.headers.set('To', '<sip:b@127.0.0.1>;tag=to1');
    tx.receiveRequest(ack);
    env.clock.advance(4_000);
    expect(env.sent).toHaveLength(4); // G stopped by the ACK
    tx.receiveRequest(invite); // absorbed in "confirmed"
    tx.receiveRequest(ack);
    expect(env.sent).toHaveLength(4);
    expect(env.layer.counts.servers).toBe(1);
    env.clock.advance(1_000); // Timer I = T4 = 5 s
    expect(env.layer.counts.servers).toBe(0);
  });

  it('2xx: absorbs INVITE retransmissions, sends the TU 2xx retransmissions, ends on Timer L', () => {
    const env = setup();
    const invite = request('INVITE');
    const tx = env.layer.createServer(invite, UDP);
    const ok = response(invite, 200);
    tx.respond(ok);
    tx.receiveRequest(invite);
    tx.respond(ok);
    expect(env.sent.map((s) => (s.msg as SipResponse).status)).toEqual([200, 200]);
    env.clock.advance(32_000);
    expect(env.layer.counts.servers).toBe(0);
  });

  it('refuses a response the state does not allow, and logs it as illegal', () => {
    const env = setup();
    const invite = request('INVITE');
    const tx = env.layer.createServer(invite, TCP);
    tx.respond(response(invite, 486));
    tx.respond(response(invite, 180));
    expect(env.sent).toHaveLength(1);
    expect(tx.lastResponse!.status).toBe(486);
    expect(env.logs.join('')).toContain('HOTLINE_E_SIP_TX_ILLEGAL');
  });
});

describe('non-INVITE server transaction (§17.2.2)', () => {
  it('absorbs retransmissions while trying, resends the final once completed, ends on Timer J', () => {
    const env = setup();
    const bye = request('BYE');
    const tx = env.layer.createServer(bye, UDP);
    tx.receiveRequest(bye);
    expect(env.sent).toHaveLength(0);
    tx.respond(response(bye, 200));
    tx.receiveRequest(bye);
    tx.receiveRequest(bye);
    expect(env.sent).toHaveLength(3);
    tx.respond(response(bye, 500)); // after the final: illegal
    expect(env.sent).toHaveLength(3);
    env.clock.advance(31_999);
    expect(env.layer.counts.servers).toBe(1);
    env.clock.advance(1);
    expect(env.layer.counts.servers).toBe(0);
  });

  it('over TCP, J is zero', () => {
    const env = setup();
    const reg = request('REGISTER');
    const tx = env.layer.createServer(reg, TCP);
    tx.respond(response(reg, 200));
    expect(env.layer.counts.servers).toBe(0);
  });
});

describe('transaction matching (§17.1.3, §17.2.3)', () => {
  it('keys server transactions by branch, sent-by and method; ACK as INVITE; CANCEL apart', () => {
    const invite = request('INVITE', 'z9hG4bKabc');
    expect(serverKey(request('ACK', 'z9hG4bKabc'))).toBe(serverKey(invite));
    expect(serverKey(request('CANCEL', 'z9hG4bKabc'))).not.toBe(serverKey(invite));
    expect(serverKey(request('CANCEL', 'z9hG4bKabc'), 'INVITE')).toBe(serverKey(invite));
    expect(serverKey(request('INVITE', 'z9hG4bKother'))).not.toBe(serverKey(invite));
  });

  it('falls back to RFC 2543 matching without the magic cookie', () => {
    const a = request('INVITE', '1234');
    const b = request('INVITE', '1234');
    expect(serverKey(a)).toBe(serverKey(b));
    expect(serverKey(a)).toMatch(/^2543\|/);
    expect(serverKey(request('INVITE', '1234', 2))).not.toBe(serverKey(a));
  });

  it('matches responses by branch and CSeq method', () => {
    const env = setup();
    const rec = tuRecorder();
    const invite = request('INVITE', 'z9hG4bKm1');
    env.layer.sendRequest(invite, TCP, rec.tu);
    const other = response(request('INVITE', 'z9hG4bKm2'), 180);
    expect(env.layer.receiveResponse(other)).toBe(false);
    expect(env.layer.receiveResponse(response(invite, 180))).toBe(true);
  });
});

describe('transaction tables', () => {
  const tables: Array<[string, Table<string, string, string>, string]> = [
    ['INVITE client', INVITE_CLIENT_TABLE, 'calling'],
    ['non-INVITE client', NON_INVITE_CLIENT_TABLE, 'trying'],
    ['INVITE server', INVITE_SERVER_TABLE, 'proceeding'],
    ['non-INVITE server', NON_INVITE_SERVER_TABLE, 'trying'],
  ];

  it.each(tables)('%s: every row leads to a known state, every state is reachable, terminated is final', (_n, table, initial) => {
    const states = Object.keys(table);
    const reached = new Set([initial]);
    for (let changed = true; changed; ) {
      changed = false;
      for (const state of [...reached]) {
        for (const row of Object.values(table[state]!)) {
          expect(states).toContain(row!.next);
          if (!reached.has(row!.next)) {
            reached.add(row!.next);
            changed = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...states].sort());
    expect(Object.keys(table['terminated']!)).toHaveLength(0);
    for (const state of states.filter((s) => s !== 'terminated')) {
      const exits = Object.values(table[state]!).some((row) => row!.next === 'terminated' || row!.next !== state);
      expect(exits, `${state} has a way out`).toBe(true);
    }
  });
});

describe('UAS 2xx retransmission (§13.3.1.4)', () => {
  function fakeIncoming(transport: 'udp' | 'tcp'): { incoming: IncomingRequest; sentAtMs: number[]; clock: FakeClock } {
    const clock = new FakeClock();
    const start = clock.nowMs();
    const sentAtMs: number[] = [];
    const incoming = {
      source: { transport, host: '127.0.0.1', port: 5070 },
      transaction: { terminated: false },
      send: () => void sentAtMs.push(clock.nowMs() - start),
    } as unknown as IncomingRequest;
    return { incoming, sentAtMs, clock };
  }

  it('resends at T1, 2T1, 4T1, then every T2, and gives up after 64*T1', () => {
    const { incoming, sentAtMs, clock } = fakeIncoming('udp');
    let noAck = 0;
    const r = new Uas2xxRetransmitter(incoming, response(request('INVITE'), 200), clock, RFC3261_TIMING, () => (noAck += 1));
    r.start();
    clock.advance(40_000);
    expect(sentAtMs).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(noAck).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops on the ACK; over TCP sends once but still waits 64*T1 for the ACK', () => {
    const udp = fakeIncoming('udp');
    const r = new Uas2xxRetransmitter(udp.incoming, response(request('INVITE'), 200), udp.clock, RFC3261_TIMING, () => undefined);
    r.start();
    udp.clock.advance(600);
    r.stop();
    udp.clock.advance(40_000);
    expect(udp.sentAtMs).toEqual([0, 500]);
    const tcp = fakeIncoming('tcp');
    let noAck = 0;
    new Uas2xxRetransmitter(tcp.incoming, response(request('INVITE'), 200), tcp.clock, RFC3261_TIMING, () => (noAck += 1)).start();
    tcp.clock.advance(31_999);
    expect(noAck).toBe(0);
    tcp.clock.advance(1);
    expect(tcp.sentAtMs).toEqual([0]);
    expect(noAck).toBe(1);
  });
});
