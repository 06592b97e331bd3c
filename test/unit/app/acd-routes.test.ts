import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcdService } from '../../../src/app/acd-service.js';
import { CallRecords } from '../../../src/app/call-records.js';
import type { AgentConfig, QueueConfig } from '../../../src/domain/acd/model.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { registerAcdRoutes } from '../../../src/http/acd-routes.js';
import { FakeCallControl, FakeLeg, FakeRegistrar, MemorySink, settle } from '../../support/fakes.js';
import { acdStack } from '../../support/acd-stack.js';

const queues = new Map<string, QueueConfig>([
  ['sales', { id: 'sales', name: 'Sales', requiredSkills: ['sales'], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 30, musicOnHold: 'moh/default.wav', dispositionCodes: ['sale', 'no-sale'] }],
]);
const agentConfigs = new Map<string, AgentConfig>([['1001', { id: '1001', name: 'Wang', skills: { sales: 8 }, readyOnRegister: true, notReadyReasons: ['break', 'lunch'] }]]);

describe('ACD routes', () => {
  let app: FastifyInstance;
  let h: { clock: ManualClock; registrar: FakeRegistrar; callControl: FakeCallControl; calls: CallRecords; acd: AcdService; sink: MemorySink };

  beforeEach(async () => {
    const { clock, registrar, callControl, calls, agents, acd, sink } = acdStack({ startMs: 1_000_000, queues, agentConfigs, promptsDir: '/p' });
    await agents.start();
    app = Fastify();
    registerAcdRoutes(app, { agents, acd, queues });
    h = { clock, registrar, callControl, calls, acd, sink };
  });
  afterEach(async () => app.close());

  it('POST disposition: during wrap-up, checked against the queue\'s codes; ready ends wrap-up', async () => {
    const early = await app.inject({ method: 'POST', url: '/api/agents/1001/disposition', payload: { code: 'sale' } });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'HOTLINE_E_DISPOSITION_INVALID' } });
    h.registrar.register('1001');
    const leg = new FakeLeg('c1');
    h.calls.add({ callId: 'c1', leg, from: leg.from, to: leg.to, offeredAtMs: h.clock.nowMs(), stage: 'flow' });
    await h.acd.enqueue('c1', 'sales', 0);
    const agentLeg = new FakeLeg('agent');
    h.callControl.lastRing().settle({ kind: 'answered', leg: agentLeg });
    await settle();
    agentLeg.remoteHangup();
    await settle();
    const unknownCode = await app.inject({ method: 'POST', url: '/api/agents/1001/disposition', payload: { code: 'maybe' } });
    expect(unknownCode.statusCode).toBe(409);
    expect(unknownCode.json().error.message).toContain('sale, no-sale');
    const ok = await app.inject({ method: 'POST', url: '/api/agents/1001/disposition', payload: { code: 'sale', callId: 'c1', ready: true } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: '1001', state: 'available' });
    expect(h.sink.ofType('agent.disposition')[0]).toMatchObject({ agentId: '1001', callId: 'c1', queueId: 'sales', code: 'sale' });
    const bad = await app.inject({ method: 'POST', url: '/api/agents/1001/disposition', payload: { code: 'has space' } });
    expect(bad.statusCode).toBe(400);
    const nobody = await app.inject({ method: 'POST', url: '/api/agents/9999/disposition', payload: { code: 'sale' } });
    expect(nobody.statusCode).toBe(404);
  });

  it('GET /api/acd/codes and /api/queues/:id/ewt', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/acd/codes' })).json()).toEqual({ notReadyReasons: ['break', 'lunch'], dispositionCodes: { sales: ['sale', 'no-sale'] } });
    h.registrar.register('1001');
    await settle();
    const ewt = await app.inject({ method: 'GET', url: '/api/queues/sales/ewt' });
    expect(ewt.json()).toEqual({ queueId: 'sales', waiting: 0, loggedIn: 1, staffed: 1, ewtSec: 0 });
    expect((await app.inject({ method: 'GET', url: '/api/queues/nope/ewt' })).statusCode).toBe(404);
  });
});
