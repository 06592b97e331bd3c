/**
 * The every-event fixture (full-fixture.ts) through every report option, each figure worked out by hand in
 * the comments.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, type ReportOptions } from '../../../src/domain/metrics/report.js';
import { END, FULL, QUEUE_SKILLS, T0 } from './full-fixture.js';

const range = { fromMs: T0, toMs: END };
const report = (opts: ReportOptions = {}) => buildReport(FULL, { ...range, ...opts });
const row = <T extends object>(rows: T[], key: string, value: string): T | undefined => rows.find((r) => (r as Record<string, unknown>)[key] === value);

describe('report over every event type', () => {
  it('per queue: offered, outcomes, SL, ASA, AHT, talk, wrap-up, ring, RONA, answer rate, FCR, CSAT', () => {
    const r = report();
    expect(r.rows).toEqual(r.queues);
    expect(row(r.queues, 'queueId', 'sales')).toEqual({
      queueId: 'sales',
      offered: 4, // c1 answered, c3 left (timeout), c5 abandoned, c6 answered
      answered: 2,
      abandoned: 1,
      answeredWithin: 2, // 10 s and exactly 20 s
      abandonedWithin: 1, // c5 after 3 s
      shortAbandoned: 0,
      serviceLevelPct: 50,
      abandonRatePct: 25,
      asaSec: 15, // (10 + 20) / 2
      ahtSec: 120, // c1: 100 + 20; c6 still talking
      avgTalkSec: 100,
      avgWrapupSec: 20,
      ringToAnswerSec: 5.5, // (5 + 6) / 2
      rona: 0,
      occupancyPct: null, // agents are not per queue
      answerRatePct: 50,
      fcrPct: 50, // c1 repeated by c3 70 s after it ended; c6 not repeated
      csatAvg: 5,
      csatSatisfiedPct: 100,
    });
    expect(row(r.queues, 'queueId', 'support')).toEqual({
      queueId: 'support',
      offered: 3, // c2 abandoned, c4 and c7 answered
      answered: 2,
      abandoned: 1,
      answeredWithin: 2,
      abandonedWithin: 0, // c2 after 30 s
      shortAbandoned: 0,
      serviceLevelPct: 66.67,
      abandonRatePct: 33.33,
      asaSec: 3.5,
      ahtSec: 70, // c4: 60 s to the transfer + 10 s; c7: 60 + 10 (c4's later call.ended does not add talk)
      avgTalkSec: 60,
      avgWrapupSec: 10,
      ringToAnswerSec: 2.5,
      rona: 1,
      occupancyPct: null,
      answerRatePct: 66.67,
      fcrPct: 100,
      csatAvg: 2,
      csatSatisfiedPct: 0,
    });
    expect(r.total).toEqual({
      offered: 7,
      answered: 4,
      abandoned: 2,
      answeredWithin: 4,
      abandonedWithin: 1,
      shortAbandoned: 0,
      serviceLevelPct: 57.14,
      abandonRatePct: 28.57,
      asaSec: 9.25, // (10 + 20 + 4 + 3) / 4
      ahtSec: 86.67, // (120 + 70 + 70) / 3
      avgTalkSec: 73.33,
      avgWrapupSec: 13.33,
      ringToAnswerSec: 4,
      rona: 1,
      occupancyPct: 5.6, // busy 120 + 140 s over staffed 2700 + 1940 s
      answerRatePct: 57.14,
      fcrPct: 75,
      csatAvg: 3.5,
      csatSatisfiedPct: 50,
    });
  });

  it('per agent: offers, answers, RONA, handle times, occupancy, time in each state and not-ready reason', () => {
    const r = report({ by: 'agent' });
    expect(r.rows.map((x) => x.agentId)).toEqual(['a1', 'a2']);
    expect(row(r.rows, 'agentId', 'a1')).toMatchObject({
      offered: 3, // c1, c3 (declined), c6
      answered: 2,
      abandoned: 0,
      serviceLevelPct: null,
      abandonRatePct: null,
      ahtSec: 120,
      ringToAnswerSec: 5.5,
      rona: 0,
      occupancyPct: 4.44, // 120 s busy / (3600 − 900 s break)
      answerRatePct: 66.67,
      fcrPct: 50,
      csatAvg: 5,
      loggedInSec: 3600,
      stateSec: { available: 2575, 'not-ready': 900, 'on-call': 100, ringing: 5, 'wrap-up': 20 },
      notReadySec: { break: 900 },
    });
    expect(row(r.rows, 'agentId', 'a2')).toMatchObject({
      offered: 3,
      answered: 2,
      rona: 1,
      ahtSec: 70,
      occupancyPct: 7.22, // 140 / (2000 − 60)
      loggedInSec: 2000,
      stateSec: { available: 1940, 'not-ready': 60 },
      notReadySec: { rona: 60 },
    });
    // The total is the centre's, whatever the rows: calls offered to queues, not offers to agents.
    expect(r.total.offered).toBe(7);
    expect(r.total.occupancyPct).toBe(5.6);
  });

  it('per skill: a call needing two skills is in both rows, once in the total; skills from the event, else the configuration', () => {
    const r = report({ by: 'skill', queueSkills: QUEUE_SKILLS });
    expect(r.rows.map((x) => [x.skill, x.offered, x.serviceLevelPct])).toEqual([
      ['english', 3, 66.67],
      ['sales', 4, 50],
      ['support', 3, 66.67],
    ]);
    expect(r.total.offered).toBe(7);
    // Without the configuration, sales calls have no known skill.
    expect(buildReport(FULL, { ...range, by: 'skill' }).rows.map((x) => x.skill)).toEqual(['(none)', 'english', 'support']);
  });

  it('every service-level formula, with and without short abandons', () => {
    const sales = (opts: ReportOptions) => row(report(opts).queues, 'queueId', 'sales');
    expect(sales({ slFormula: 'answered' })?.serviceLevelPct).toBe(100); // 2 / 2
    expect(sales({ slFormula: 'offered' })?.serviceLevelPct).toBe(50); // 2 / 4
    expect(sales({ slFormula: 'offered-abandon-met' })?.serviceLevelPct).toBe(75); // (2 + 1) / 4
    expect(sales({ slFormula: 'offered-minus-early-abandon' })?.serviceLevelPct).toBe(66.67); // 2 / (4 − 1)
    // c5 waited 3 s: short with a 5 s threshold, so it leaves offered and abandoned.
    expect(sales({ shortAbandonSec: 5 })).toMatchObject({ offered: 3, abandoned: 0, abandonedWithin: 0, shortAbandoned: 1, serviceLevelPct: 66.67, abandonRatePct: 0 });
    expect(sales({ shortAbandonSec: 2 })).toMatchObject({ offered: 4, shortAbandoned: 0 });
  });

  it('the threshold moves answered-within and abandoned-within', () => {
    const r = report({ slThresholdSec: 5 });
    expect(r.total).toMatchObject({ answeredWithin: 2, abandonedWithin: 1, serviceLevelPct: 28.57 }); // c4, c7; c5
  });

  it('30-minute intervals: a row per interval and queue, every interval of the range, agent time split at 09:30', () => {
    const r = report({ interval: { kind: 'minutes', minutes: 30 } });
    expect(r.interval).toBe('30m');
    expect(r.rows.map((x) => [x.start, x.end, x.queueId, x.offered])).toEqual([
      ['2024-05-06T09:00:00.000+08:00', '2024-05-06T09:30:00.000+08:00', 'sales', 4],
      ['2024-05-06T09:00:00.000+08:00', '2024-05-06T09:30:00.000+08:00', 'support', 3],
    ]);
    expect(r.intervals?.map((x) => [x.start, x.offered, x.occupancyPct])).toEqual([
      ['2024-05-06T09:00:00.000+08:00', 7, 9.49], // 260 s busy / (1000 + 1740 s staffed)
      ['2024-05-06T09:30:00.000+08:00', 0, 0], // a1 1700 s, a2 200 s staffed, nobody busy
    ]);
    const agents = report({ by: 'agent', interval: { kind: 'minutes', minutes: 30 } });
    const a1 = agents.rows.filter((x) => x.agentId === 'a1').map((x) => x.notReadySec);
    expect(a1).toEqual([{ break: 800 }, { break: 100 }]); // 09:16:40–09:30, 09:30–09:31:40
  });

  it('15m, 60m, day, week and month intervals', () => {
    expect(report({ interval: { kind: 'minutes', minutes: 15 } }).intervals?.map((x) => x.offered)).toEqual([7, 0, 0, 0]);
    expect(report({ interval: { kind: 'minutes', minutes: 60 } }).intervals?.map((x) => [x.start, x.offered])).toEqual([['2024-05-06T09:00:00.000+08:00', 7]]);
    expect(report({ interval: { kind: 'day' } }).intervals?.map((x) => [x.start, x.end])).toEqual([['2024-05-06T00:00:00.000+08:00', '2024-05-07T00:00:00.000+08:00']]);
    expect(report({ interval: { kind: 'week' } }).intervals?.map((x) => x.start)).toEqual(['2024-05-06T00:00:00.000+08:00']); // a Monday
    expect(report({ interval: { kind: 'month' } }).rows.map((x) => [x.start, x.end, x.queueId])).toEqual([
      ['2024-05-01T00:00:00.000+08:00', '2024-06-01T00:00:00.000+08:00', 'sales'],
      ['2024-05-01T00:00:00.000+08:00', '2024-06-01T00:00:00.000+08:00', 'support'],
    ]);
  });

  it('a time zone moves interval boundaries: days cut at midnight UTC', () => {
    const r = report({ interval: { kind: 'day' }, timeZone: 'UTC' });
    expect(r.timeZone).toBe('UTC');
    expect(r.intervals?.map((x) => x.start)).toEqual(['2024-05-06T00:00:00.000+00:00']);
    expect(r.from).toBe('2024-05-06T01:00:00.000+00:00');
  });

  it('--queue keeps one queue; agent time is left out (agents are not per queue)', () => {
    const r = report({ queues: ['support'] });
    expect(r.queue).toEqual(['support']);
    expect(r.queues.map((x) => x.queueId)).toEqual(['support']);
    expect(r.total).toMatchObject({ offered: 3, answered: 2, rona: 1, occupancyPct: null });
    const agents = report({ by: 'agent', queues: ['sales'] });
    expect(agents.rows.map((x) => [x.agentId, x.answered, x.occupancyPct])).toEqual([
      ['a1', 2, null],
      ['a2', 0, null],
    ]);
  });

  it('the FCR window: with 36 s, c3 (70 s after c1 ended) is no longer a repeat', () => {
    expect(row(report({ fcrWindowHours: 0.01 }).queues, 'queueId', 'sales')?.fcrPct).toBe(100);
    expect(report({ fcrWindowHours: 24 }).total.fcrPct).toBe(75);
  });

  it('a repeat call after the range still counts against FCR (the reader reads one window further)', () => {
    const r = buildReport(FULL, { fromMs: T0, toMs: T0 + 150_000 }); // c1 answered and ended, c3 after the range
    expect(r.total).toMatchObject({ answered: 1, fcrPct: 0, offered: 2 });
  });

  it('events before the range only inform state: agents logged in before `from` have their time from `from`', () => {
    const r = buildReport(FULL, { fromMs: T0 + 1800_000, toMs: END, by: 'agent' });
    expect(r.total.offered).toBe(0);
    expect(row(r.rows, 'agentId', 'a1')).toMatchObject({ loggedInSec: 1800, notReadySec: { break: 100 } });
    expect(row(r.rows, 'agentId', 'a2')).toMatchObject({ loggedInSec: 200 });
  });

  it('without events before `from`, an agent is in the `from` state of its first change since `from`', () => {
    const late = FULL.filter((e) => e.ts >= T0 + 1800_000);
    const r = buildReport(late, { fromMs: T0 + 1800_000, toMs: END, by: 'agent' });
    expect(row(r.rows, 'agentId', 'a1')).toMatchObject({ loggedInSec: 1800, stateSec: { available: 1700, 'not-ready': 100 }, notReadySec: { unknown: 100 } });
  });

  it('rejects bad options', () => {
    expect(() => report({ fcrWindowHours: 0 })).toThrow(RangeError);
    expect(() => report({ shortAbandonSec: -1 })).toThrow(RangeError);
    expect(() => report({ timeZone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
    expect(() => report({ slFormula: 'made-up' as never })).toThrow(/service-level formula/);
  });
});
