import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonlEventLog } from '../../../src/adapters/event-log/jsonl-event-log.js';
import { historyRange } from '../../../src/cli/commands.js';
import { parseCsv } from '../../../src/cli/csv.js';
import { erlangFigures, runErlang, type ErlangResult } from '../../../src/cli/erlang-command.js';
import { collectList, parseCount, parseSeconds, parseShare } from '../../../src/cli/options.js';
import { runPlan, type PlanOptions, type PlanReport } from '../../../src/cli/plan-command.js';
import { stampEvent, type HotlineEvent } from '../../../src/domain/metrics/events.js';
import { TimeZone } from '../../../src/domain/metrics/time-zone.js';

const zone = TimeZone.of('Asia/Shanghai');

describe('hotline erlang', () => {
  it('Erlang C for 360 calls/h, AHT 180 s, 22 agents, 20 s: the figures of the textbook (A = 18 Erlangs)', () => {
    const out: string[] = [];
    expect(runErlang({ arrivalPerHour: 360, ahtSec: 180, agents: 22, slThresholdSec: 20, json: true, out: (s) => out.push(s), warn: () => undefined })).toBe(0);
    expect(JSON.parse(out[0] ?? '')).toEqual({
      model: 'erlang-c',
      arrivalPerHour: 360,
      ahtSec: 180,
      agents: 22,
      slThresholdSec: 20,
      patienceSec: null,
      trafficErlangs: 18,
      pWait: 0.2781,
      serviceLevel: 0.8217,
      asaSec: 12.51,
      pAbandon: null,
      occupancy: 0.8182,
      stable: true,
    });
  });

  it('the worked example every call-centre text uses: A = 10 Erlangs on 14 agents', () => {
    // 100 calls in 30 minutes, AHT 3 min: P(wait) 17.4 %, 88.8 % in 20 s, ASA 7.8 s, occupancy 71.4 %.
    const r = erlangFigures({ arrivalPerHour: 200, ahtSec: 180, agents: 14, slThresholdSec: 20 });
    expect([r.pWait, r.serviceLevel, r.asaSec, r.occupancy]).toEqual([0.1741, 0.8884, 7.84, 0.7143]);
  });

  it('Erlang A with --patience-sec: abandons, and the published A = 18, N = 20, 60 s point', () => {
    const r: ErlangResult = erlangFigures({ arrivalPerHour: 360, ahtSec: 180, agents: 20, slThresholdSec: 20, patienceSec: 60 });
    expect(r).toMatchObject({ model: 'erlang-a', patienceSec: 60, pWait: 0.2706, pAbandon: 0.0693, serviceLevel: 0.8694, asaSec: 3.46 });
  });

  it('prints a table for people, says when the queue is overloaded, rejects nonsense', () => {
    const out: string[] = [];
    const warn: string[] = [];
    expect(runErlang({ arrivalPerHour: 360, ahtSec: 180, agents: 18, slThresholdSec: 20, json: false, out: (s) => out.push(s), warn: (s) => warn.push(s) })).toBe(0);
    expect(out[0]).toContain('Load: 360 calls/h × AHT 180 s = 18.00 Erlangs on 18 agents');
    expect(out[0]).toContain('ASA            unbounded');
    expect(out[0]).toContain('Overloaded');
    expect(runErlang({ arrivalPerHour: 360, ahtSec: 180, agents: 0, patienceSec: 60, slThresholdSec: 20, json: false, out: (s) => out.push(s), warn: (s) => warn.push(s) })).toBe(2);
    expect(warn[0]).toMatch(/--agents must be a whole number ≥ 1/);
  });
});

