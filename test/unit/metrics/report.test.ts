import { describe, expect, it } from 'vitest';
import { stampEvent, type HotlineEvent } from '../../../src/domain/metrics/events.js';
import { buildReport, createReportFold } from '../../../src/domain/metrics/report.js';
import { EXPECTED, FIXTURE, FIXTURE_START_MS } from './report-fixture.js';

const MIN = 60_000;

describe('report fold', () => {
  it('computes every figure of the hand-written fixture', () => {
    expect(buildReport(FIXTURE, { slThresholdSec: 20 })).toEqual(EXPECTED);
  });

  it('defaults to a 20 s threshold and emits exactly the documented keys, in order', () => {
    const report = buildReport(FIXTURE);
    expect(report.slThresholdSec).toBe(20);
    expect(Object.keys(report)).toEqual(['slThresholdSec', 'slFormula', 'slDefinition', 'shortAbandonSec', 'fcrWindowHours', 'timeZone', 'by', 'rows', 'queues', 'total']);
    const rowKeys = [
      'offered',
      'answered',
      'abandoned',
      'answeredWithin',
      'abandonedWithin',
      'shortAbandoned',
      'serviceLevelPct',
      'abandonRatePct',
      'asaSec',
      'ahtSec',
      'avgTalkSec',
      'avgWrapupSec',
      'ringToAnswerSec',
      'rona',
      'occupancyPct',
      'answerRatePct',
      'fcrPct',
      'csatAvg',
      'csatSatisfiedPct',
    ];
    expect(Object.keys(report.total)).toEqual(rowKeys);
    for (const row of report.queues) expect(Object.keys(row)).toEqual(['queueId', ...rowKeys]);
    expect(report.queues.map((r) => r.queueId)).toEqual(['billing', 'sales', 'vip']);
    // null, never NaN, survives JSON
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('applies the threshold: with 10 s only b3 (1 s) is within', () => {
    const report = buildReport(FIXTURE, { slThresholdSec: 10 });
    expect(report.queues.find((r) => r.queueId === 'sales')?.answeredWithin).toBe(0);
    expect(report.total.answeredWithin).toBe(1);
    expect(report.total.serviceLevelPct).toBe(14.29); // 100 / 7
  });

  it('streams: add() one by one equals the batch result, and result() does not disturb the fold', () => {
    const fold = createReportFold({ slThresholdSec: 20 });
    const half = Math.floor(FIXTURE.length / 2);
    FIXTURE.slice(0, half).forEach((e) => fold.add(e));
    const partial = fold.result();
    expect(fold.result()).toEqual(partial);
    FIXTURE.slice(half).forEach((e) => fold.add(e));
    expect(fold.result()).toEqual(EXPECTED);
  });

  it('counts only events in [from, to) and names the range', () => {
    const fromMs = FIXTURE_START_MS + 30_000; // after c1/c2/c3 joined, before b1 joined
    const toMs = FIXTURE_START_MS + 200_000;
    const report = buildReport(FIXTURE, { fromMs, toMs });
    expect(report.from).toBe('2024-05-01T17:00:30.000+08:00');
    expect(report.to).toBe('2024-05-01T17:03:20.000+08:00');
    expect(Object.keys(report).slice(6, 8)).toEqual(['from', 'to']);
    const sales = report.queues.find((r) => r.queueId === 'sales');
    // c1 (answered at 17 s) is before the range; c2 answered at 40 s and c3 abandoned at 65 s are in it;
    // c1 ends in the range (117 s, wrap-up at 137 s) so its handle time counts; c2 ends at 240 s, after it.
    expect(sales).toMatchObject({ offered: 2, answered: 1, abandoned: 1, answeredWithin: 0, ahtSec: 120, asaSec: 30 });
    const billing = report.queues.find((r) => r.queueId === 'billing');
    // b1 abandoned, b3 answered and ended with wrap-up; b2 still in queue at 200 s.
    expect(billing).toMatchObject({ offered: 2, answered: 1, abandoned: 1, ahtSec: 71.23 });
  });

  it('empty input: no queues, a total of zeros and nulls', () => {
    const r = buildReport([]);
    expect(r.rows).toEqual([]);
    expect(r.queues).toEqual([]);
    expect(r.total).toEqual({
      offered: 0,
      answered: 0,
      abandoned: 0,
      answeredWithin: 0,
      abandonedWithin: 0,
      shortAbandoned: 0,
      serviceLevelPct: null,
      abandonRatePct: null,
      asaSec: null,
      ahtSec: null,
      avgTalkSec: null,
      avgWrapupSec: null,
      ringToAnswerSec: null,
      rona: 0,
      occupancyPct: null,
      answerRatePct: null,
      fcrPct: null,
      csatAvg: null,
      csatSatisfiedPct: null,
    });
  });

  it('a wrap-up later than the grace period no longer counts; handle time is the talk alone', () => {
    const t = FIXTURE_START_MS;
    const evs: HotlineEvent[] = [
      stampEvent({ type: 'call.answered', callId: 'x', queueId: 'q', agentId: 'a', waitMs: 0, ringMs: 0 }, t),
      stampEvent({ type: 'call.ended', callId: 'x', hungUpBy: 'caller', cause: 'normal', talkMs: 60_000, durationMs: 60_000 }, t + MIN),
      stampEvent({ type: 'call.answered', callId: 'y', queueId: 'q', agentId: 'b', waitMs: 0, ringMs: 0 }, t + 10 * MIN),
      stampEvent({ type: 'agent.wrapup-ended', agentId: 'a', callId: 'x', wrapupMs: 30 * MIN }, t + 31 * MIN),
    ];
    // The wrap-up ends 30 min after the call: too late for a 30 min − 1 ms grace, in time for 30 min.
    expect(buildReport(evs, { wrapupGraceMs: 30 * MIN - 1 }).total.ahtSec).toBe(60);
    expect(buildReport(evs, { wrapupGraceMs: 30 * MIN }).total.ahtSec).toBe(60 + 30 * 60);
  });

  it('a wrap-up reported before its call.ended (same-instant events) is still matched', () => {
    const t = FIXTURE_START_MS;
    const report = buildReport([
      stampEvent({ type: 'call.answered', callId: 'x', queueId: 'q', agentId: 'a', waitMs: 0, ringMs: 0 }, t),
      stampEvent({ type: 'agent.wrapup-ended', agentId: 'a', callId: 'x', wrapupMs: 5_000 }, t + 10_000),
      stampEvent({ type: 'call.ended', callId: 'x', hungUpBy: 'caller', cause: 'normal', talkMs: 10_000, durationMs: 10_000 }, t + 10_000),
    ]);
    expect(report.total.ahtSec).toBe(15);
  });

  it('a call moved to another queue without an outcome counts as offered to the first queue', () => {
    const t = FIXTURE_START_MS;
    const report = buildReport([
      stampEvent({ type: 'queue.joined', callId: 'x', queueId: 'a', position: 1, priority: 0 }, t),
      stampEvent({ type: 'queue.joined', callId: 'x', queueId: 'b', position: 1, priority: 0 }, t + 60_000),
      stampEvent({ type: 'call.answered', callId: 'x', queueId: 'b', agentId: 'z', waitMs: 5_000, ringMs: 1_000 }, t + 65_000),
    ]);
    expect(report.queues.map((r) => [r.queueId, r.offered, r.answered, r.serviceLevelPct])).toEqual([
      ['a', 1, 0, 0],
      ['b', 1, 1, 100],
    ]);
  });

  it('rejects an invalid threshold', () => {
    expect(() => createReportFold({ slThresholdSec: -1 })).toThrow(RangeError);
    expect(() => createReportFold({ slThresholdSec: Number.NaN })).toThrow(RangeError);
  });
});
