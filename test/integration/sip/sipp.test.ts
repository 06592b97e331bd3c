/**
 * The built-in adapter against a real SIP peer: SIPp (sip-tester) on 127.0.0.1, as caller, registering
 * phone, and answering/declining agent phone. Scenario files are in ./scenarios.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentContact, DtmfEvent, HangupEvent, InboundCall, RingOutcome } from '../../../src/ports/call-control.js';
import { PASSWORDS, SCENARIOS, freePort, runSipp, startHarness, until, waitForTcpListen, type Harness, type SippResult } from './harness.js';

const scenario = (name: string): string => join(SCENARIOS, name);

function expectSippOk(r: SippResult): void {
  expect(r.code, `SIPp failed:\n${r.errors}\n${r.stderr}\n${r.stdout}`).toBe(0);
}

function agentAt(port: number, transport: 'udp' | 'tcp' = 'udp'): AgentContact {
  return {
    aor: 'sip:1001@hotline.test',
    contactUri: `sip:1001@127.0.0.1:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`,
    transport,
    sourceHost: '127.0.0.1',
    sourcePort: port,
    expiresAtMs: Date.now() + 60_000,
  };
}

describe('SIPp ↔ built-in adapter', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it.each(['udp', 'tcp'] as const)('answers OPTIONS with 200 and Allow (%s)', async (transport) => {
    h = await startHarness({});
    const r = await runSipp(['-sf', scenario('options.xml'), '-t', transport === 'udp' ? 'u1' : 't1', '-m', '1', `127.0.0.1:${h.port}`]);
    expectSippOk(r);
  });

  it('registers with digest auth (401 then 200) and keeps the binding with the source address', async () => {
    h = await startHarness({});
    const r = await runSipp(['-sf', scenario('register-auth.xml'), '-s', '1001', '-au', '1001', '-ap', PASSWORDS['1001']!, '-m', '1', `127.0.0.1:${h.port}`]);
    expectSippOk(r);
    const contact = h.registrar.contactOf('1001');
    expect(contact).toMatchObject({ transport: 'udp', sourceHost: '127.0.0.1', aor: 'sip:1001@127.0.0.1' });
    expect(contact!.contactUri).toBe(`sip:1001@127.0.0.1:${contact!.sourcePort};transport=UDP`);
  });

  it('registers over TCP too', async () => {
    h = await startHarness({});
    const r = await runSipp(['-sf', scenario('register-auth.xml'), '-t', 't1', '-s', '1002', '-au', '1002', '-ap', PASSWORDS['1002']!, '-m', '1', `127.0.0.1:${h.port}`]);
    expectSippOk(r);
    expect(h.registrar.contactOf('1002')).toMatchObject({ transport: 'tcp', sourceHost: '127.0.0.1' });
  });

  it('answers a wrong password with 401, then 403 once the host is throttled', async () => {
    h = await startHarness({ throttle: { maxFailures: 5, windowSec: 60, blockSec: 300 } });
    const r = await runSipp(['-sf', scenario('register-wrong.xml'), '-s', '1001', '-au', '1001', '-ap', 'not-the-password', '-m', '1', `127.0.0.1:${h.port}`]);
    expectSippOk(r);
    expect(h.registrar.contactOf('1001')).toBeUndefined();
  });

  it.each(['udp', 'tcp'] as const)('inbound call (%s): 100, answer → 200/ACK, SIP INFO DTMF, caller BYE → hang-up', async (transport) => {
    const digits: DtmfEvent[] = [];
    const hangups: HangupEvent[] = [];
    h = await startHarness({
      onCall: (call) => {
        call.onDtmf((d) => digits.push(d));
        call.onHangup((e) => hangups.push(e));
        call.answer().catch(() => undefined);
      },
    });
    const r = await runSipp(['-sf', scenario('uac-call.xml'), '-t', transport === 'udp' ? 'u1' : 't1', '-s', '4008001234', '-m', '1', `127.0.0.1:${h.port}`]);
    expectSippOk(r);
    await until(() => hangups.length > 0, 5000, 'hang-up event');
    const call = h.calls[0]!;
    expect(call.from).toBe('13800138000');
    expect(call.to).toBe('4008001234');
    expect(call.source).toMatch(new RegExp(`^${transport}:127\\.0\\.0\\.1:\\d+$`));
    expect(digits).toEqual([
      { digit: '5', source: 'sip-info' },
      { digit: '#', source: 'sip-info' },
    ]);
    expect(hangups).toEqual([{ by: 'remote', cause: 'bye' }]);
    expect(call.ended).toBe(true);
    // The SDP answer picked the caller's first codec (PCMA) and the media session is gone.
    expect(h.media.log.some((l) => l.startsWith(`remote ${call.legId} PCMA`))).toBe(true);
    expect(h.media.log).toContain(`destroy ${call.legId}`);
    expect(h.cc.health().details['activeDialogs']).toBe(0);
    // Every log line about the call carries the business call id the adapter minted, and the SIP Call-ID.
    const about = h.logs.filter((l) => l['component'] !== 'sip' && /call|DTMF|ACK|BYE|answer/i.test(String(l['msg'])));
    expect(about.length).toBeGreaterThan(3);
    expect(call.callId).toMatch(/^c[0-9a-z]+$/);
    for (const line of about) {
      expect(line['callId'], JSON.stringify(line)).toBe(call.callId);
      expect(line['sipCallId'], JSON.stringify(line)).toBe(call.legId);
    }
  });

  it('caller CANCEL → 487 and a remote "cancel" hang-up', async () => {
    const hangups: HangupEvent[] = [];
    h = await startHarness({ onCall: (call) => call.onHangup((e) => hangups.push(e)) });
    const r = await runSipp(['-sf', scenario('uac-cancel.xml'), '-s', '400', '-m', '1', `127.0.0.1:${h.port}`]);
    expectSippOk(r);
    await until(() => hangups.length > 0, 5000, 'hang-up event');
    expect(hangups).toEqual([{ by: 'remote', cause: 'cancel' }]);
  });

  it('answers malformed requests with 400 and keeps serving', async () => {
    h = await startHarness({});
    const r = await runSipp(['-sf', scenario('malformed.xml'), '-m', '1', `127.0.0.1:${h.port}`]);
    expectSippOk(r);
    expect(h.logs.some((l) => l['msg'] === 'SIP request malformed: answered statelessly')).toBe(true);
  });

  async function ring(scenarioArgs: string[], transport: 'udp' | 'tcp', act: (ctx: { outcome: Promise<RingOutcome>; cancel(): void; ringing: () => number }) => Promise<void>): Promise<SippResult> {
    h = await startHarness({});
    const port = await freePort();
    const sipp = runSipp([...scenarioArgs, '-t', transport === 'udp' ? 'u1' : 't1', '-p', String(port), '-m', '1']);
    if (transport === 'tcp') await waitForTcpListen(port);
    const attempt = h.cc.ring({ callId: 'biz-call-1', agentId: '1001', contact: agentAt(port, transport), callerNumber: '13800138000', callerName: 'Caller' });
    let ringing = 0;
    attempt.onRinging(() => (ringing += 1));
    await act({ outcome: attempt.outcome, cancel: () => attempt.cancel(), ringing: () => ringing });
    return sipp;
  }

  it.each(['udp', 'tcp'] as const)('ring() to a SIPp UAS (%s): ringing, answered, our BYE', async (transport) => {
    const r = await ring(['-sn', 'uas'], transport, async ({ outcome, ringing }) => {
      const o = await outcome;
      expect(o.kind).toBe('answered');
      expect(ringing()).toBe(1);
      if (o.kind !== 'answered') return;
      const hangups: HangupEvent[] = [];
      o.leg.onHangup((e) => hangups.push(e));
      await o.leg.hangup('agent-done');
      expect(hangups).toEqual([{ by: 'local', cause: 'agent-done' }]);
      expect(o.leg.ended).toBe(true);
    });
    expectSippOk(await r);
    const lines = h!.logs.filter((l) => l['msg'] === 'ringing agent: INVITE sent' || l['msg'] === 'ring settled');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l['callId']).toBe('biz-call-1');
  });

  it('ring() answered, the agent sends DTMF by INFO in our UAC dialog, we hang up', async () => {
    const r = await ring(['-sf', scenario('uas-answer.xml')], 'udp', async ({ outcome }) => {
      const o = await outcome;
      if (o.kind !== 'answered') throw new Error(`expected answered, got ${o.kind}`);
      const digits: string[] = [];
      o.leg.onDtmf((d) => digits.push(d.digit));
      await until(() => digits.length > 0, 5000, 'INFO digit');
      expect(digits).toEqual(['7']);
      await o.leg.hangup();
    });
    expectSippOk(await r);
    expect(h!.media.log.some((l) => / PCMA 127\.0\.0\.1:\d+ sendrecv$/.test(l))).toBe(true);
  });

  it('ring() declined with 486', async () => {
    const r = await ring(['-sf', scenario('uas-busy.xml')], 'udp', async ({ outcome }) => {
      expect(await outcome).toEqual({ kind: 'declined', sipStatus: 486 });
    });
    expectSippOk(await r);
    await until(() => h!.media.sessions.size === 0, 2000, 'media released');
  });

  it('ring() cancelled while ringing: CANCEL, 487 ACKed, outcome cancelled', async () => {
    const r = await ring(['-sf', scenario('uas-cancel.xml')], 'udp', async ({ outcome, cancel, ringing }) => {
      await until(() => ringing() > 0, 5000, 'ringing');
      cancel();
      expect(await outcome).toEqual({ kind: 'cancelled' });
    });
    expectSippOk(await r);
  });

  it('ring() whose 200 crosses our CANCEL: ACK then BYE, outcome still cancelled', async () => {
    const r = await ring(['-sf', scenario('uas-cross.xml')], 'udp', async ({ outcome, cancel, ringing }) => {
      await until(() => ringing() > 0, 5000, 'ringing');
      cancel();
      expect(await outcome).toEqual({ kind: 'cancelled' });
    });
    expectSippOk(await r);
    expect(h!.logs.some((l) => l['msg'] === 'a 2xx crossed our CANCEL: ACK then BYE')).toBe(true);
  });
});

// Keep the type import used (InboundCall is what the harness hands out).
export type { InboundCall };
