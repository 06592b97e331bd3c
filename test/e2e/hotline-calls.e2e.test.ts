/**
 * A short day on the sample 400 hotline, end to end on 127.0.0.1 with real peers: SIPp callers (RFC 4733 DTMF
 * from SIPp's pcaps, and SIP INFO), baresip agents registered with digest auth. Afterwards `hotline report --json`
 * must show exactly these outcomes.
 */
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import { startBaresip, type Baresip } from '../support/baresip.js';
import { runSipp } from '../support/sipp.js';
import { audioStats, makeTone } from '../support/audio.js';
import { sleep, waitFor } from '../support/ports.js';
import type { HotlineEvent } from '../../src/domain/metrics/events.js';

let engine: Engine;
let agent1001: Baresip; // never answers: RONA
let agent1002: Baresip; // answers automatically
let toneFile: string;

async function events(): Promise<HotlineEvent[]> {
  const dir = path.join(engine.dataDir, 'events');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const lines = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('').split('\n').filter(Boolean);
  return lines.map((l) => JSON.parse(l) as HotlineEvent);
}

async function agentState(id: string): Promise<{ state: string; reason?: string; registered: boolean }> {
  const r = await engine.api<{ agents: Array<{ id: string; state: string; reason?: string; registered: boolean }> }>('GET', '/api/agents');
  const a = r.body.agents.find((x) => x.id === id);
  if (!a) throw new Error(`no agent ${id}`);
  return a;
}

const caller = (scenario: string, extra: string[] = []) =>
  runSipp({ scenario, target: `127.0.0.1:${engine.sipPort}`, args: extra, timeoutSec: 90 });

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-tone-'));
  toneFile = path.join(work, 'tone-1000hz.wav');
  await makeTone(toneFile, 1000, 60);
  engine = await startEngine({
    editHotline: (y) => y.replace(/ringTimeoutSec: 15/g, 'ringTimeoutSec: 3').replace(/wrapupSec: 10/g, 'wrapupSec: 1'),
  });
  agent1001 = await startBaresip({ agentId: '1001', password: 'secret-1001', engineSipPort: engine.sipPort, autoAnswer: false, voiceFile: toneFile });
  await waitFor('1001 available', async () => (await agentState('1001')).state === 'available' || undefined);
  await sleep(50); // 1001 idle longer than 1002: it is offered first
  agent1002 = await startBaresip({ agentId: '1002', password: 'secret-1002', engineSipPort: engine.sipPort, autoAnswer: true, voiceFile: toneFile });
  await waitFor('1002 available', async () => (await agentState('1002')).state === 'available' || undefined);
}, 60_000);

afterAll(async () => {
  await agent1001?.stop();
  await agent1002?.stop();
  await engine?.stop();
});

