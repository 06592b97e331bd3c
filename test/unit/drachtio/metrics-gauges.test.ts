/**
 * /metrics shows the telephony adapter's connection states, read from its health() at every scrape: the
 * drachtio-freeswitch adapter's two connections (drachtio-server, FreeSWITCH) as up/down gauges and as a
 * one-hot state gauge, and the adapter as a whole as hotline_telephony_up (the same answer as /health).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveStats } from '../../../src/app/live-stats.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { registerMetricsRoutes } from '../../../src/http/metrics-routes.js';
import type { CallControlHealth } from '../../../src/ports/call-control.js';

const sink = { append: () => undefined, flush: async () => undefined, close: async () => undefined };

describe('/metrics: telephony connection gauges', () => {
  let app: FastifyInstance;
  let health: CallControlHealth;

  beforeEach(() => {
    health = { ok: true, details: { drachtio: { state: 'up', connects: 1 }, freeswitch: { state: 'up' }, legs: 3, admission: { admitted: 4 } } };
    const live = new LiveStats(sink, { clock: new ManualClock(0), provider: () => ({ queues: [], agentsByState: {} }) });
    app = Fastify();
    registerMetricsRoutes(app, { liveStats: live, telephony: { name: 'drachtio-freeswitch', health: () => health } });
  });

  afterEach(async () => app.close());

  const scrape = async (): Promise<string> => (await app.inject({ method: 'GET', url: '/metrics' })).body;

  it('both connections up', async () => {
    const text = await scrape();
    expect(text).toContain('hotline_telephony_up{adapter="drachtio-freeswitch"} 1');
    expect(text).toContain('hotline_telephony_connection_up{connection="drachtio"} 1');
    expect(text).toContain('hotline_telephony_connection_up{connection="freeswitch"} 1');
    expect(text).toContain('hotline_telephony_connection_state{connection="freeswitch",state="up"} 1');
    expect(text).toContain('hotline_telephony_connection_state{connection="freeswitch",state="down"} 0');
    // Entries without a state (counters, admission) are not connections.
    expect(text).not.toContain('connection="legs"');
    expect(text).not.toContain('connection="admission"');
  });

  it('FreeSWITCH lost, then back: every scrape reads the state anew', async () => {
    health = { ok: false, details: { drachtio: { state: 'up' }, freeswitch: { state: 'down', lastError: 'connection closed' } } };
    let text = await scrape();
    expect(text).toContain('hotline_telephony_up{adapter="drachtio-freeswitch"} 0');
    expect(text).toContain('hotline_telephony_connection_up{connection="freeswitch"} 0');
    expect(text).toContain('hotline_telephony_connection_state{connection="freeswitch",state="down"} 1');
    expect(text).toContain('hotline_telephony_connection_state{connection="freeswitch",state="up"} 0');
    expect(text).toContain('hotline_telephony_connection_up{connection="drachtio"} 1');
    health = { ok: true, details: { drachtio: { state: 'up' }, freeswitch: { state: 'up' } } };
    text = await scrape();
    expect(text).toContain('hotline_telephony_connection_up{connection="freeswitch"} 1');
    expect(text).toContain('hotline_telephony_up{adapter="drachtio-freeswitch"} 1');
  });

  it('an adapter with no connections (the built-in engine) has only hotline_telephony_up', async () => {
    health = { ok: true, details: { sip: '127.0.0.1:5060', legs: 0 } };
    const text = await scrape();
    expect(text).toContain('hotline_telephony_up{adapter="drachtio-freeswitch"} 1');
    expect(text).not.toMatch(/hotline_telephony_connection_up\{/);
  });
});
