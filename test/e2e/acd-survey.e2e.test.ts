/**
 * The post-call satisfaction survey over real SIP: a SIPp caller reaches sales, agent 1001 (baresip) answers and
 * hangs up first; the caller stays on the line, hears the survey question, scores 4 by SIP INFO, hears thanks and
 * is hung up by the engine. The score is a csat.scored event and shows in `hotline report --json`.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import type { Baresip } from '../support/baresip.js';
import { runSipp } from '../support/sipp.js';
import { makeTone } from '../support/audio.js';
import { waitFor } from '../support/ports.js';
import { eventsOf, ofType, quietQueues, startReadyAgent } from './acd-e2e-support.js';

let engine: Engine;
let agent: Baresip | undefined;

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-tone-'));
  const tone = path.join(work, 'tone.wav');
  await makeTone(tone, 1000, 60);
  engine = await startEngine({
    editHotline: (y) => quietQueues(y).replace('dispositionCodes: [sale, quote-sent, not-interested, follow-up]', 'dispositionCodes: [sale, quote-sent, not-interested, follow-up]\n    survey: { timeoutSec: 8 }'),
  });
  agent = await startReadyAgent(engine, '1001', tone, { control: true });
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await engine?.stop();
});

describe('post-call survey on real SIP', () => {
  it('the agent hangs up first; the caller scores 4 by INFO; csat.scored and the report show it', async () => {
    const caller = runSipp({ scenario: 'caller-survey.xml', target: `127.0.0.1:${engine.sipPort}`, timeoutSec: 60 });
    const answered = await waitFor('call.answered', async () => ofType(await eventsOf(engine), 'call.answered')[0], 30_000);
    await agent?.command('hangup');
    const run = await caller;
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await eventsOf(engine);
    const ended = ofType(ev, 'call.ended').find((e) => e.callId === answered.callId);
    expect(ended).toMatchObject({ hungUpBy: 'agent', queueId: 'sales', agentId: '1001' });
    expect(ofType(ev, 'csat.scored')).toEqual([expect.objectContaining({ callId: answered.callId, queueId: 'sales', agentId: '1001', score: 4 })]);
    const report = await engine.cli(['report', '--json']);
    const total = (JSON.parse(report.stdout) as { total: { csatAvg: number | null; csatSatisfiedPct: number | null } }).total;
    expect(total).toMatchObject({ csatAvg: 4, csatSatisfiedPct: 100 });
  }, 90_000);
});