describe('the sample hotline on real SIP peers', () => {
  it('RONA: 1001 rings out and goes not-ready (rona); 1002 answers; audio flows both ways', async () => {
    const run = await caller('caller-sales-talk.xml', ['-rtp_echo']);
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await events();
    const callId = ev.find((e) => e.type === 'queue.joined')?.callId;
    expect(ev.filter((e) => e.type === 'agent.rona' && e.callId === callId).map((e) => 'agentId' in e && e.agentId)).toEqual(['1001']);
    const answered = ev.find((e): e is Extract<HotlineEvent, { type: 'call.answered' }> => e.type === 'call.answered' && e.callId === callId);
    expect(answered?.agentId).toBe('1002');
    expect(await agentState('1001')).toMatchObject({ state: 'not-ready', reason: 'rona' });
    // The agent's tone went to the caller, which echoed it back: the agent hears its own 1 kHz tone.
    const recs = await agent1002.recordings();
    expect(recs.length).toBe(1);
    const stats = await audioStats(recs[0] as string);
    expect(stats.lengthSec).toBeGreaterThan(5);
    expect(stats.rmsAmplitude).toBeGreaterThan(0.05);
    expect(Math.abs(stats.roughFrequencyHz - 1000)).toBeLessThan(60);
  }, 60_000);

  it('answered call: key 1 during the greeting (barge-in) goes straight to sales; the caller hears the agent', async () => {
    await waitFor('1002 back from wrap-up', async () => (await agentState('1002')).state === 'available' || undefined);
    const run = await caller('caller-sales-talk.xml', ['-rtp_echo']);
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await events();
    const answered = ev.filter((e) => e.type === 'call.answered');
    expect(answered).toHaveLength(2);
    const recs = await agent1002.recordings();
    expect(recs.length).toBe(2);
    const stats = await audioStats(recs[1] as string);
    expect(Math.abs(stats.roughFrequencyHz - 1000)).toBeLessThan(60);
  }, 60_000);

  it('a caller who hangs up while queued abandons (RFC 4733 key 1 → sales; SIP INFO key 2 → support)', async () => {
    await waitFor('1002 back from wrap-up', async () => (await agentState('1002')).state === 'available' || undefined);
    const nr = await engine.api('POST', '/api/agents/1002/state', { state: 'not-ready', reason: 'break' });
    expect(nr.status).toBe(200);
    expect((await caller('caller-sales-abandon.xml')).code).toBe(0);
    expect((await caller('caller-support-info-abandon.xml')).code).toBe(0);
    const ev = await events();
    const abandoned = ev.filter((e): e is Extract<HotlineEvent, { type: 'call.abandoned' }> => e.type === 'call.abandoned');
    expect(abandoned.map((e) => e.queueId).sort()).toEqual(['sales', 'support']);
    for (const a of abandoned) expect(a.waitMs).toBeGreaterThan(2000);
    expect(ev.some((e) => e.type === 'digits.received' && 'source' in e && e.source === 'sip-info')).toBe(true);
    expect(ev.some((e) => e.type === 'digits.received' && 'source' in e && e.source === 'rfc4733')).toBe(true);
  }, 60_000);

  it('a caller who presses nothing hears the menu 3 times, then goodbye, and the engine hangs up', async () => {
    const run = await caller('caller-silent.xml');
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await events();
    const callId = ev.filter((e) => e.type === 'call.offered').at(-1)?.callId;
    expect(ev.filter((e) => e.type === 'menu.failed' && e.callId === callId).map((e) => 'kind' in e && e.kind)).toEqual(['timeout', 'timeout', 'timeout']);
    expect(ev.find((e) => e.type === 'call.ended' && e.callId === callId)).toMatchObject({ hungUpBy: 'system' });
  }, 90_000);

  it('an unknown number gets 404', async () => {
    expect((await caller('caller-unknown-number.xml')).code).toBe(0);
  });

  it('malformed SIP gets 400 or is dropped, and the engine keeps serving', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const port = (sock.address()).port;
    const replies: string[] = [];
    sock.on('message', (m) => replies.push(m.toString()));
    const send = (text: string) => new Promise<void>((r) => sock.send(text, engine.sipPort, '127.0.0.1', () => r()));
    await send('\x00\x01garbage that is not SIP at all\r\n\r\n');
    await send(`INVITE sip:4008208820@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKbad1\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:4008208820@127.0.0.1>\r\nCall-ID: bad-cseq@test\r\nCSeq: many INVITE\r\nContent-Length: 0\r\n\r\n`);
    await waitFor('400 reply', () => replies.find((r) => r.startsWith('SIP/2.0 400')), 5000);
    await send(`OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKopt1\r\nFrom: <sip:a@127.0.0.1>;tag=2\r\nTo: <sip:127.0.0.1>\r\nCall-ID: opt@test\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`);
    await waitFor('200 to OPTIONS', () => replies.find((r) => r.startsWith('SIP/2.0 200') && r.includes('opt@test')), 5000);
    sock.close();
    expect((await engine.api('GET', '/health')).status).toBe(200);
  });

  it('a wrong password gets 401, and repeated failures are throttled', async () => {
    const results: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const run = await runSipp({ scenario: 'register-wrong-password.xml', target: `127.0.0.1:${engine.sipPort}`, service: '1003', args: ['-au', '1003', '-ap', 'wrong-password'], timeoutSec: 10 });
      results.push(run.code);
    }
    // The scenario passes while the engine answers 401; once throttled it gets 403 and the scenario fails.
    expect(results.slice(0, 3).every((c) => c === 0)).toBe(true);
    expect(results.at(-1)).not.toBe(0);
    expect((await agentState('1003')).registered).toBe(false);
  }, 60_000);

  it('hotline report --json shows exactly these outcomes', async () => {
    await sleep(300); // let the event log flush
    const r = await engine.cli(['report', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { total: Record<string, number>; queues: Array<Record<string, unknown>> };
    expect(report.total).toMatchObject({ offered: 4, answered: 2, abandoned: 2, answeredWithin: 2, serviceLevelPct: 50, abandonRatePct: 50 });
    const sales = report.queues.find((q) => q.queueId === 'sales');
    expect(sales).toMatchObject({ offered: 3, answered: 2, abandoned: 1 });
    const support = report.queues.find((q) => q.queueId === 'support');
    expect(support).toMatchObject({ offered: 1, answered: 0, abandoned: 1 });
    expect(report.total.asaSec).toBeGreaterThan(0);
    expect(report.total.ahtSec).toBeGreaterThan(10);
    expect(report.total.ringToAnswerSec).toBeGreaterThanOrEqual(0);
    const byAgent = await engine.cli(['report', '--by', 'agent', '--json']);
    const agents = (JSON.parse(byAgent.stdout) as { rows: Array<{ agentId: string; answered: number; rona: number }> }).rows;
    expect(agents.find((a) => a.agentId === '1001')).toMatchObject({ answered: 0, rona: 1 });
    expect(agents.find((a) => a.agentId === '1002')).toMatchObject({ answered: 2, rona: 0 });
  });

  it('GET /metrics counts the same calls live', async () => {
    const r = await fetch(`${engine.baseUrl}/metrics`);
    const text = await r.text();
    expect(text).toContain('hotline_calls_answered_total{queue="sales"} 2');
    expect(text).toContain('hotline_calls_abandoned_total{queue="sales"} 1');
    expect(text).toContain('hotline_calls_abandoned_total{queue="support"} 1');
    expect(text).toContain('hotline_rona_total{queue="sales"} 1');
    expect(text).toMatch(/hotline_agents\{state="not-ready"\} 2/);
  });
});
