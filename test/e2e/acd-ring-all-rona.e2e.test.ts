/**
 * Ring-all and RONA on real SIP peers: the sales queue rings every free agent at once; the first answer wins
 * and the other phone's ring is cancelled. A phone that is not answered is RONA'd: the agent goes not-ready
 * (rona) and the caller waits for the next agent. SIPp callers, baresip agents, all on 127.0.0.1.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import { startBaresip, type Baresip } from '../support/baresip.js';
import { runSipp } from '../support/sipp.js';
import { makeTone } from '../support/audio.js';
import { sleep, waitFor } from '../support/ports.js';
import { agentState, eventsOf, ofType, quietQueues } from './acd-e2e-support.js';

let engine: Engine;
let agent1001: Baresip; // never answers
let agent1002: Baresip; // answers automatically

const caller = () => runSipp({ scenario: 'caller-sales-talk.xml', target: `127.0.0.1:${engine.sipPort}`, args: ['-rtp_echo'], timeoutSec: 90 });

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-tone-'));
  const tone = path.join(work, 'tone.wav');
  await makeTone(tone, 1000, 60);
  engine = await startEngine({ editHotline: (y) => quietQueues(y).replace('strategy: longest-idle', 'strategy: ring-all') });
  agent1001 = await startBaresip({ agentId: '1001', password: 'secret-1001', engineSipPort: engine.sipPort, autoAnswer: false, voiceFile: tone });
  agent1002 = await startBaresip({ agentId: '1002', password: 'secret-1002', engineSipPort: engine.sipPort, autoAnswer: true, voiceFile: tone });
  await waitFor('both agents available', async () => ((await agentState(engine, '1001')).state === 'available' && (await agentState(engine, '1002')).state === 'available') || undefined);
}, 60_000);

afterAll(async () => {
  await agent1001?.stop();
  await agent1002?.stop();
  await engine?.stop();
});

describe('ACD on real SIP: ring-all and RONA', () => {
  it('ring-all: both phones ring for the caller; 1002 answers, 1001\'s ring is cancelled (no RONA)', async () => {
    const run = await caller();
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await eventsOf(engine);
    const callId = ofType(ev, 'queue.joined')[0]?.callId;
    const offered = ofType(ev, 'agent.offered').filter((e) => e.callId === callId);
    expect(offered.map((e) => e.agentId).sort()).toEqual(['1001', '1002']);
    expect(new Set(offered.map((e) => e.attempt))).toEqual(new Set([1]));
    expect(Math.abs((offered[0]?.ts ?? 0) - (offered[1]?.ts ?? 0))).toBeLessThan(100);
    expect(ofType(ev, 'call.answered').find((e) => e.callId === callId)?.agentId).toBe('1002');
    expect(ofType(ev, 'agent.rona')).toEqual([]);
    const back = ofType(ev, 'agent.state-changed').filter((e) => e.agentId === '1001' && e.callId === callId).map((e) => `${e.from}>${e.to}`);
    expect(back).toEqual(['available>reserved', 'reserved>ringing', 'ringing>available']);
    expect((await agentState(engine, '1001')).state).toBe('available');
  }, 60_000);

  it('RONA: the only free phone is not answered; the agent goes not-ready (rona) and the caller waits for the next', async () => {
    await waitFor('1002 back from wrap-up', async () => (await agentState(engine, '1002')).state === 'available' || undefined);
    expect((await engine.api('POST', '/api/agents/1002/state', { state: 'not-ready', reason: 'break' })).status).toBe(200);
    const running = caller();
    await waitFor('1001 RONA', async () => ((await agentState(engine, '1001')).reason === 'rona' ? true : undefined), 20_000);
    await sleep(500);
    expect((await engine.api('POST', '/api/agents/1002/state', { state: 'ready' })).status).toBe(200);
    const run = await running;
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await eventsOf(engine);
    const callId = ofType(ev, 'queue.joined').at(-1)?.callId;
    expect(ofType(ev, 'agent.rona').filter((e) => e.callId === callId).map((e) => e.agentId)).toEqual(['1001']);
    expect(ofType(ev, 'agent.rona')[0]?.ringMs).toBeGreaterThanOrEqual(3000);
    const answered = ofType(ev, 'call.answered').find((e) => e.callId === callId);
    expect(answered?.agentId).toBe('1002');
    expect(answered?.waitMs).toBeGreaterThan(3000);
    expect(await agentState(engine, '1001')).toMatchObject({ state: 'not-ready', reason: 'rona' });
  }, 60_000);
});
