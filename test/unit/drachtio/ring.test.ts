/** Ringing an agent through drachtio + FreeSWITCH, on fakes: the INVITE, the outcomes, CANCEL and the rest. */
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentContact, HangupEvent, RingAttempt, RingOutcome } from '../../../src/ports/call-control.js';
import { FS_OFFER_SDP, FakeDialog, FakeEndpoint, SipError, flush } from './fakes.js';
import { startHarness, T0, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.cc.close();
  h = undefined;
});

const contact: AgentContact = {
  aor: 'sip:1001@hotline.local',
  contactUri: 'sip:1001@192.0.2.10:5072;transport=udp',
  transport: 'udp',
  sourceHost: '127.0.0.1',
  sourcePort: 5072,
  expiresAtMs: T0 + 600_000,
};
const AGENT_SDP = 'v=0\r\no=agent 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 7000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n';

async function ring(harness: Harness): Promise<{ attempt: RingAttempt; ringing: () => number; ep: FakeEndpoint; settled: () => RingOutcome | undefined }> {
  const attempt = harness.cc.ring({ callId: 'cbiz1', agentId: '1001', contact, callerNumber: '13800138000', callerName: 'Caller' });
  let n = 0;
  attempt.onRinging(() => (n += 1));
  let outcome: RingOutcome | undefined;
  void attempt.outcome.then((o) => (outcome = o));
  await flush();
  return { attempt, ringing: () => n, ep: harness.ms.endpoints.at(-1)!, settled: () => outcome };
}

