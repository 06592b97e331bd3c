/** The AcdService carrying out the core's decisions on (fake) legs: media, exits, callbacks over CallControl.dial. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentConfig, QueueConfig } from '../../../src/domain/acd/model.js';
import type { DialRequest, RingAttempt } from '../../../src/ports/call-control.js';
import { FakeCallControl, FakeLeg, FakeRing, settle } from '../../support/fakes.js';
import { acdStack } from '../../support/acd-stack.js';

class DialingCallControl extends FakeCallControl {
  dials: Array<{ req: DialRequest; ring: FakeRing }> = [];
  dial(req: DialRequest): RingAttempt {
    const ring = new FakeRing({ callId: req.callId, agentId: 'callback', contact: { aor: req.target.uri, contactUri: req.target.uri, transport: req.target.transport, sourceHost: req.target.host, sourcePort: req.target.port, expiresAtMs: 0 }, callerNumber: req.fromNumber });
    this.dials.push({ req, ring });
    return ring;
  }
}

const trunk = { host: '127.0.0.1', port: 5099, transport: 'udp' as const };
const queues = new Map<string, QueueConfig>([
  [
    'sales',
    {
      id: 'sales',
      name: 'Sales',
      requiredSkills: ['sales'],
      strategy: 'longest-idle',
      ringTimeoutSec: 15,
      wrapupSec: 0,
      musicOnHold: 'moh/sales.wav',
      announce: { onJoin: true, positionEverySec: 60, ewt: false, comfortEverySec: 0, comfortPrompt: 'acd/{lang}/comfort.wav' },
      maxWaitSec: 300,
      onMaxWait: { kind: 'queue', queueId: 'support', prompts: ['acd/{lang}/transferring.wav'] },
      exitKey: { digit: '0', exit: { kind: 'flow', node: 'main-menu', prompts: [] } },
      callback: { key: '1', offerAfterSec: 10, offerEverySec: 60, maxAttempts: 2, retryAfterSec: 60, dialTimeoutSec: 30, expireAfterSec: 3600, trunk },
    },
  ],
  ['support', { id: 'support', name: 'Support', requiredSkills: ['support'], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 0, musicOnHold: 'moh/support.wav', maxLength: 0 }],
]);
const agentConfigs = new Map<string, AgentConfig>([['1001', { id: '1001', name: 'A', skills: { sales: 5 }, readyOnRegister: true }]]);

function harness(exitToFlow?: (callId: string, node: string) => boolean) {
  const stack = acdStack({ startMs: Date.UTC(2026, 0, 5, 2), queues, agentConfigs, promptsDir: '/prompts', callControl: new DialingCallControl(), ...(exitToFlow ? { exitToFlow } : {}) });
  const { clock, calls, acd } = stack;
  const caller = async (callId: string, from = '13912345678'): Promise<FakeLeg> => {
    const leg = new FakeLeg(`leg-${callId}`, from);
    calls.add({ callId, leg, from, to: '4008208820', offeredAtMs: clock.nowMs(), stage: 'flow' });
    // The inbound-call handler's hang-up hand-off.
    leg.onHangup(() => {
      if (calls.get(callId)?.stage === 'queued') void acd.callerLeft(callId).then(() => calls.finish(callId, 'caller', 'abandon'));
    });
    await acd.enqueue(callId, 'sales', 0);
    await settle();
    return leg;
  };
  const advance = async (ms: number) => {
    clock.advance(ms);
    await settle();
  };
  return { ...stack, caller, advance };
}

describe('ACD service: queue media, exits and callbacks on legs', () => {
  let h: ReturnType<typeof harness>;
  beforeEach(async () => {
    h = harness();
    await h.agents.start();
  });

  it('position on joining over the queue\'s music, then the music again; the store mirrors the caller', async () => {
    const leg = await h.caller('c1');
    expect(leg.plays[0]).toEqual(['/prompts/acd/zh/you-are-next.wav']);
    expect(leg.moh).toBeUndefined();
    leg.finishPlay();
    await settle();
    expect(leg.moh).toBe('/prompts/moh/sales.wav');
    expect(await h.store.listWaiting('sales')).toEqual([expect.objectContaining({ callId: 'c1', state: 'waiting' })]);
    expect(h.sink.ofType('queue.announced')[0]).toMatchObject({ kind: 'position', position: 1 });
  });

  it('exit key → the flow takes the call back at a node; without a flow hook the call is hung up', async () => {
    const resumed: string[] = [];
    const withFlow = harness((callId, node) => {
      resumed.push(`${callId}@${node}`);
      return true;
    });
    await withFlow.agents.start();
    const leg = await withFlow.caller('c1');
    leg.press('0');
    await settle();
    expect(resumed).toEqual(['c1@main-menu']);
    expect(withFlow.calls.get('c1')?.stage).toBe('flow');
    expect(leg.ended).toBe(false);

    const leg2 = await h.caller('c2');
    leg2.press('0');
    await settle();
    expect(leg2.ended).toBe(true);
    expect(h.sink.ofType('call.ended')[0]).toMatchObject({ callId: 'c2', hungUpBy: 'system', cause: 'queue-exit-main-menu' });
  });

  it('max wait → overflow to a full queue → its full exit: prompt, then hang-up', async () => {
    const leg = await h.caller('c1');
    leg.finishPlay();
    await h.advance(300_000);
    expect(h.sink.ofType('queue.exited').map((e) => [e.queueId, e.reason, e.action])).toEqual([
      ['sales', 'max-wait', 'queue'],
      ['support', 'full', 'hangup'],
    ]);
    expect(leg.plays.at(-1)).toEqual(['/prompts/acd/zh/queue-full.wav']);
    leg.finishPlay();
    await settle();
    expect(leg.ended).toBe(true);
    expect(h.sink.ofType('call.ended')[0]).toMatchObject({ callId: 'c1', hungUpBy: 'system', cause: 'queue-full' });
  });

  it('callback keeping the place: accept, hang up, the agent is reserved, the caller dialled back and bridged', async () => {
    const leg = await h.caller('c1');
    leg.finishPlay();
    await h.advance(10_000);
    expect(leg.plays.at(-1)).toEqual(['/prompts/acd/zh/callback-offer.wav']);
    leg.press('1');
    await settle();
    expect(leg.plays.at(-1)).toEqual(['/prompts/acd/zh/callback-confirm.wav']);
    expect(h.calls.get('c1')?.stage).toBe('callback');
    leg.finishPlay();
    await settle();
    expect(leg.ended).toBe(true);
    expect(h.sink.ofType('call.abandoned')).toEqual([]);
    expect(h.sink.ofType('call.ended')).toEqual([]);
    // An agent logs in: reserved, and the caller's own number is dialled through the trunk.
    h.registrar.register('1001');
    await settle();
    expect(h.callControl.rings).toHaveLength(0);
    const dial = h.callControl.dials[0];
    expect(dial?.req).toEqual({ callId: 'c1', target: { uri: 'sip:13912345678@127.0.0.1:5099', host: '127.0.0.1', port: 5099, transport: 'udp' }, fromNumber: '4008208820' });
    expect((await h.store.getAgent('1001'))?.state).toMatchObject({ name: 'reserved', callId: 'c1' });
    const back = new FakeLeg('callback-leg', '13912345678');
    dial?.ring.settle({ kind: 'answered', leg: back });
    await settle();
    expect(back.plays[0]).toEqual(['/prompts/acd/zh/callback-connecting.wav']);
    const ring = h.callControl.lastRing();
    expect(ring.req).toMatchObject({ callId: 'c1', agentId: '1001', callerNumber: '13912345678' });
    const agentLeg = new FakeLeg('agent');
    ring.settle({ kind: 'answered', leg: agentLeg });
    await settle();
    expect(h.callControl.bridges).toEqual([['callback-leg', 'agent']]);
    expect(h.sink.ofType('queue.callback-attempt')[0]).toMatchObject({ callId: 'c1', agentId: '1001', attempt: 1, outcome: 'answered' });
    back.remoteHangup();
    await settle();
    expect(agentLeg.ended).toBe(true);
    expect(h.sink.ofType('call.ended')).toEqual([expect.objectContaining({ callId: 'c1', hungUpBy: 'caller', agentId: '1001' })]);
    expect((await h.store.getAgent('1001'))?.state.name).toBe('available');
  });

  it('callback not answered twice: given up, the call ends, the agent is free', async () => {
    const leg = await h.caller('c1');
    leg.finishPlay();
    await h.advance(10_000);
    leg.press('1');
    await settle();
    h.registrar.register('1001');
    await settle();
    h.callControl.dials[0]?.ring.settle({ kind: 'failed', sipStatus: 480, reason: 'Temporarily Unavailable' });
    await settle();
    expect((await h.store.getAgent('1001'))?.state.name).toBe('available');
    await h.advance(60_000);
    expect(h.callControl.dials).toHaveLength(2);
    await h.advance(30_000); // dial timeout: the core cancels the attempt
    expect(h.callControl.dials[1]?.ring.cancelled).toBe(true);
    expect(h.sink.ofType('queue.callback-attempt').map((e) => e.outcome)).toEqual(['no-answer', 'no-answer']);
    expect(h.sink.ofType('call.ended')[0]).toMatchObject({ callId: 'c1', hungUpBy: 'system', cause: 'callback-failed' });
  });

  it('a caller hanging up the callback leg before an agent answers is an abandon', async () => {
    const leg = await h.caller('c1');
    leg.finishPlay();
    await h.advance(10_000);
    leg.press('1');
    await settle();
    h.registrar.register('1001');
    await settle();
    const back = new FakeLeg('callback-leg');
    h.callControl.dials[0]?.ring.settle({ kind: 'answered', leg: back });
    await settle();
    back.remoteHangup();
    await settle();
    expect(h.callControl.lastRing().cancelled).toBe(true);
    expect(h.sink.ofType('call.abandoned')[0]).toMatchObject({ callId: 'c1', whileRinging: true });
    expect(h.sink.ofType('call.ended')[0]).toMatchObject({ callId: 'c1', cause: 'abandon' });
  });
});
