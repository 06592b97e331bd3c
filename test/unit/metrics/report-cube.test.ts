/**
 * The report cube (report-cube.ts): facts land in the total, the queue summaries and the rows of their
 * interval. The cube keeps the last interval at hand; these tests interleave queues, agents and intervals
 * (and come back to an earlier interval) so a stale one would put a fact in the wrong place.
 */
import { describe, expect, it } from 'vitest';
import { Bucketer } from '../../../src/domain/metrics/intervals.js';
import { ReportCube, WHOLE_RANGE, type Dims, type ReportBy } from '../../../src/domain/metrics/report-cube.js';
import type { Totals } from '../../../src/domain/metrics/report-totals.js';
import { TimeZone } from '../../../src/domain/metrics/time-zone.js';

const T0 = Date.parse('2024-05-01T09:00:00.000Z');
const MIN = 60_000;
const countOffer = (t: Totals): void => void t.offered++;

function cube(by: ReportBy, intervals = true): ReportCube {
  return new ReportCube(by, intervals ? new Bucketer({ kind: 'minutes', minutes: 30 }, TimeZone.of('UTC')) : undefined, undefined);
}
/** Offered count of every row, as `interval start/key`. */
function rowCounts(c: ReportCube): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [start, byKey] of c.rows) for (const [key, t] of byKey) out[`${start === WHOLE_RANGE ? 'all' : (start - T0) / MIN}/${key}`] = t.offered;
  return out;
}
function queueCounts(c: ReportCube): Record<string, number> {
  return Object.fromEntries([...c.queues].map(([k, t]) => [k, t.offered]));
}

describe('ReportCube', () => {
  // Facts on queues a, b, a, a, c, b over two intervals, then back to the first interval (a late event).
  const facts: Array<[number, string]> = [
    [0, 'a'],
    [1, 'b'],
    [2, 'a'],
    [3, 'a'],
    [31, 'c'],
    [32, 'a'],
    [33, 'b'],
    [5, 'b'],
    [34, 'b'],
  ];

  it('by queue: each fact lands in its queue summary and its interval row, whatever came before', () => {
    const c = cube('queue');
    for (const [min, q] of facts) c.add(T0 + min * MIN, { queueId: q }, 'call', countOffer, undefined);
    expect(c.total.offered).toBe(facts.length);
    expect(queueCounts(c)).toEqual({ a: 4, b: 4, c: 1 });
    expect(rowCounts(c)).toEqual({ '0/a': 3, '0/b': 2, '30/c': 1, '30/a': 1, '30/b': 2 });
    expect(Object.fromEntries([...c.intervalTotals].map(([k, t]) => [(k - T0) / MIN, t.offered]))).toEqual({ 0: 5, 30: 4 });
  });

  it('by agent: agent facts and call facts share the rows of their agent; queue summaries still by queue', () => {
    const c = cube('agent');
    const dims = (queueId: string, agentId: string): Dims => ({ queueId, agentId });
    c.add(T0, dims('a', '1'), 'call', countOffer, undefined);
    c.add(T0 + MIN, dims('b', '2'), 'agent', countOffer, undefined);
    c.add(T0 + 2 * MIN, dims('b', '1'), 'call', countOffer, undefined);
    c.add(T0 + 40 * MIN, dims('a', '2'), 'agentTime', countOffer, undefined);
    c.add(T0 + 3 * MIN, dims('a', '2'), 'call', countOffer, undefined);
    expect(rowCounts(c)).toEqual({ '0/1': 2, '0/2': 2, '30/2': 1 });
    expect(queueCounts(c)).toEqual({ a: 2, b: 1 });
    expect(c.total.offered).toBe(4);
  });

  it('without intervals every row is of the whole range; a clone starts its own and leaves the original alone', () => {
    const c = cube('queue', false);
    for (const [min, q] of facts) c.add(T0 + min * MIN, { queueId: q }, 'call', countOffer, undefined);
    expect(rowCounts(c)).toEqual({ 'all/a': 4, 'all/b': 4, 'all/c': 1 });
    const copy = c.clone();
    copy.add(T0, { queueId: 'b' }, 'call', countOffer, undefined);
    copy.add(T0, { queueId: 'b' }, 'call', countOffer, undefined);
    c.add(T0, { queueId: 'a' }, 'call', countOffer, undefined);
    expect(rowCounts(copy)).toEqual({ 'all/a': 4, 'all/b': 6, 'all/c': 1 });
    expect(queueCounts(copy)).toEqual({ a: 4, b: 6, c: 1 });
    expect(rowCounts(c)).toEqual({ 'all/a': 5, 'all/b': 4, 'all/c': 1 });
    expect(queueCounts(c)).toEqual({ a: 5, b: 4, c: 1 });
  });

  it('spread: a duration lands in every interval it spans, earlier and later ones made in any order, gaps included', () => {
    const c = cube('agent');
    const addMs = (t: Totals, ms: number): void => void (t.busyMs += ms);
    const busy = (): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const [start, byKey] of c.rows) for (const [key, t] of byKey) out[`${(start - T0) / MIN}/${key}`] = t.busyMs / MIN;
      return out;
    };
    const dims: Dims = { agentId: '1' };
    // The interval in hand is 120; the spreads reach back before it, over a gap (60–90 unused) and past it.
    c.add(T0 + 125 * MIN, { queueId: 'a', agentId: '2' }, 'call', countOffer, undefined);
    c.spread(T0 + 20 * MIN, T0 + 50 * MIN, dims, 'agentTime', addMs);
    c.spread(T0 + 100 * MIN, T0 + 130 * MIN, dims, 'agentTime', addMs);
    c.spread(T0 - 10 * MIN, T0 + 5 * MIN, dims, 'agentTime', addMs);
    c.spread(T0 + 140 * MIN, T0 + 200 * MIN, dims, 'agentTime', addMs);
    c.spread(T0 + 45 * MIN, T0 + 45 * MIN, dims, 'agentTime', addMs);
    // A fact after the spreads still finds the interval of the events in hand, and an earlier one its own.
    c.add(T0 + 126 * MIN, { queueId: 'a', agentId: '2' }, 'call', countOffer, undefined);
    c.add(T0 + 31 * MIN, { queueId: 'a', agentId: '2' }, 'call', countOffer, undefined);
    expect(busy()).toEqual({ '-30/1': 10, '0/1': 15, '30/1': 20, '90/1': 20, '120/1': 20, '150/1': 30, '180/1': 20, '120/2': 0, '30/2': 0 });
    expect(rowCounts(c)).toMatchObject({ '120/2': 2, '30/2': 1 });
    expect(c.total.busyMs / MIN).toBe(135);
    expect([...c.intervalTotals.keys()].map((k) => (k - T0) / MIN).sort((a, b) => a - b)).toEqual([-30, 0, 30, 90, 120, 150, 180]);
  });
});
