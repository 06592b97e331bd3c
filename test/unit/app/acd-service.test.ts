import { beforeEach, describe, expect, it } from 'vitest';
import type { FlowTransfers, TransferOutcome, TransferRequest as AgentTransferRequest } from '../../../src/app/flow-transfer.js';
import type { AgentConfig, QueueConfig } from '../../../src/domain/acd/model.js';
import { FakeLeg, settle } from '../../support/fakes.js';
import { acdStack } from '../../support/acd-stack.js';

const queues = new Map<string, QueueConfig>([
  ['sales', { id: 'sales', name: 'Sales', requiredSkills: ['sales'], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 10, musicOnHold: 'moh/default.wav' }],
]);
const agentConfigs = new Map<string, AgentConfig>([
  ['1001', { id: '1001', name: 'A', skills: { sales: 5 }, readyOnRegister: true }],
  ['1002', { id: '1002', name: 'B', skills: { sales: 5 }, readyOnRegister: true }],
  ['1003', { id: '1003', name: 'C', skills: { support: 5 }, readyOnRegister: false }],
]);

function harness(queueMap: ReadonlyMap<string, QueueConfig> = queues, agentTransfers?: FlowTransfers) {
  const stack = acdStack({ startMs: Date.UTC(2026, 10, 23, 2, 0, 0), queues: queueMap, agentConfigs, promptsDir: '/prompts', ...(agentTransfers ? { agentTransfers } : {}) });
  const { clock, store, calls, acd } = stack;
  const newCaller = async (callId: string): Promise<FakeLeg> => {
    const leg = new FakeLeg(`leg-${callId}`);
    const rec = { callId, leg, from: leg.from, to: leg.to, offeredAtMs: clock.nowMs(), stage: 'flow' as const };
    calls.add(rec);
    // The same hand-off the inbound-call handler makes.
    leg.onHangup(() => {
      const r = calls.get(callId);
      if (r?.stage === 'queued') void acd.callerLeft(callId).then(() => calls.finish(callId, 'caller', 'abandon'));
    });
    await acd.enqueue(callId, 'sales', 0, { language: 'en' });
    await settle();
    return leg;
  };
  const state = async (id: string) => (await store.getAgent(id))?.state;
  return { ...stack, newCaller, state };
}

/** Agent 1001 logged in and talking with caller c1 (queue sales): the start of the transfer tests. */
async function talkingWith1001(s: ReturnType<typeof harness>) {
  await s.agents.start(() => s.acd.dispatch());
  s.registrar.register('1001');
  await settle();
  const leg = await s.newCaller('c1');
  const agentLeg = new FakeLeg('agent-1');
  s.callControl.lastRing().settle({ kind: 'answered', leg: agentLeg });
  await settle();
  return { s, leg, agentLeg };
}

