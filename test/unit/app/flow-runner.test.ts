/**
 * The app side of flows, through handleInboundCall with fakes and a manual clock: http dips (result and
 * guard timeout), voicemail recordings, transfers to agents through the agent state table, queue attributes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.js';
import { AgentService } from '../../../src/app/agent-service.js';
import { CallRecords } from '../../../src/app/call-records.js';
import { makeEmitter } from '../../../src/app/events.js';
import type { HttpDip } from '../../../src/app/flow-http.js';
import type { FlowAcd } from '../../../src/app/flow-runner.js';
import { AgentTransfers } from '../../../src/app/flow-transfer.js';
import { handleInboundCall, type InboundDeps } from '../../../src/app/inbound-call.js';
import type { AgentConfig } from '../../../src/domain/acd/model.js';
import type { HttpRequestCommand, HttpResult, RoutingAttributes } from '../../../src/domain/flow/commands.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { FakeCallControl, FakeLeg, FakeRegistrar, MemorySink, settle, silentLogger } from '../../support/fakes.js';
import { flowFromYaml } from '../flow/support.js';

const flow = flowFromYaml(`
id: app
version: "7"
language: zh
start: menu
externalNumbers:
  legal: "01088886666"
nodes:
  menu:
    type: menu
    options:
      "1": { goto: ask-order }
      "2": { goto: message }
      "3": { goto: to-agent }
      "4": { goto: to-legal }
    onFail: bye
  ask-order: { type: collect, into: order_id, maxLength: 4, next: lookup }
  lookup:
    type: http
    url: "http://127.0.0.1:9/orders/\${order_id}"
    timeoutSec: 2
    map: { status: status, vip: customer.vip }
    next: route
    onError: sorry
  route:
    type: queue
    queue: support
    priority: "\${vip ? 90 : 5}"
    skills: ["order_\${status}"]
    callerClass: "\${vip ? 'vip' : 'returning'}"
  sorry: { type: play, prompts: [sorry], next: bye }
  message: { type: voicemail, mailbox: after-hours, beep: false, prompts: [leave-message], next: thanks }
  thanks: { type: play, prompts: [thanks], next: bye }
  to-agent: { type: transfer, agent: "1001", ringTimeoutSec: 10, onFail: sorry }
  to-legal: { type: transfer, external: legal, ringTimeoutSec: 10, onFail: sorry }
  bye: { type: hangup }
`);

class RecordingLeg extends FakeLeg {
  recordings: string[] = [];
  stoppedRecordings = 0;
  override startRecording(...args: unknown[]): void {
    this.recordings.push(String(args[0]));
  }
  override async stopRecording(): Promise<void> {
    this.stoppedRecordings++;
  }
}

class ManualHttpDip implements HttpDip {
  calls: Array<{ cmd: HttpRequestCommand; signal: AbortSignal; resolve: (r: HttpResult) => void }> = [];
  run(cmd: HttpRequestCommand, signal: AbortSignal): Promise<HttpResult> {
    return new Promise((resolve) => this.calls.push({ cmd, signal, resolve }));
  }
}

const agentConfigs = new Map<string, AgentConfig>([['1001', { id: '1001', name: 'A', skills: { support: 5 }, readyOnRegister: true }]]);

let clock: ManualClock;
let sink: MemorySink;
let calls: CallRecords;
let http: ManualHttpDip;
let enqueued: Array<[string, string, number, RoutingAttributes | undefined]>;
let deps: InboundDeps;
let dataDir: string;
let callControl: FakeCallControl;
let registrar: FakeRegistrar;
let agents: AgentService;
let store: MemoryStore;

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-11-23T02:00:00Z'));
  sink = new MemorySink();
  const emit = makeEmitter(sink, clock);
  calls = new CallRecords(clock, emit);
  http = new ManualHttpDip();
  enqueued = [];
  dataDir = await mkdtemp(path.join(tmpdir(), 'hotline-flow-app-'));
  store = new MemoryStore();
  registrar = new FakeRegistrar();
  callControl = new FakeCallControl();
  agents = new AgentService({ store, clock, emit, logger: silentLogger, agents: agentConfigs, registrar });
  await agents.start(() => undefined);
  const acd: FlowAcd = {
    async enqueue(callId, queueId, priority, attrs) {
      enqueued.push([callId, queueId, priority, attrs]);
    },
    async callerLeft() {},
  };
  deps = {
    clock,
    emit,
    logger: silentLogger,
    numbers: { '4008208820': 'app' },
    flows: { get: (id) => (id === 'app' ? flow : undefined) },
    calls,
    acd,
    promptsDir: '/p',
    dataDir,
    httpDip: http,
    transfers: new AgentTransfers({ clock, store, registrar, agents, callControl, calls, wrapupMs: 0 }),
  };
});

afterEach(async () => {
  agents.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function call(keys: string): Promise<RecordingLeg> {
  const leg = new RecordingLeg('l1');
  handleInboundCall(deps, leg);
  await settle();
  for (const k of keys) leg.press(k);
  await settle();
  return leg;
}

describe('http dips', () => {
  it('runs the request, maps the answer and queues with routing attributes', async () => {
    await call('11234');
    expect(http.calls).toHaveLength(1);
    expect(http.calls[0]!.cmd).toMatchObject({ url: 'http://127.0.0.1:9/orders/1234', method: 'GET', timeoutMs: 2000 });
    http.calls[0]!.resolve({ kind: 'http-result', requestId: http.calls[0]!.cmd.requestId, outcome: 'ok', status: 200, body: { status: 'late', customer: { vip: true } }, attempts: 1, elapsedMs: 40 });
    await settle();
    expect(enqueued).toEqual([[expect.any(String), 'support', 90, { skills: ['order_late'], callerClass: 'vip', language: 'zh' }]]);
    expect(sink.ofType('http.completed')[0]).toMatchObject({ nodeId: 'lookup', outcome: 'ok', httpStatus: 200, attempts: 1, elapsedMs: 40 });
    expect(clock.timerCount).toBe(0);
  });

  it('a server that never answers: the guard timer takes the error branch and abandons the request', async () => {
    const leg = await call('11234');
    clock.advance(2000 + 1000);
    await settle();
    expect(http.calls[0]!.signal.aborted).toBe(true);
    expect(leg.plays.at(-1)).toEqual(['/p/zh/sorry.wav']);
    expect(sink.ofType('http.completed')[0]).toMatchObject({ outcome: 'timeout' });
    // The late answer changes nothing.
    http.calls[0]!.resolve({ kind: 'http-result', requestId: http.calls[0]!.cmd.requestId, outcome: 'ok', status: 200, body: {}, attempts: 1, elapsedMs: 9000 });
    await settle();
    expect(enqueued).toEqual([]);
  });

  it('a caller hanging up during the dip abandons it', async () => {
    const leg = await call('11234');
    leg.remoteHangup();
    await settle();
    expect(http.calls[0]!.signal.aborted).toBe(true);
    expect(clock.timerCount).toBe(0);
  });
});

describe('voicemail', () => {
  it('records into <dataDir>/voicemail/<mailbox>/<date>/, stops on #, emits voicemail.recorded, goes on', async () => {
    const leg = await call('2');
    leg.finishPlay('done'); // leave-message prompt
    await vi.waitFor(() => expect(leg.recordings).toHaveLength(1)); // after the mailbox folder is made

    expect(leg.recordings[0]!.startsWith(path.join(dataDir, 'voicemail', 'after-hours', '2026-11-23'))).toBe(true);
    clock.advance(12_000);
    leg.press('#');
    await settle();
    expect(leg.stoppedRecordings).toBe(1);
    expect(sink.ofType('voicemail.recorded')[0]).toMatchObject({ nodeId: 'message', mailbox: 'after-hours', from: '13800138000', durationMs: 12_000 });
    expect(sink.ofType('voicemail.recorded')[0]!.file).toMatch(/^voicemail\/after-hours\/2026-11-23\/c.*-1\.wav$/);
    expect(leg.plays.at(-1)).toEqual(['/p/zh/thanks.wav']);
  });

  it('a hang-up ends the message: voicemail.recorded comes before call.ended', async () => {
    const leg = await call('2');
    leg.finishPlay('done');
    await vi.waitFor(() => expect(leg.recordings).toHaveLength(1));
    clock.advance(30_000);
    leg.remoteHangup();
    await settle();
    expect(sink.types().slice(-2)).toEqual(['voicemail.recorded', 'call.ended']);
    expect(sink.ofType('voicemail.recorded')[0]!.durationMs).toBe(30_000);
    expect(clock.timerCount).toBe(0);
  });
});

describe('transfer to an agent', () => {
  it('reserves and rings the agent, bridges on answer; the call ends with the agent\'s talk time', async () => {
    registrar.register('1001');
    await settle();
    const leg = await call('3');
    expect(callControl.rings).toHaveLength(1);
    expect(callControl.lastRing().req).toMatchObject({ agentId: '1001', callerNumber: '13800138000' });
    expect((await store.getAgent('1001'))!.state.name).toBe('ringing');
    const agentLeg = new FakeLeg('a1');
    callControl.lastRing().settle({ kind: 'answered', leg: agentLeg });
    await settle();
    expect(callControl.bridges).toEqual([['l1', 'a1']]);
    expect(sink.ofType('call.transferred')[0]).toMatchObject({ target: 'agent', to: '1001', outcome: 'connected' });
    expect((await store.getAgent('1001'))!.state.name).toBe('on-call');
    clock.advance(60_000);
    leg.remoteHangup();
    await settle();
    expect(agentLeg.ended).toBe(true);
    expect(sink.ofType('call.ended')[0]).toMatchObject({ hungUpBy: 'caller', agentId: '1001', talkMs: 60_000 });
    expect((await store.getAgent('1001'))!.state.name).toBe('available');
  });

  it('an agent without a registered phone: the transfer fails to onFail', async () => {
    const leg = await call('3');
    await settle();
    expect(callControl.rings).toHaveLength(0);
    expect(sink.ofType('call.transferred')[0]).toMatchObject({ outcome: 'failed', reason: 'unavailable' });
    expect(leg.plays.at(-1)).toEqual(['/p/zh/sorry.wav']);
  });

  it('no answer within ringTimeoutSec: the ring is cancelled and the agent is available again', async () => {
    registrar.register('1001');
    await settle();
    await call('3');
    clock.advance(10_000);
    await settle();
    expect(callControl.lastRing().cancelled).toBe(true);
    expect(sink.ofType('call.transferred')[0]).toMatchObject({ outcome: 'failed', reason: 'no-answer' });
    expect((await store.getAgent('1001'))!.state.name).toBe('available');
  });

  it('a caller hanging up while the agent rings cancels the ring', async () => {
    registrar.register('1001');
    await settle();
    const leg = await call('3');
    leg.remoteHangup();
    await settle();
    expect(callControl.lastRing().cancelled).toBe(true);
    expect((await store.getAgent('1001'))!.state.name).toBe('available');
    expect(clock.timerCount).toBe(0);
  });

  it('an allow-listed external number is rung through the trunk and bridged; no agent is involved', async () => {
    deps.transfers = new AgentTransfers({ clock, store, registrar, agents, callControl, calls, trunk: { host: '127.0.0.1', port: 5090, transport: 'udp' } });
    const leg = await call('4');
    await settle();
    expect(callControl.lastRing().req.contact).toMatchObject({ contactUri: 'sip:01088886666@127.0.0.1:5090', sourceHost: '127.0.0.1', sourcePort: 5090, transport: 'udp' });
    const far = new FakeLeg('far');
    callControl.lastRing().settle({ kind: 'answered', leg: far });
    await settle();
    expect(callControl.bridges).toEqual([['l1', 'far']]);
    expect(sink.ofType('call.transferred')[0]).toMatchObject({ target: 'external', outcome: 'connected' });
    far.remoteHangup();
    await settle();
    expect(leg.ended).toBe(true);
    expect(sink.ofType('call.ended')[0]).toMatchObject({ hungUpBy: 'agent' });
    expect((await store.getAgent('1001'))!.state.name).toBe('logged-out');
  });

  it('an external number without a trunk configured fails as unsupported, and nothing is rung', async () => {
    await call('4');
    await settle();
    expect(callControl.rings).toHaveLength(0);
    expect(sink.ofType('call.transferred')[0]).toMatchObject({ target: 'external', outcome: 'failed', reason: 'unsupported' });
  });

  it('without a transfer service, transfers fail as unsupported', async () => {
    delete deps.transfers;
    await call('3');
    await settle();
    expect(sink.ofType('call.transferred')[0]).toMatchObject({ outcome: 'failed', reason: 'unsupported' });
  });
});
