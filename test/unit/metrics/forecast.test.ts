import { describe, expect, it } from 'vitest';
import { erlangAMetrics, erlangCMetrics } from '../../../src/domain/metrics/erlang.js';
import { stampEvent, type EventDraft, type HotlineEvent } from '../../../src/domain/metrics/events.js';
import { countWeekdays, createForecastFold } from '../../../src/domain/metrics/forecast.js';
import { planInterval } from '../../../src/domain/metrics/staffing-plan.js';
import { TimeZone } from '../../../src/domain/metrics/time-zone.js';

const zone = TimeZone.of('Asia/Shanghai');
const MON1 = Date.parse('2024-04-29T09:00:00+08:00');
const MON2 = Date.parse('2024-05-06T09:00:00+08:00');
const TUE1_14 = Date.parse('2024-04-30T14:00:00+08:00');

/** Calls joining at `start` + i × 60 s; answered ones are handled (talk + wrap-up), abandoned ones give up. */
function calls(start: number, prefix: string, answered: number, waitSec: number, talkSec: number, wrapSec: number | null, abandoned: number, abandonWaitSec: number): HotlineEvent[] {
  const out: HotlineEvent[] = [];
  const at = (ms: number, d: EventDraft) => out.push(stampEvent(d, ms));
  for (let i = 0; i < answered + abandoned; i++) {
    const callId = `${prefix}${i}`;
    const joined = start + i * 60_000;
    at(joined, { type: 'queue.joined', callId, queueId: 'sales', position: 1, priority: 0 });
    if (i >= answered) {
      at(joined + abandonWaitSec * 1000, { type: 'call.abandoned', callId, queueId: 'sales', waitMs: abandonWaitSec * 1000, whileRinging: false, position: 1 });
      continue;
    }
    const ans = joined + waitSec * 1000;
    at(ans, { type: 'call.answered', callId, queueId: 'sales', agentId: 'a', waitMs: waitSec * 1000, ringMs: 1000 });
    at(ans + talkSec * 1000, { type: 'call.ended', callId, hungUpBy: 'caller', cause: 'normal', queueId: 'sales', agentId: 'a', talkMs: talkSec * 1000, durationMs: 1 });
    if (wrapSec !== null) at(ans + (talkSec + wrapSec) * 1000, { type: 'agent.wrapup-ended', agentId: 'a', callId, wrapupMs: wrapSec * 1000 });
  }
  return out;
}

const HISTORY: HotlineEvent[] = [
  // Monday 1, 09:00–09:30: 8 answered (wait 10 s, handle 170 + 10 s), 2 abandoned after 40 s
  ...calls(MON1, 'a', 8, 10, 170, 10, 2, 40),
  // Tuesday 1, 14:00: 1 answered, 600 s of talk, no wrap-up
  ...calls(TUE1_14, 't', 1, 0, 600, null, 0, 0),
  // Monday 2, 09:00–09:30: 18 answered (wait 5 s, handle 110 + 10 s), 2 abandoned after 20 s
  ...calls(MON2, 'b', 18, 5, 110, 10, 2, 20),
  // A support call: left out with --queue sales
  stampEvent({ type: 'queue.joined', callId: 's', queueId: 'support', position: 1, priority: 0 }, MON2),
  stampEvent({ type: 'call.abandoned', callId: 's', queueId: 'support', waitMs: 1000, whileRinging: false, position: 1 }, MON2 + 1000),
].sort((x, y) => x.ts - y.ts);

const range = { fromMs: Date.parse('2024-04-29T00:00:00+08:00'), toMs: Date.parse('2024-05-13T00:00:00+08:00') };

