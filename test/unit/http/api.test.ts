import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.js';
import { AgentService } from '../../../src/app/agent-service.js';
import { AcdService } from '../../../src/app/acd-service.js';
import { CallRecords } from '../../../src/app/call-records.js';
import { makeEmitter } from '../../../src/app/events.js';
import { makeStatus } from '../../../src/app/status.js';
import { buildApp } from '../../../src/http/build-app.js';
import type { AgentConfig, QueueConfig } from '../../../src/domain/acd/model.js';
import { FakeCallControl, FakeLeg, FakeRegistrar, MemorySink, settle, silentLogger } from '../../support/fakes.js';

const queues = new Map<string, QueueConfig>([
  ['sales', { id: 'sales', name: 'Sales', requiredSkills: ['sales'], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 5, musicOnHold: 'moh/default.wav' }],
]);
const agentConfigs = new Map<string, AgentConfig>([
  ['1001', { id: '1001', name: 'Wang', skills: { sales: 8 }, readyOnRegister: false }],
]);

const FLOWS = [
  { id: 'hotline-400', version: '2', file: '/x/ivr-flows/hotline-400.yaml', loadedAt: '2026-11-23T01:00:00.000Z', lastError: ['/x/ivr-flows/hotline-400.yaml:3:1: bad'] },
];

describe('HTTP API', () => {
  let app: FastifyInstance;
  let registrar: FakeRegistrar;
  let calls: CallRecords;
  let acd: AcdService;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(1_000_000);
    const store = new MemoryStore();
    const sink = new MemorySink();
    const emit = makeEmitter(sink, clock);
    registrar = new FakeRegistrar();
    const callControl = new FakeCallControl();
    calls = new CallRecords(clock, emit);
    const agents = new AgentService({ store, clock, emit, logger: silentLogger, agents: agentConfigs, registrar });
    acd = new AcdService({ store, clock, emit, logger: silentLogger, callControl, registrar, agents, agentConfigs, queues, calls, promptsDir: '/p' });
    await agents.start(() => acd.dispatch());
    app = buildApp({ logger: silentLogger, flows: { list: () => FLOWS }, status: makeStatus({ clock, startedMs: clock.nowMs(), store, queues, agents, acd, calls, callControl }) });
  });
  afterEach(async () => app.close());

  it('GET /health', async () => {
    const r = await app.inject({ method: 'GET', url: '/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ ok: true, activeCalls: 0, telephony: { name: 'fake', ok: true } });
  });

  it('POST state: unknown agent → 404 with a code; unregistered ready → 409; bad body → 400', async () => {
    const unknown = await app.inject({ method: 'POST', url: '/api/agents/9999/state', payload: { state: 'ready' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'HOTLINE_E_AGENT_NOT_FOUND' } });
    const unreg = await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: { state: 'ready' } });
    expect(unreg.statusCode).toBe(409);
    expect(unreg.json()).toMatchObject({ error: { code: 'HOTLINE_E_AGENT_NOT_REGISTERED' } });
    const bad = await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: { state: 'sleeping' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'HOTLINE_E_BAD_REQUEST' } });
    const noReason = await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: { state: 'not-ready' } });
    expect(noReason.statusCode).toBe(400);
    const notJson = await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: 'state=ready', headers: { 'content-type': 'text/plain' } });
    expect(notJson.statusCode).toBeGreaterThanOrEqual(400);
    expect(notJson.statusCode).toBeLessThan(500);
  });

  it('ready, not-ready with a reason, logged-out; GET /api/agents and /api/queues show it live', async () => {
    registrar.register('1001');
    await settle();
    const ready = await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: { state: 'ready' } });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ id: '1001', state: 'available', registered: true });
    const brk = await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: { state: 'not-ready', reason: 'break' } });
    expect(brk.json()).toMatchObject({ state: 'not-ready', reason: 'break' });
    const leg = new FakeLeg('leg1');
    calls.add({ callId: 'c1', leg, from: leg.from, to: leg.to, offeredAtMs: clock.nowMs(), stage: 'flow' });
    await acd.enqueue('c1', 'sales', 0);
    clock.advance(4200);
    const q = await app.inject({ method: 'GET', url: '/api/queues' });
    expect(q.json()).toMatchObject({
      queues: [{ id: 'sales', waiting: 1, longestWaitSec: 4.2, callers: [{ callId: 'c1', position: 1, waitSec: 4.2 }], agentsByState: { 'not-ready': 1 } }],
    });
    const out = await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: { state: 'logged-out' } });
    expect(out.json()).toMatchObject({ state: 'logged-out' });
    const list = await app.inject({ method: 'GET', url: '/api/agents' });
    expect(list.json()).toMatchObject({ agents: [{ id: '1001', name: 'Wang', state: 'logged-out' }] });
  });

  it('GET /api/flows lists flows with version, load time and last error', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/flows' });
    expect(r.json()).toEqual({ flows: FLOWS });
  });

  it('GET / serves the wallboard page, which reads the two live read models', async () => {
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('<title>hotline · wallboard</title>');
    for (const api of ['/api/queues', '/api/agents', '/api/stats']) expect(r.body).toContain(`'${api}'`);
  });

  it('unknown routes → 404 with a code', async () => {
    const r = await app.inject({ method: 'GET', url: '/nope' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ error: { code: 'HOTLINE_E_NOT_FOUND' } });
  });
});
