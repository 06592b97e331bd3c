/**
 * Overflow on max wait over real SIP: nobody can take sales; after maxWaitSec the caller hears the
 * "transferring" prompt and moves to support, where agent 1003 (baresip) answers; the audio flows both ways.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import { startBaresip, type Baresip } from '../support/baresip.js';
import { runSipp } from '../support/sipp.js';
import { audioStats, makeTone } from '../support/audio.js';
import { waitFor } from '../support/ports.js';
import { agentState, eventsOf, ofType, quietQueues } from './acd-e2e-support.js';

let engine: Engine;
let agent1003: Baresip;

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-tone-'));
  const tone = path.join(work, 'tone.wav');
  await makeTone(tone, 1000, 60);
  engine = await startEngine({ editHotline: (y) => quietQueues(y).replace('maxWaitSec: 300', 'maxWaitSec: 4') });
  agent1003 = await startBaresip({ agentId: '1003', password: 'secret-1003', engineSipPort: engine.sipPort, autoAnswer: true, voiceFile: tone });
  await waitFor('1003 available', async () => (await agentState(engine, '1003')).state === 'available' || undefined);
}, 60_000);

afterAll(async () => {
  await agent1003?.stop();
  await engine?.stop();
});

describe('ACD on real SIP: overflow on max wait', () => {
  it('sales has no agent: after 4 s the caller overflows to support and 1003 answers', async () => {
    const run = await runSipp({ scenario: 'caller-sales-talk.xml', target: `127.0.0.1:${engine.sipPort}`, args: ['-rtp_echo'], timeoutSec: 90 });
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await eventsOf(engine);
    const joined = ofType(ev, 'queue.joined');
    const callId = joined[0]?.callId;
    expect(joined.map((e) => e.queueId)).toEqual(['sales', 'support']);
    const exited = ofType(ev, 'queue.exited')[0];
    expect(exited).toMatchObject({ callId, queueId: 'sales', reason: 'max-wait', action: 'queue', target: 'support' });
    expect(exited?.waitMs).toBeGreaterThanOrEqual(4000);
    expect(exited?.waitMs).toBeLessThan(5000);
    const answered = ofType(ev, 'call.answered').find((e) => e.callId === callId);
    expect(answered).toMatchObject({ queueId: 'support', agentId: '1003' });
    expect(answered?.waitMs).toBeGreaterThanOrEqual(4000);
    // The agent's tone went to the caller, which echoed it back.
    const recs = await agent1003.recordings();
    expect(recs).toHaveLength(1);
    const stats = await audioStats(recs[0] as string);
    expect(stats.rmsAmplitude).toBeGreaterThan(0.05);
    expect(Math.abs(stats.roughFrequencyHz - 1000)).toBeLessThan(60);
    const report = await engine.cli(['report', '--json']);
    expect(report.code, report.stderr).toBe(0);
    const r = JSON.parse(report.stdout) as { queues: Array<{ queueId: string; offered: number; answered: number }> };
    expect(r.queues.find((q) => q.queueId === 'support')).toMatchObject({ offered: 1, answered: 1 });
  }, 60_000);
});
