/**
 * Callback keeping the place, over real SIP: a SIPp caller joins sales with nobody to take it, accepts the
 * callback offer (key 1) and is hung up by the engine; when agent 1002 (baresip) logs in, the engine reserves
 * it, calls the caller back through the trunk — on the caller's own number only (the SIPp callee checks the
 * Request-URI) — rings the agent once the caller answers, and bridges them; the audio flows both ways.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import { startBaresip, type Baresip } from '../support/baresip.js';
import { runSipp } from '../support/sipp.js';
import { audioStats, makeTone } from '../support/audio.js';
import { freePort, waitFor } from '../support/ports.js';
import { agentState, eventsOf, ofType, quietQueues, startSippUas, type SippUas } from './acd-e2e-support.js';

let engine: Engine;
let callee: SippUas;
let agent1002: Baresip | undefined;
let tone: string;

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-tone-'));
  tone = path.join(work, 'tone.wav');
  await makeTone(tone, 1000, 60);
  const trunkPort = await freePort();
  callee = await startSippUas('acd-callback-callee.xml', trunkPort);
  engine = await startEngine({
    editHotline: (y) =>
      quietQueues(y)
        .replace(/^queues:/m, `trunk: { host: 127.0.0.1, port: ${trunkPort}, transport: udp }\n\nqueues:`)
        .replace('maxWaitSec: 300', 'maxWaitSec: 300\n    callback: { key: "1", offerAfterSec: 3, offerEverySec: 30, maxAttempts: 2, retryAfterSec: 5, dialTimeoutSec: 20 }'),
  });
}, 60_000);

afterAll(async () => {
  callee?.stop();
  await agent1002?.stop();
  await engine?.stop();
});

describe('ACD on real SIP: callback keeping the place', () => {
  it('the caller accepts, hangs up, keeps its place; an agent is reserved, the caller called back and bridged', async () => {
    const run = await runSipp({ scenario: 'acd-caller-callback.xml', target: `127.0.0.1:${engine.sipPort}`, timeoutSec: 90 });
    expect(run.code, run.stdout + run.errors).toBe(0);
    let ev = await eventsOf(engine);
    const callId = ofType(ev, 'queue.joined')[0]?.callId;
    expect(ofType(ev, 'queue.announced').some((e) => e.callId === callId && e.kind === 'callback-offer')).toBe(true);
    expect(ofType(ev, 'queue.callback-accepted')[0]).toMatchObject({ callId, queueId: 'sales', trigger: 'key', position: 1 });
    expect(ofType(ev, 'call.abandoned')).toEqual([]);
    expect(ofType(ev, 'call.ended')).toEqual([]);
    const waiting = await engine.api<{ queues: Array<{ id: string; callers: Array<{ callId: string }> }> }>('GET', '/api/queues');
    expect(waiting.body.queues.find((q) => q.id === 'sales')?.callers.map((c) => c.callId)).toEqual([callId]);

    agent1002 = await startBaresip({ agentId: '1002', password: 'secret-1002', engineSipPort: engine.sipPort, autoAnswer: true, voiceFile: tone });
    const calleeRun = await callee.done;
    expect(calleeRun.code, calleeRun.output).toBe(0);
    await waitFor('call.ended', async () => ofType(await eventsOf(engine), 'call.ended').find((e) => e.callId === callId), 10_000);
    ev = await eventsOf(engine);
    expect(ofType(ev, 'queue.callback-attempt')).toEqual([expect.objectContaining({ callId, agentId: '1002', attempt: 1, outcome: 'answered' })]);
    const reserved = ofType(ev, 'agent.state-changed').filter((e) => e.agentId === '1002' && e.callId === callId).map((e) => e.to);
    expect(reserved.slice(0, 4)).toEqual(['reserved', 'ringing', 'on-call', 'wrap-up']);
    const answered = ofType(ev, 'call.answered').find((e) => e.callId === callId);
    expect(answered).toMatchObject({ queueId: 'sales', agentId: '1002' });
    expect(ofType(ev, 'call.ended').find((e) => e.callId === callId)).toMatchObject({ hungUpBy: 'caller', agentId: '1002' });
    const recs = await agent1002.recordings();
    expect(recs).toHaveLength(1);
    const stats = await audioStats(recs[0] as string);
    expect(stats.rmsAmplitude).toBeGreaterThan(0.05);
    expect(Math.abs(stats.roughFrequencyHz - 1000)).toBeLessThan(60);
    expect((await agentState(engine, '1002')).registered).toBe(true);
  }, 120_000);
});