describe('ring an agent', () => {
  it("offers FreeSWITCH's SDP to the phone's registered flow, and the channel takes the phone's answer", async () => {
    h = await startHarness();
    const { attempt, ringing, ep } = await ring(h);
    expect(h.ms.creates[0]!.opts).toEqual({ headers: { 'X-Hotline-Instance': 'app-1', 'X-Hotline-Safety-Sec': '300', 'X-Hotline-Call-Id': 'cbiz1' } });
    const uac = h.srf.uac[0]!;
    expect(uac.uri).toBe(contact.contactUri);
    expect(uac.opts).toMatchObject({
      localSdp: FS_OFFER_SDP,
      proxy: 'sip:127.0.0.1:5072;transport=udp',
      callingNumber: '13800138000',
      callingName: 'Caller',
      headers: { 'User-Agent': 'hotline', To: '<sip:1001@hotline.local>' },
    });
    uac.progress!.cbRequest!(null, uac.request.asSrf());
    uac.progress!.cbProvisional!({ status: 180 } as never);
    expect(ringing()).toBe(1);
    const agentDialog = new FakeDialog({ callId: 'uac-1@hotline', localTag: 'l', remoteTag: 'r' }, FS_OFFER_SDP, AGENT_SDP);
    uac.result.resolve(agentDialog.asSrf());
    await flush();
    expect(ep.dialog.modifies).toEqual([AGENT_SDP]);
    ep.dialog.modifyResult!.resolve('v=0\r\nfs\r\n');
    const outcome = await attempt.outcome;
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.leg.legId).toBe('uac-1@hotline');
    const hangups: HangupEvent[] = [];
    outcome.leg.onHangup((e) => hangups.push(e));
    agentDialog.remoteBye();
    await flush();
    expect(hangups).toEqual([{ by: 'remote', cause: 'bye' }]);
    expect(ep.destroyed).toBe(1);
    const logged = h.lines.filter((l) => l['msg'] === 'ringing agent: INVITE sent' || l['msg'] === 'ring settled');
    expect(logged).toHaveLength(2);
    for (const l of logged) expect(l).toMatchObject({ callId: 'cbiz1', agentId: '1001' });
  });

  it.each([
    [486, { kind: 'declined', sipStatus: 486 }],
    [603, { kind: 'declined', sipStatus: 603 }],
    [408, { kind: 'failed', sipStatus: 408, reason: '408 no answer (timeout)' }],
    [500, { kind: 'failed', sipStatus: 500, reason: '500' }],
  ] as const)('a %i ends the ring (%j) and releases the channel', async (status, expected) => {
    h = await startHarness();
    const { attempt, ep } = await ring(h);
    h.srf.uac[0]!.result.reject(new SipError(status));
    expect(await attempt.outcome).toEqual(expected);
    await flush();
    expect(ep.destroyed).toBe(1);
  });

  it('RONA / abandon: cancel() sends CANCEL; the 487 that follows releases the channel', async () => {
    h = await startHarness();
    const { attempt, ep } = await ring(h);
    const uac = h.srf.uac[0]!;
    uac.progress!.cbRequest!(null, uac.request.asSrf());
    uac.progress!.cbProvisional!({ status: 180 } as never);
    attempt.cancel();
    expect(await attempt.outcome).toEqual({ kind: 'cancelled' });
    expect(uac.request.cancelled).toBe(1);
    expect(ep.destroyed).toBe(0);
    uac.result.reject(new SipError(487));
    await flush();
    expect(ep.destroyed).toBe(1);
  });

  it('cancel() before the INVITE left: the CANCEL goes as soon as the request is known', async () => {
    h = await startHarness();
    const { attempt } = await ring(h);
    attempt.cancel();
    expect(await attempt.outcome).toEqual({ kind: 'cancelled' });
    const uac = h.srf.uac[0]!;
    expect(uac.request.cancelled).toBe(0);
    uac.progress!.cbRequest!(null, uac.request.asSrf());
    expect(uac.request.cancelled).toBe(1);
  });

  it('a 2xx that crosses our CANCEL is ended with BYE; the outcome stays "cancelled"', async () => {
    h = await startHarness();
    const { attempt, ep } = await ring(h);
    const uac = h.srf.uac[0]!;
    uac.progress!.cbRequest!(null, uac.request.asSrf());
    attempt.cancel();
    const late = new FakeDialog({ callId: 'uac-1@hotline', localTag: 'l', remoteTag: 'r' }, FS_OFFER_SDP, AGENT_SDP);
    uac.result.resolve(late.asSrf());
    await flush();
    expect(await attempt.outcome).toEqual({ kind: 'cancelled' });
    expect(late.destroyed).toBe(1);
    expect(ep.destroyed).toBe(1);
  });

  it("an answer FreeSWITCH cannot use fails the ring: BYE to the phone, channel released", async () => {
    h = await startHarness();
    const { attempt, ep } = await ring(h);
    const uac = h.srf.uac[0]!;
    const d = new FakeDialog({ callId: 'uac-1@hotline', localTag: 'l', remoteTag: 'r' }, FS_OFFER_SDP, AGENT_SDP);
    uac.result.resolve(d.asSrf());
    await flush();
    ep.dialog.modifyResult!.reject(new SipError(488));
    expect(await attempt.outcome).toEqual({ kind: 'failed', sipStatus: 200, reason: 'unusable SDP answer' });
    await flush();
    expect(d.destroyed).toBe(1);
    expect(ep.destroyed).toBe(1);
  });

  it('cancel() while FreeSWITCH makes the channel: cancelled at once, the channel released when it comes', async () => {
    h = await startHarness();
    h.ms.autoCreate = undefined;
    const attempt = h.cc.ring({ callId: 'cbiz2', agentId: '1001', contact, callerNumber: '1' });
    await flush();
    attempt.cancel();
    expect(await attempt.outcome).toEqual({ kind: 'cancelled' });
    const ep = new FakeEndpoint(FS_OFFER_SDP);
    h.ms.creates[0]!.result.resolve(ep.asEp());
    await flush();
    expect(ep.destroyed).toBe(1);
    expect(h.srf.uac).toHaveLength(0);
  });

  it('fails at once while FreeSWITCH is not connected', async () => {
    h = await startHarness();
    h.ms.lose();
    const attempt = h.cc.ring({ callId: 'cbiz3', agentId: '1001', contact, callerNumber: '1' });
    expect(await attempt.outcome).toEqual({ kind: 'failed', reason: 'drachtio-server or FreeSWITCH is not connected' });
  });

  it('bridge: stops what plays on both legs, then uuid_bridge of their channels', async () => {
    h = await startHarness();
    h.invite();
    const { call, ep: callerEp } = await h.answerLast();
    call.startMusicOnHold('/p/moh.wav');
    await flush();
    const { attempt, ep: agentEp } = await ring(h);
    const uac = h.srf.uac[0]!;
    uac.result.resolve(new FakeDialog({ callId: 'uac-1@hotline', localTag: 'l', remoteTag: 'r' }, FS_OFFER_SDP, AGENT_SDP).asSrf());
    await flush();
    agentEp.dialog.modifyResult!.resolve('v=0\r\n');
    const outcome = await attempt.outcome;
    if (outcome.kind !== 'answered') throw new Error(outcome.kind);
    const bridged = h.cc.bridge(call, outcome.leg);
    await flush();
    callerEp.complete(); // the music stops after uuid_break
    await bridged;
    const apis = h.ms.apis.filter((c) => c.startsWith('uuid_b'));
    expect(apis).toEqual([`uuid_break ${callerEp.uuid} all`, `uuid_bridge ${callerEp.uuid} ${agentEp.uuid}`]);
  });
});
