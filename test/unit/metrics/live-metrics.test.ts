import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveStats, parseWindow, windowLabel, type LiveStatsJson } from '../../../src/app/live-stats.js';
import { stampEvent, type EventDraft, type HotlineEvent } from '../../../src/domain/metrics/events.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { registerMetricsRoutes } from '../../../src/http/metrics-routes.js';
import type { EventSink } from '../../../src/ports/event-sink.js';

const T0 = Date.parse('2024-05-06T01:00:00.000Z');

class ListSink implements EventSink {
  readonly events: HotlineEvent[] = [];
  flushed = 0;
  closed = 0;
  append(e: HotlineEvent): void {
    this.events.push(e);
  }
  async flush(): Promise<void> {
    this.flushed++;
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

let clock: ManualClock;
let inner: ListSink;
let live: LiveStats;
let app: FastifyInstance;
const emit = (draft: EventDraft): void => live.append(stampEvent(draft, clock.nowMs()));

beforeEach(async () => {
  clock = new ManualClock(T0);
  inner = new ListSink();
  live = new LiveStats(inner, {
    clock,
    provider: () => ({ queues: [{ id: 'sales', waiting: 2, longestWaitSec: 41 }], agentsByState: { available: 3, 'on-call': 2, 'not-ready': 1 } }),
  });
  app = Fastify();
  registerMetricsRoutes(app, { liveStats: live });
  await app.ready();
});
afterEach(async () => {
  await app.close();
});

/** Five minutes of sales: 3 answered (8 s, 25 s, 12 s), 1 abandoned after 30 s, 1 timeout, 1 RONA. */
function traffic(): void {
  const join = (callId: string): void => emit({ type: 'queue.joined', callId, queueId: 'sales', position: 1, priority: 0 });
  for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) join(id);
  clock.advance(60_000);
  emit({ type: 'call.answered', callId: 'c1', queueId: 'sales', agentId: '1001', waitMs: 8_000, ringMs: 2_000 });
  emit({ type: 'agent.rona', callId: 'c2', queueId: 'sales', agentId: '1002', ringMs: 15_000 });
  emit({ type: 'call.answered', callId: 'c2', queueId: 'sales', agentId: '1001', waitMs: 25_000, ringMs: 4_000 });
  clock.advance(60_000);
  emit({ type: 'call.abandoned', callId: 'c3', queueId: 'sales', waitMs: 30_000, whileRinging: false, position: 1 });
  emit({ type: 'queue.exited', callId: 'c4', queueId: 'sales', reason: 'max-wait', waitMs: 120_000, position: 1 });
  clock.advance(180_000);
  emit({ type: 'call.answered', callId: 'c5', queueId: 'support', agentId: '1003', waitMs: 12_000, ringMs: 3_000 });
}

describe('LiveStats', () => {
  it('passes every event on to the log, flush and close included', async () => {
    traffic();
    expect(inner.events.map((e) => e.type)).toContain('queue.exited');
    expect(inner.events).toHaveLength(11);
    await live.flush();
    await live.close();
    expect([inner.flushed, inner.closed]).toEqual([1, 1]);
  });

  it('an event it cannot count still reaches the log, and the defect is reported', () => {
    const errors: unknown[] = [];
    const l = new LiveStats(inner, { clock, onError: (err) => errors.push(err) });
    l.append({ time: '', ts: T0, type: 'call.answered', callId: 'x', queueId: 'q', agentId: 'a', waitMs: Number.NaN, ringMs: 0 });
    expect(inner.events).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('windowed figures follow the report’s definitions and the Clock', async () => {
    traffic();
    const s = await live.stats(900);
    expect(s.windowSec).toBe(900);
    const sales = s.queues.find((q) => q.id === 'sales');
    expect(sales).toMatchObject({
      waiting: 2,
      longestWaitSec: 41,
      sinceStart: { offered: 5, answered: 2, abandoned: 1, exited: 1, rona: 1 }, // c5 joined sales, answered in support
      window: { offered: 4, answered: 2, answeredWithin: 1, abandoned: 1, abandonedWithin: 0, rona: 1, serviceLevelPct: 25, abandonRatePct: 25, asaSec: 16.5, ringToAnswerSec: 3 },
    });
    expect(s.total).toMatchObject({ offered: 5, answered: 3, answeredWithin: 2, serviceLevelPct: 40 });
    expect(s.agentsByState).toEqual({ available: 3, 'on-call': 2, 'not-ready': 1 });
    // Four minutes: only the last minute and a half of outcomes (the abandon, the timeout and c5).
    expect((await live.stats(240)).queues.find((q) => q.id === 'sales')?.window).toMatchObject({ offered: 2, answered: 0 });
    clock.advance(3600_000);
    expect((await live.stats(900)).total.offered).toBe(0);
  });
});

describe('GET /metrics and GET /api/stats', () => {
  it('/metrics: counters, histograms, live gauges and the rolling service level in Prometheus text format', async () => {
    traffic();
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = res.body;
    expect(body).toContain('hotline_calls_offered_total{queue="sales"} 5');
    expect(body).toContain('hotline_calls_answered_total{queue="sales"} 2');
    expect(body).toContain('hotline_calls_answered_total{queue="support"} 1');
    expect(body).toContain('hotline_calls_abandoned_total{queue="sales"} 1');
    expect(body).toContain('hotline_queue_exits_total{queue="sales",reason="max-wait"} 1');
    expect(body).toContain('hotline_rona_total{queue="sales"} 1');
    expect(body).toContain('hotline_queue_wait_seconds_bucket{le="10",queue="sales",outcome="answered"} 1');
    expect(body).toContain('hotline_queue_wait_seconds_bucket{le="30",queue="sales",outcome="answered"} 2');
    expect(body).toContain('hotline_queue_wait_seconds_count{queue="sales",outcome="abandoned"} 1');
    expect(body).toContain('hotline_ring_to_answer_seconds_sum{queue="sales"} 6');
    expect(body).toContain('hotline_queue_callers_waiting{queue="sales"} 2');
    expect(body).toContain('hotline_queue_longest_wait_seconds{queue="sales"} 41');
    expect(body).toContain('hotline_agents{state="on-call"} 2');
    expect(body).toContain('hotline_service_level_ratio{queue="sales",window="15m"} 0.25');
    expect(body).toContain('hotline_service_level_ratio{queue="support",window="15m"} 1');
    expect(body).toContain('hotline_abandon_rate_ratio{queue="sales",window="15m"} 0.25');
    // An empty window has no service level at all (not 0, not 1).
    clock.advance(3600_000);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).not.toContain('hotline_service_level_ratio{');
  });

  it('/api/stats?window=15m: the same figures as JSON; bad windows are a 400 with a code', async () => {
    traffic();
    const res = await app.inject({ method: 'GET', url: '/api/stats?window=15m' });
    expect(res.statusCode).toBe(200);
    const body = res.json<LiveStatsJson>();
    expect(body).toMatchObject({ windowSec: 900, slThresholdSec: 20, slFormula: 'offered', agentsByState: { available: 3 } });
    expect(body.queues.map((q) => q.id)).toEqual(['sales', 'support']);
    expect((await app.inject({ method: 'GET', url: '/api/stats' })).json<LiveStatsJson>().windowSec).toBe(900);
    expect((await app.inject({ method: 'GET', url: '/api/stats?window=1h' })).json<LiveStatsJson>().windowSec).toBe(3600);
    for (const bad of ['soon', '0', '25h', '-5m']) {
      const r = await app.inject({ method: 'GET', url: `/api/stats?window=${bad}` });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json<{ error: { code: string } }>().error.code).toBe('HOTLINE_E_BAD_REQUEST');
    }
  });

  it('process metrics (CPU, memory, event-loop lag) on request, prefixed hotline_', async () => {
    const withProcess = new LiveStats(new ListSink(), { clock, processMetrics: true });
    const text = await withProcess.metrics();
    expect(text).toContain('hotline_process_cpu_seconds_total');
    expect(text).toContain('hotline_nodejs_eventloop_lag_seconds');
    expect(await live.metrics()).not.toContain('hotline_process_cpu_seconds_total');
  });

  it('two engines in one process keep separate registries', async () => {
    const other = new LiveStats(new ListSink(), { clock });
    traffic();
    expect(await other.metrics()).not.toContain('hotline_calls_offered_total{queue="sales"} 5');
  });

  it('window labels and parsing', () => {
    expect([900, 3600, 45].map(windowLabel)).toEqual(['15m', '1h', '45s']);
    expect(['15m', '1h', '90s', '120', '1.5h'].map(parseWindow)).toEqual([900, 3600, 90, 120, 5400]);
    expect(parseWindow('soon')).toBeUndefined();
  });
});

describe('storeSnapshotProvider', () => {
  it('callers waiting and the longest wait per configured queue, agents by state, from the store', async () => {
    const { storeSnapshotProvider } = await import('../../../src/app/live-stats.js');
    const entry = (callId: string, queueId: string, joinedAtMs: number) => ({ callId, queueId, callerNumber: '1', priority: 0, joinedAtMs, excludedAgents: [], offerAttempts: 0 });
    const agent = (id: string, name: 'available' | 'on-call' | 'not-ready') => ({ id, state: { name, sinceMs: 0 }, registered: true, idleSinceMs: 0, callsAnswered: 0, version: 0 });
    const provider = storeSnapshotProvider({
      clock,
      queueIds: ['sales', 'support', 'vip'],
      store: {
        listWaiting: async () => [entry('a', 'sales', T0 - 41_250), entry('b', 'sales', T0 - 3_000), entry('c', 'support', T0 - 12_000)],
        listAgents: async () => [agent('1', 'available'), agent('2', 'on-call'), agent('3', 'available'), agent('4', 'not-ready')],
      },
    });
    expect(await provider()).toEqual({
      queues: [
        { id: 'sales', waiting: 2, longestWaitSec: 41.3 },
        { id: 'support', waiting: 1, longestWaitSec: 12 },
        { id: 'vip', waiting: 0, longestWaitSec: 0 },
      ],
      agentsByState: { available: 2, 'on-call': 1, 'not-ready': 1 },
    });
  });
});
