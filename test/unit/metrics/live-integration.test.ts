/**
 * Live metrics wired as the composition root wires them: LiveStats between the emitter and the event log,
 * the store as the provider, the routes on the engine's own HTTP app. A caller queues and an agent goes on
 * a break: /metrics and /api/stats show it.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/adapters/store/memory/memory-store.js';
import { AcdService } from '../../../src/app/acd-service.js';
import { AgentService } from '../../../src/app/agent-service.js';
import { CallRecords } from '../../../src/app/call-records.js';
import { makeEmitter } from '../../../src/app/events.js';
import { LiveStats, storeSnapshotProvider, type LiveStatsJson } from '../../../src/app/live-stats.js';
import { makeStatus } from '../../../src/app/status.js';
import type { AgentConfig, QueueConfig } from '../../../src/domain/acd/model.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { buildApp } from '../../../src/http/build-app.js';
import { registerMetricsRoutes } from '../../../src/http/metrics-routes.js';
import { FakeCallControl, FakeLeg, FakeRegistrar, MemorySink, settle, silentLogger } from '../../support/fakes.js';

const queues = new Map<string, QueueConfig>([
  ['sales', { id: 'sales', name: 'Sales', requiredSkills: ['sales'], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 5, musicOnHold: 'moh/default.wav' }],
]);
const agentConfigs = new Map<string, AgentConfig>([['1001', { id: '1001', name: 'Wang', skills: { sales: 8 }, readyOnRegister: false }]]);

describe('live metrics in the engine', () => {
  let app: FastifyInstance;
  let clock: ManualClock;
  let sink: MemorySink;
  let calls: CallRecords;
  let acd: AcdService;
  let registrar: FakeRegistrar;

  beforeEach(async () => {
    clock = new ManualClock(1_714_957_200_000);
    const store = new MemoryStore();
    sink = new MemorySink();
    const liveStats = new LiveStats(sink, { clock, onError: () => undefined });
    const emit = makeEmitter(liveStats, clock);
    registrar = new FakeRegistrar();
    const callControl = new FakeCallControl();
    calls = new CallRecords(clock, emit);
    const agents = new AgentService({ store, clock, emit, logger: silentLogger, agents: agentConfigs, registrar });
    acd = new AcdService({ store, clock, emit, logger: silentLogger, callControl, registrar, agents, agentConfigs, queues, calls, promptsDir: '/p' });
    await agents.start(() => acd.dispatch());
    liveStats.setProvider(storeSnapshotProvider({ store, clock, queueIds: queues.keys() }));
    app = buildApp({ logger: silentLogger, flows: { list: () => [] }, status: makeStatus({ clock, startedMs: clock.nowMs(), store, queues, agents, acd, calls, callControl }) });
    registerMetricsRoutes(app, { liveStats });
    await app.ready();
  });
  afterEach(async () => {
    acd.close();
    await app.close();
  });

  it('a waiting caller and an agent on a break show in /metrics and /api/stats; every event still reaches the log', async () => {
    registrar.register('1001');
    await settle();
    await app.inject({ method: 'POST', url: '/api/agents/1001/state', payload: { state: 'not-ready', reason: 'break' } });
    const leg = new FakeLeg('leg1');
    calls.add({ callId: 'c1', leg, from: leg.from, to: leg.to, offeredAtMs: clock.nowMs(), stage: 'flow' });
    await acd.enqueue('c1', 'sales', 0);
    clock.advance(7_500);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('hotline_calls_offered_total{queue="sales"} 1');
    expect(metrics).toContain('hotline_queue_callers_waiting{queue="sales"} 1');
    expect(metrics).toContain('hotline_queue_longest_wait_seconds{queue="sales"} 7.5');
    expect(metrics).toContain('hotline_agents{state="not-ready"} 1');
    const stats = (await app.inject({ method: 'GET', url: '/api/stats?window=15m' })).json<LiveStatsJson>();
    expect(stats.queues).toEqual([expect.objectContaining({ id: 'sales', waiting: 1, longestWaitSec: 7.5, sinceStart: { offered: 1, answered: 0, abandoned: 0, exited: 0, rona: 0 } })]);
    expect(sink.events.map((e) => e.type)).toContain('queue.joined');
    // The engine's own routes are untouched.
    expect((await app.inject({ method: 'GET', url: '/api/queues' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/stats?window=eternity' })).json()).toMatchObject({ error: { code: 'HOTLINE_E_BAD_REQUEST' } });
  });
});
