/**
 * An agent's blind transfer over real SIP: a SIPp caller reaches sales, agent 1001 (baresip) answers, then its
 * phone transfers the call to the support queue (REFER, RFC 3515, sent by baresip's transfer command); the engine
 * accepts (202, NOTIFY sipfrag), ends 1001's part (agent.transferred, wrap-up), queues the caller in support, where
 * agent 1003 (baresip) answers and the audio flows both ways.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import type { Baresip } from '../support/baresip.js';
import { runSipp } from '../support/sipp.js';
import { audioStats, makeTone } from '../support/audio.js';
import { waitFor } from '../support/ports.js';
import { agentState, eventsOf, ofType, quietQueues, startReadyAgent } from './acd-e2e-support.js';

let engine: Engine;
let tone: string;
const agents: Baresip[] = [];

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-tone-'));
  tone = path.join(work, 'tone.wav');
  await makeTone(tone, 1000, 60);
  engine = await startEngine({ editHotline: (y) => quietQueues(y) });
  agents.push(await startReadyAgent(engine, '1001', tone, { control: true }));
}, 60_000);

afterAll(async () => {
  for (const a of agents) await a.stop();
  await engine?.stop();
});

describe('agent blind transfer on real SIP', () => {
  it('1001 transfers the sales caller to the support queue; 1003 answers there', async () => {
    const caller = runSipp({ scenario: 'caller-sales-talk.xml', target: `127.0.0.1:${engine.sipPort}`, args: ['-rtp_echo'], timeoutSec: 60 });
    const answered = await waitFor('call.answered by 1001', async () => ofType(await eventsOf(engine), 'call.answered').find((e) => e.agentId === '1001'), 30_000);
    // Only now does a support agent log in, so the transferred caller waits for it in support.
    agents.push(await startReadyAgent(engine, '1003', tone));
    await agents[0]!.command('transfer', `sip:support@127.0.0.1:${engine.sipPort}`);
    const second = await waitFor('call.answered by 1003', async () => ofType(await eventsOf(engine), 'call.answered').find((e) => e.agentId === '1003'), 30_000);
    expect(second).toMatchObject({ callId: answered.callId, queueId: 'support' });
    const ev = await eventsOf(engine);
    expect(ofType(ev, 'agent.transferred')).toEqual([expect.objectContaining({ callId: answered.callId, queueId: 'sales', agentId: '1001', kind: 'blind', target: 'support' })]);
    expect(ofType(ev, 'queue.joined').filter((e) => e.callId === answered.callId).map((e) => e.queueId)).toEqual(['sales', 'support']);
    expect(['wrap-up', 'available']).toContain((await agentState(engine, '1001')).state);
    const run = await caller;
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ended = await waitFor('call.ended', async () => ofType(await eventsOf(engine), 'call.ended').find((e) => e.callId === answered.callId), 10_000);
    expect(ended).toMatchObject({ hungUpBy: 'caller', queueId: 'support', agentId: '1003' });
    // The caller echoes what it hears (-rtp_echo): 1003's tone came back through the bridge to 1003.
    const recs = await agents[1]!.recordings();
    expect(recs).toHaveLength(1);
    const stats = await audioStats(recs[0] as string);
    expect(stats.rmsAmplitude).toBeGreaterThan(0.05);
    expect(Math.abs(stats.roughFrequencyHz - 1000)).toBeLessThan(60);
  }, 90_000);
});