describe('ACD service', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(async () => {
    h = harness();
    await h.agents.start(() => h.acd.dispatch());
  });

  it('an agent becomes available when the phone registers (readyOnRegister) and logs out when it lapses', async () => {
    h.registrar.register('1001');
    await settle();
    expect((await h.state('1001'))?.name).toBe('available');
    h.registrar.register('1003');
    await settle();
    expect((await h.state('1003'))?.name).toBe('logged-out');
    h.registrar.unregister('1001');
    await settle();
    expect((await h.state('1001'))?.name).toBe('logged-out');
  });

  it('queues the caller with music on hold, rings the agent, bridges on answer, wrap-up then available', async () => {
    h.registrar.register('1001');
    await settle();
    const leg = await h.newCaller('c1');
    expect(leg.moh).toBe('/prompts/moh/default.wav');
    const ring = h.callControl.lastRing();
    expect(ring.req.agentId).toBe('1001');
    expect((await h.state('1001'))?.name).toBe('ringing');
    ring.ring();
    h.clock.advance(3000);
    const agentLeg = new FakeLeg('agent-leg');
    ring.settle({ kind: 'answered', leg: agentLeg });
    await settle();
    expect(h.callControl.bridges).toEqual([['leg-c1', 'agent-leg']]);
    expect((await h.state('1001'))?.name).toBe('on-call');
    const answered = h.sink.ofType('call.answered')[0];
    expect(answered).toMatchObject({ callId: 'c1', agentId: '1001', queueId: 'sales', waitMs: 3000, ringMs: 3000 });
    h.clock.advance(60_000);
    agentLeg.remoteHangup();
    await settle();
    expect(leg.ended).toBe(true);
    expect(h.sink.ofType('call.ended')[0]).toMatchObject({ callId: 'c1', hungUpBy: 'agent', talkMs: 60_000 });
    expect((await h.state('1001'))?.name).toBe('wrap-up');
    h.clock.advance(10_000);
    await settle();
    expect((await h.state('1001'))?.name).toBe('available');
    expect(h.sink.ofType('agent.wrapup-ended')[0]).toMatchObject({ agentId: '1001', wrapupMs: 10_000 });
  });

  it('RONA: after the ring timeout the agent goes not-ready (rona) and the next agent is tried', async () => {
    h.registrar.register('1001');
    h.clock.advance(1000);
    h.registrar.register('1002');
    await settle();
    await h.newCaller('c1');
    const first = h.callControl.lastRing();
    expect(first.req.agentId).toBe('1001');
    h.clock.advance(15_000);
    await settle();
    expect(first.cancelled).toBe(true);
    expect(await h.state('1001')).toMatchObject({ name: 'not-ready', reason: 'rona' });
    expect(h.sink.ofType('agent.rona')[0]).toMatchObject({ callId: 'c1', agentId: '1001', ringMs: 15_000 });
    const second = h.callControl.lastRing();
    expect(second.req.agentId).toBe('1002');
    second.settle({ kind: 'answered', leg: new FakeLeg('agent2') });
    await settle();
    expect(h.sink.ofType('call.answered')[0]).toMatchObject({ agentId: '1002', waitMs: 15_000, ringMs: 0 });
  });

  it('a decline (486) frees the agent and excludes it for that caller only', async () => {
    h.registrar.register('1001');
    await settle();
    await h.newCaller('c1');
    h.callControl.lastRing().settle({ kind: 'declined', sipStatus: 486 });
    await settle();
    expect((await h.state('1001'))?.name).toBe('available');
    expect(h.callControl.rings).toHaveLength(1); // not offered the same caller again
    expect(h.sink.ofType('agent.declined')[0]).toMatchObject({ agentId: '1001', sipStatus: 486 });
    await h.newCaller('c2');
    expect(h.callControl.lastRing().req.callId).toBe('c2');
  });

  it('a caller hanging up while queued is an abandon with its wait', async () => {
    const leg = await h.newCaller('c1');
    h.clock.advance(7000);
    leg.remoteHangup();
    await settle();
    expect(h.sink.ofType('call.abandoned')[0]).toMatchObject({ callId: 'c1', queueId: 'sales', waitMs: 7000, whileRinging: false });
    expect(h.sink.ofType('call.ended')[0]).toMatchObject({ callId: 'c1', hungUpBy: 'caller', cause: 'abandon' });
    expect(await h.store.listWaiting()).toEqual([]);
  });

  it('a caller hanging up while an agent rings cancels the ring; the agent is available again', async () => {
    h.registrar.register('1001');
    await settle();
    const leg = await h.newCaller('c1');
    const ring = h.callControl.lastRing();
    h.clock.advance(2000);
    leg.remoteHangup();
    await settle();
    expect(ring.cancelled).toBe(true);
    expect(h.sink.ofType('call.abandoned')[0]).toMatchObject({ whileRinging: true, waitMs: 2000 });
    expect((await h.state('1001'))?.name).toBe('available');
    expect(h.sink.ofType('agent.rona')).toEqual([]);
  });

  it('if the caller left as the agent answered, the agent leg is hung up and the agent freed', async () => {
    h.registrar.register('1001');
    await settle();
    const leg = await h.newCaller('c1');
    const ring = h.callControl.lastRing();
    // The 200 OK is in (its outcome not yet handled) when the caller's BYE is processed.
    const agentLeg = new FakeLeg('agent');
    ring.settle({ kind: 'answered', leg: agentLeg });
    leg.remoteHangup();
    await settle();
    expect(agentLeg.ended).toBe(true);
    expect((await h.state('1001'))?.name).toBe('available');
    expect(h.sink.ofType('call.answered')).toEqual([]);
  });

  it('API: ready needs a registered phone; unknown agent is an error; not-ready during a call waits for wrap-up end', async () => {
    const unknown = await h.agents.request('9999', { state: 'ready' });
    expect(!unknown.ok && unknown.error.code).toBe('HOTLINE_E_AGENT_NOT_FOUND');
    const unreg = await h.agents.request('1003', { state: 'ready' });
    expect(!unreg.ok && unreg.error.code).toBe('HOTLINE_E_AGENT_NOT_REGISTERED');
    h.registrar.register('1001');
    await settle();
    await h.newCaller('c1');
    const agentLeg = new FakeLeg('agent');
    h.callControl.lastRing().settle({ kind: 'answered', leg: agentLeg });
    await settle();
    const nr = await h.agents.request('1001', { state: 'not-ready', reason: 'break' });
    expect(nr.ok && nr.value.state).toMatchObject({ name: 'on-call', pending: { to: 'not-ready', reason: 'break' } });
    agentLeg.remoteHangup();
    await settle();
    h.clock.advance(10_000);
    await settle();
    expect(await h.state('1001')).toMatchObject({ name: 'not-ready', reason: 'break' });
  });

  it('ready during wrap-up ends it early and the next caller is offered', async () => {
    h.registrar.register('1001');
    await settle();
    await h.newCaller('c1');
    const agentLeg = new FakeLeg('agent');
    h.callControl.lastRing().settle({ kind: 'answered', leg: agentLeg });
    await settle();
    agentLeg.remoteHangup();
    await settle();
    await h.newCaller('c2');
    expect(h.callControl.rings).toHaveLength(1);
    h.clock.advance(2000);
    const res = await h.agents.request('1001', { state: 'ready' });
    expect(res.ok).toBe(true);
    await settle();
    expect(h.callControl.lastRing().req.callId).toBe('c2');
    expect(h.sink.ofType('agent.wrapup-ended')[0]).toMatchObject({ wrapupMs: 2000 });
  });

  it('never offers two calls to one agent', async () => {
    h.registrar.register('1001');
    await settle();
    await Promise.all([h.newCaller('c1'), h.newCaller('c2'), h.newCaller('c3')]);
    await settle();
    expect(h.callControl.rings).toHaveLength(1);
  });

  it('post-call survey: when the agent hangs up first the caller is asked for a score; when the caller does, not', async () => {
    const survey = { askPrompt: 'acd/{lang}/survey-ask.wav', thanksPrompt: 'acd/{lang}/survey-thanks.wav', timeoutSec: 8, maxAttempts: 2 };
    const sq = new Map([['sales', { ...(queues.get('sales') as QueueConfig), survey }]]);
    const s = harness(sq);
    await s.agents.start(() => s.acd.dispatch());
    s.registrar.register('1001');
    s.registrar.register('1002');
    await settle();
    const answer = async (callId: string, agentLegId: string) => {
      const leg = await s.newCaller(callId);
      const ring = s.callControl.lastRing();
      const agentLeg = new FakeLeg(agentLegId);
      ring.settle({ kind: 'answered', leg: agentLeg });
      await settle();
      return { leg, agentLeg };
    };
    const one = await answer('c1', 'agent-1');
    s.clock.advance(30_000);
    one.agentLeg.remoteHangup();
    await settle();
    // The call (talk time) ended with the agent's hang-up; the caller is still on the line, hearing the question.
    expect(s.sink.ofType('call.ended')[0]).toMatchObject({ callId: 'c1', hungUpBy: 'agent', talkMs: 30_000 });
    expect(one.leg.ended).toBe(false);
    expect(one.leg.plays.at(-1)).toEqual(['/prompts/acd/en/survey-ask.wav']);
    one.leg.press('5');
    one.leg.finishPlay('interrupted');
    await settle();
    one.leg.finishPlay('done');
    await settle();
    expect(s.sink.ofType('csat.scored')).toEqual([expect.objectContaining({ callId: 'c1', queueId: 'sales', agentId: expect.any(String), score: 5 })]);
    expect(one.leg.ended).toBe(true);

    const two = await answer('c2', 'agent-2');
    two.leg.remoteHangup();
    await settle();
    expect(two.agentLeg.ended).toBe(true);
    expect(two.leg.plays.some((p) => p[0]?.includes('survey'))).toBe(false);
    expect(s.sink.ofType('csat.scored')).toHaveLength(1);
  });

  it('an agent blind-transfers (REFER) to another queue: agent.transferred, the agent to wrap-up, the caller queued there', async () => {
    const twoQueues = new Map([
      ['sales', queues.get('sales') as QueueConfig],
      ['support', { id: 'support', name: 'Support', requiredSkills: ['support'], strategy: 'longest-idle' as const, ringTimeoutSec: 15, wrapupSec: 10, musicOnHold: 'moh/support.wav' }],
    ]);
    const { s, leg, agentLeg } = await talkingWith1001(harness(twoQueues));
    s.clock.advance(40_000);
    agentLeg.requestTransfer('nowhere');
    agentLeg.requestTransfer('1001');
    expect(agentLeg.transferResults).toEqual([
      { target: 'nowhere', ok: false, sipStatus: 404 },
      { target: '1001', ok: false, sipStatus: 482 },
    ]);
    expect(agentLeg.ended).toBe(false);
    agentLeg.requestTransfer('support');
    await settle();
    expect(agentLeg.transferResults.at(-1)).toEqual({ target: 'support', ok: true });
    expect(s.sink.ofType('agent.transferred')).toEqual([expect.objectContaining({ callId: 'c1', queueId: 'sales', agentId: '1001', kind: 'blind', target: 'support', talkMs: 40_000 })]);
    expect(agentLeg.ended).toBe(true);
    expect(leg.ended).toBe(false);
    expect(s.sink.ofType('call.ended')).toEqual([]);
    expect((await s.state('1001'))?.name).toBe('wrap-up');
    expect(s.sink.ofType('queue.joined').map((e) => [e.queueId, e.callId])).toEqual([['sales', 'c1'], ['support', 'c1']]);
    expect(leg.moh).toBe('/prompts/moh/support.wav');
    expect(s.calls.get('c1')).toMatchObject({ stage: 'queued', queueId: 'support' });
    // The caller still hangs up normally from the new queue: an abandon there.
    leg.remoteHangup();
    await settle();
    expect(s.sink.ofType('call.abandoned')).toEqual([expect.objectContaining({ callId: 'c1', queueId: 'support' })]);
  });

  it('a blind transfer to a colleague rings the colleague; when that fails the caller goes back to its queue', async () => {
    const started: AgentTransferRequest[] = [];
    let finish: (o: TransferOutcome) => void = () => undefined;
    const transfers: FlowTransfers = {
      start(req) {
        started.push(req);
        return { outcome: new Promise<TransferOutcome>((resolve) => (finish = resolve)), cancel: () => undefined };
      },
    };
    const { s, leg, agentLeg } = await talkingWith1001(harness(queues, transfers));
    agentLeg.requestTransfer('1002');
    await settle();
    expect(agentLeg.transferResults).toEqual([{ target: '1002', ok: true }]);
    expect(started.map((r) => [r.rec.callId, r.target])).toEqual([['c1', { kind: 'agent', agentId: '1002' }]]);
    expect(leg.moh).toBe('/prompts/moh/default.wav'); // music while the colleague rings
    expect(s.sink.ofType('agent.transferred')[0]).toMatchObject({ agentId: '1001', target: '1002' });
    finish({ outcome: 'failed', reason: 'no-answer' });
    await settle();
    expect(s.sink.ofType('queue.joined').map((e) => e.queueId)).toEqual(['sales', 'sales']);
    expect(s.calls.get('c1')?.stage).toBe('queued');
  });
});