describe('forecast per weekday × interval', () => {
  const fold = createForecastFold({ zone, intervalMinutes: 30, ...range, queues: new Set(['sales']) });
  for (const e of HISTORY) fold.add(e);
  const f = fold.result();

  it('calls = arrivals in the slot ÷ weekdays of that kind in the history; AHT credibility-weighted', () => {
    expect(f.daysPerWeekday.slice(1)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    expect(f.totalCalls).toBe(31);
    const mean = (8 * 180 + 18 * 120 + 600) / 27; // 155.56 s
    expect(f.meanAhtSec).toBeCloseTo(mean, 9);
    const monday9 = f.slot(1, 18); // 09:00 is slot 18 of 48
    expect(monday9.calls).toBe(15); // (10 + 20) / 2
    expect(monday9.ahtSec).toBeCloseTo((3600 + 5 * mean) / (26 + 5), 9);
    const tuesday14 = f.slot(2, 28);
    expect(tuesday14.calls).toBe(0.5);
    expect(tuesday14.ahtSec).toBeCloseTo((600 + 5 * mean) / 6, 9); // one call pulled towards the mean
    expect(f.slot(1, 19).calls).toBe(0); // Monday 09:30
    expect(f.slot(3, 18).calls).toBe(0);
  });

  it('patience = time waited by every caller ÷ abandons (exponential patience, answered waits censored)', () => {
    expect(f.abandons).toBe(4);
    expect(f.patienceSec).toBe((8 * 10 + 2 * 40 + 18 * 5 + 2 * 20) / 4); // 72.5 s
  });

  it('partial days count in proportion', () => {
    expect(countWeekdays(zone, Date.parse('2024-05-06T12:00:00+08:00'), Date.parse('2024-05-07T12:00:00+08:00')).slice(1, 3)).toEqual([0.5, 0.5]);
  });
});

describe('staffing per interval', () => {
  const targets = { targetServiceLevel: 0.8, slThresholdSec: 20, shrinkage: 0.3 };

  it('the published Erlang C example: 100 calls in 30 min, AHT 180 s, 80 % in 20 s → 14 agents (13 give 79.6 %)', () => {
    const p = planInterval({ start: 's', calls: 100, ahtSec: 180, intervalMinutes: 30 }, targets);
    expect(p).toEqual({
      start: 's',
      forecastCalls: 100,
      ahtSec: 180,
      agentsErlangC: 14,
      agentsErlangA: null, // no patience
      expectedServiceLevel: 0.8884,
      expectedAbandon: null,
      scheduledAgents: 20, // 14 / (1 − 0.3)
    });
    expect(erlangCMetrics({ callsPerHour: 200, ahtSec: 180, agents: 13 }, 20).serviceLevel).toBeCloseTo(0.7956, 4);
  });

  it('with patience: the fewest agents meeting SL and the abandon cap by Erlang A, SL and abandons expected there', () => {
    const p = planInterval({ start: 's', calls: 180, ahtSec: 180, intervalMinutes: 30 }, { ...targets, patienceSec: 60, maxAbandon: 0.05 });
    // λ = 360/h, A = 18 Erlangs: Erlang C needs 22; Erlang A with 60 s patience needs fewer.
    expect(p.agentsErlangC).toBe(22);
    const n = p.agentsErlangA ?? 0;
    const at = (agents: number) => erlangAMetrics({ callsPerHour: 360, ahtSec: 180, agents, patienceSec: 60 }, 20);
    expect(at(n).serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(at(n).pAbandon).toBeLessThanOrEqual(0.05);
    expect(at(n - 1).serviceLevel < 0.8 || at(n - 1).pAbandon > 0.05).toBe(true);
    expect(p.expectedServiceLevel).toBe(Math.round(at(n).serviceLevel * 1e4) / 1e4);
    expect(p.expectedAbandon).toBe(Math.round(at(n).pAbandon * 1e4) / 1e4);
    expect(p.scheduledAgents).toBe(Math.ceil(n / 0.7));
  });

  it('no calls: no agents; no AHT known: no staffing', () => {
    expect(planInterval({ start: 's', calls: 0, ahtSec: null, intervalMinutes: 30 }, targets)).toMatchObject({ agentsErlangC: 0, agentsErlangA: 0, scheduledAgents: 0, expectedServiceLevel: null });
    expect(planInterval({ start: 's', calls: 3, ahtSec: null, intervalMinutes: 30 }, targets)).toMatchObject({ agentsErlangC: null, scheduledAgents: null });
  });
});