describe('hotline plan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hotline-plan-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const base = (extra: Partial<PlanOptions>): PlanOptions => ({
    targets: { targetServiceLevel: 0.8, slThresholdSec: 20, shrinkage: 0.3 },
    intervalMinutes: 30,
    zone,
    patienceGiven: false,
    eventsDir: join(dir, 'events'),
    json: true,
    out: () => undefined,
    warn: () => undefined,
    ...extra,
  });

  it('from the history: weekday × 30 min forecast for next week, Erlang C and A, patience estimated', async () => {
    // Four Mondays, each 09:00–09:30: 100 calls answered after 10 s (handle 180 s) and 20 abandoned after 30 s.
    const log = new JsonlEventLog({ dir: join(dir, 'events') });
    const mondays = ['2024-04-15', '2024-04-22', '2024-04-29', '2024-05-06'].map((d) => Date.parse(`${d}T09:00:00+08:00`));
    mondays.forEach((monday, w) => {
      for (let i = 0; i < 120; i++) {
        const callId = `w${w}c${i}`;
        const joined = monday + i * 14_000;
        const evs: HotlineEvent[] = [stampEvent({ type: 'queue.joined', callId, queueId: 'sales', position: 1, priority: 0 }, joined)];
        if (i % 6 === 5) evs.push(stampEvent({ type: 'call.abandoned', callId, queueId: 'sales', waitMs: 30_000, whileRinging: false, position: 1 }, joined + 30_000));
        else {
          evs.push(stampEvent({ type: 'call.answered', callId, queueId: 'sales', agentId: 'a', waitMs: 10_000, ringMs: 1000 }, joined + 10_000));
          evs.push(stampEvent({ type: 'call.ended', callId, hungUpBy: 'caller', cause: 'normal', queueId: 'sales', agentId: 'a', talkMs: 170_000, durationMs: 1 }, joined + 180_000));
          evs.push(stampEvent({ type: 'agent.wrapup-ended', agentId: 'a', callId, wrapupMs: 10_000 }, joined + 190_000));
        }
        for (const e of evs) log.append(e);
      }
    });
    await log.close();
    const now = Date.parse('2024-05-15T12:00:00+08:00');
    const out: string[] = [];
    const code = await runPlan(base({ history: historyRange(undefined, zone, now), period: { fromMs: Date.parse('2024-05-20T00:00:00+08:00'), toMs: Date.parse('2024-05-27T00:00:00+08:00') }, out: (s) => out.push(s) }));
    expect(code).toBe(0);
    const plan = JSON.parse(out[0] ?? '') as PlanReport;
    expect(plan.forecast).toMatchObject({ source: 'history', from: '2024-04-15T00:00:00.000+08:00', to: '2024-05-13T00:00:00.000+08:00', calls: 480, meanAhtSec: 180 });
    expect(plan.patienceSec).toBe(((100 * 10 + 20 * 30) * 4) / 80); // 80 s
    expect(plan.patienceSource).toBe('history');
    expect(plan.intervals).toHaveLength(7 * 48);
    const monday9 = plan.intervals.find((i) => i.start === '2024-05-20T09:00:00.000+08:00');
    expect(Object.keys(monday9 ?? {})).toEqual(['start', 'forecastCalls', 'ahtSec', 'agentsErlangC', 'agentsErlangA', 'expectedServiceLevel', 'expectedAbandon', 'scheduledAgents']);
    expect(monday9).toMatchObject({ forecastCalls: 120, ahtSec: 180, agentsErlangC: 16 }); // 240/h × 180 s = 12 Erlangs
    expect(monday9?.agentsErlangA).toBeLessThanOrEqual(16);
    expect(plan.intervals.find((i) => i.start === '2024-05-21T09:00:00.000+08:00')).toMatchObject({ forecastCalls: 0, agentsErlangC: 0, scheduledAgents: 0 });
    const table: string[] = [];
    await runPlan(base({ history: historyRange(undefined, zone, now), period: { fromMs: Date.parse('2024-05-20T00:00:00+08:00'), toMs: Date.parse('2024-05-27T00:00:00+08:00') }, json: false, out: (s) => table.push(s) }));
    expect(table[0]).toContain('2024-05-20 09:00  120.00    180.0        16');
    expect(table[0]).toContain('335 interval(s) with no forecast calls not shown');
  });

  it('from a volumes CSV: one interval per line, published staffing; bad lines named by file:line', async () => {
    const file = join(dir, 'volumes.csv');
    await writeFile(file, '\ufeffstart,calls,aht_sec\r\n2024-05-20T09:00,100,180\r\n"2024-05-20T09:30",0,180\r\n');
    const out: string[] = [];
    expect(await runPlan(base({ volumesFile: file, out: (s) => out.push(s) }))).toBe(0);
    const plan = JSON.parse(out[0] ?? '') as PlanReport;
    expect(plan.patienceSec).toBeNull();
    expect(plan.intervals).toEqual([
      { start: '2024-05-20T09:00:00.000+08:00', forecastCalls: 100, ahtSec: 180, agentsErlangC: 14, agentsErlangA: null, expectedServiceLevel: 0.8884, expectedAbandon: null, scheduledAgents: 20 },
      { start: '2024-05-20T09:30:00.000+08:00', forecastCalls: 0, ahtSec: 180, agentsErlangC: 0, agentsErlangA: 0, expectedServiceLevel: null, expectedAbandon: null, scheduledAgents: 0 },
    ]);
    await writeFile(file, 'start,calls,aht_sec\n2024-05-20T09:00,lots,180\n');
    const warn: string[] = [];
    expect(await runPlan(base({ volumesFile: file, warn: (s) => warn.push(s) }))).toBe(2);
    expect(warn[0]).toBe(`hotline plan: ${file}:2: calls "lots" must be a number ≥ 0`);
    await writeFile(file, 'when,calls\n');
    expect(await runPlan(base({ volumesFile: file, warn: (s) => warn.push(s) }))).toBe(2);
    expect(warn[1]).toMatch(/must name the columns start,calls,aht_sec/);
  });
});

describe('command-line helpers', () => {
  it('history ranges: the default four whole weeks, or <from>..<to>', () => {
    const now = Date.parse('2024-05-15T12:00:00+08:00');
    const r = historyRange(undefined, zone, now);
    expect([zone.format(r.fromMs), zone.format(r.toMs)]).toEqual(['2024-04-15T00:00:00.000+08:00', '2024-05-13T00:00:00.000+08:00']);
    const m = historyRange('2024-04..2024-04', zone, now);
    expect([zone.format(m.fromMs), zone.format(m.toMs)]).toEqual(['2024-04-01T00:00:00.000+08:00', '2024-05-01T00:00:00.000+08:00']);
    expect(() => historyRange('2024-04', zone, now)).toThrow(/<from>\.\.<to>/);
  });

  it('CSV: quotes, doubled quotes, CRLF, blank lines', () => {
    expect(parseCsv('a,b\r\n"x,1","say ""hi"""\n\n3,\n')).toEqual([
      ['a', 'b'],
      ['x,1', 'say "hi"'],
      ['3', ''],
    ]);
  });

  it('option parsers', () => {
    expect(parseSeconds('20')).toBe(20);
    expect(() => parseSeconds('-1')).toThrow(/seconds/);
    expect(() => parseSeconds('')).toThrow();
    expect(parseShare('0.8')).toBe(0.8);
    expect(parseShare('80%')).toBe(0.8);
    expect(parseShare('30')).toBe(0.3);
    expect(() => parseShare('150')).toThrow(/at most 1/);
    expect(parseCount('22')).toBe(22);
    expect(() => parseCount('2.5')).toThrow(/whole number/);
    expect(collectList('sales, support', ['vip'])).toEqual(['vip', 'sales', 'support']);
  });
});
