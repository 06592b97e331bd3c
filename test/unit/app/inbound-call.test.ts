import { readFile } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.js';
import { AgentService } from '../../../src/app/agent-service.js';
import { AcdService } from '../../../src/app/acd-service.js';
import { CallRecords } from '../../../src/app/call-records.js';
import { makeEmitter } from '../../../src/app/events.js';
import { handleInboundCall, type InboundDeps } from '../../../src/app/inbound-call.js';
import type { AgentConfig, QueueConfig } from '../../../src/domain/acd/model.js';
import { FakeCallControl, FakeLeg, FakeRegistrar, MemorySink, settle, silentLogger } from '../../support/fakes.js';
import { SKELETON_FLOW, flowFromYaml } from '../flow/support.js';

const q = (id: string): QueueConfig => ({ id, name: id, requiredSkills: [id], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 0, musicOnHold: 'moh/default.wav' });
const queues = new Map([['sales', q('sales')], ['support', q('support')]]);
const agentConfigs = new Map<string, AgentConfig>([['1001', { id: '1001', name: 'A', skills: { sales: 5 }, readyOnRegister: true }]]);

describe('inbound call: number → flow → queue, on the skeleton-400 flow', () => {
  let clock: ManualClock;
  let sink: MemorySink;
  let deps: InboundDeps;
  let calls: CallRecords;
  let callControl: FakeCallControl;

  beforeEach(async () => {
    const flow = flowFromYaml(await readFile(SKELETON_FLOW, 'utf8'));
    clock = new ManualClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    sink = new MemorySink();
    const emit = makeEmitter(sink, clock);
    const store = new MemoryStore();
    const registrar = new FakeRegistrar();
    callControl = new FakeCallControl();
    calls = new CallRecords(clock, emit);
    const agents = new AgentService({ store, clock, emit, logger: silentLogger, agents: agentConfigs, registrar });
    const acd = new AcdService({ store, clock, emit, logger: silentLogger, callControl, registrar, agents, agentConfigs, queues, calls, promptsDir: '/prompts' });
    await agents.start(() => acd.dispatch());
    deps = { clock, emit, logger: silentLogger, numbers: { '4008208820': 'skeleton-400' }, flows: { get: (id) => (id === flow.id ? flow : undefined) }, calls, acd, promptsDir: '/prompts' };
  });

  it('an unknown number is rejected with 404 and logged', async () => {
    const leg = new FakeLeg('l1', '13800138000', '4001234567');
    handleInboundCall(deps, leg);
    await settle();
    expect(leg.rejected).toBe(404);
    expect(leg.answered).toBe(false);
    expect(sink.types()).toEqual(['call.offered', 'call.rejected']);
  });

  it('answers, plays the greeting; key 1 during it (barge-in) goes straight to sales with music on hold', async () => {
    const leg = new FakeLeg('l1');
    handleInboundCall(deps, leg);
    await settle();
    expect(leg.answered).toBe(true);
    expect(leg.plays[0]?.[0]).toBe('/prompts/zh/welcome.wav');
    leg.press('1');
    leg.finishPlay('interrupted');
    await settle();
    // the queue node's please-hold prompt, then the queue
    expect(leg.plays.at(-1)).toEqual(['/prompts/zh/please-hold.wav']);
    leg.finishPlay('done');
    await settle();
    expect(leg.moh).toBe('/prompts/moh/default.wav');
    const offered = sink.ofType('call.offered')[0];
    expect(offered).toMatchObject({ from: '13800138000', to: '4008208820', flowId: 'skeleton-400', flowVersion: '1' });
    expect(sink.ofType('queue.joined')[0]).toMatchObject({ queueId: 'sales', position: 1 });
    expect(sink.ofType('digits.received')[0]).toMatchObject({ digits: '1', source: 'rfc4733' });
  });

  it('no key three times: goodbye, the engine hangs up, call.ended by system', async () => {
    const leg = new FakeLeg('l1');
    handleInboundCall(deps, leg);
    await settle();
    for (let i = 0; i < 12 && !leg.ended; i += 1) {
      leg.finishPlay('done');
      await settle();
      clock.advance(5000);
      await settle();
    }
    expect(leg.ended).toBe(true);
    expect(leg.plays.some((p) => p[0] === '/prompts/zh/goodbye.wav')).toBe(true);
    expect(sink.ofType('menu.failed').map((e) => e.kind)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(sink.ofType('call.ended')[0]).toMatchObject({ hungUpBy: 'system', cause: 'normal' });
    expect(clock.timerCount).toBe(0);
  });

  it('a caller hanging up in the menu ends the call (no abandon: never queued) and leaves no timer', async () => {
    const leg = new FakeLeg('l1');
    handleInboundCall(deps, leg);
    await settle();
    leg.finishPlay('done');
    await settle();
    leg.remoteHangup();
    await settle();
    expect(sink.ofType('call.ended')[0]).toMatchObject({ hungUpBy: 'caller' });
    expect(sink.ofType('call.abandoned')).toEqual([]);
    expect(calls.size).toBe(0);
    clock.advance(60_000);
    expect(clock.timerCount).toBe(0);
  });
});

describe('inbound call: a queue exit to a flow node gives the call back to its flow', () => {
  it('the exit key leaves sales for the main menu of the same flow, which takes keys again', async () => {
    const flow = flowFromYaml(await readFile(SKELETON_FLOW, 'utf8'));
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 1, 0, 0));
    const sink = new MemorySink();
    const emit = makeEmitter(sink, clock);
    const registrar = new FakeRegistrar();
    const calls = new CallRecords(clock, emit);
    const exitQueues = new Map([
      ['sales', { ...q('sales'), exitKey: { digit: '0', exit: { kind: 'flow' as const, node: 'main-menu', prompts: [] } } }],
      ['support', q('support')],
    ]);
    const agents = new AgentService({ store: new MemoryStore(), clock, emit, logger: silentLogger, agents: agentConfigs, registrar });
    const acd = new AcdService({
      store: new MemoryStore(), clock, emit, logger: silentLogger, callControl: new FakeCallControl(), registrar, agents, agentConfigs, queues: exitQueues, calls, promptsDir: '/prompts',
      exitToFlow: (callId, node) => calls.get(callId)?.resumeFlow?.(node) ?? false,
    });
    await agents.start(() => acd.dispatch());
    const deps: InboundDeps = { clock, emit, logger: silentLogger, numbers: { '4008208820': 'skeleton-400' }, flows: { get: (id) => (id === flow.id ? flow : undefined) }, calls, acd, promptsDir: '/prompts' };
    const leg = new FakeLeg('l1');
    handleInboundCall(deps, leg);
    await settle();
    leg.press('1');
    leg.finishPlay('interrupted');
    await settle();
    leg.finishPlay('done');
    await settle();
    expect(calls.get(leg.callId)?.stage).toBe('queued');
    leg.press('0');
    await settle();
    expect(sink.ofType('queue.exited')[0]).toMatchObject({ queueId: 'sales', reason: 'exit-key', action: 'flow', target: 'main-menu', key: '0', position: 1 });
    expect(calls.get(leg.callId)?.stage).toBe('flow');
    expect(leg.plays.at(-1)?.[0]).toBe('/prompts/zh/main-menu.wav');
    // Back in the menu: 2 goes to support.
    leg.press('2');
    leg.finishPlay('interrupted');
    await settle();
    leg.finishPlay('done');
    await settle();
    expect(sink.ofType('queue.joined').map((e) => e.queueId)).toEqual(['sales', 'support']);
    expect(leg.ended).toBe(false);
  });
});
