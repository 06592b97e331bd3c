/**
 * The staffing plan: for each interval, the fewest agents meeting the service-level target by Erlang C and
 * by Erlang A, the service level and abandon rate expected at the recommended staffing, and the head count
 * to schedule once shrinkage (breaks, meetings, absence) is allowed for (docs/planner.md).
 */
import { agentsForServiceLevel, erlangAMetrics, erlangCMetrics } from './erlang.js';
import { round2 } from './service-level.js';

export interface PlanTargets {
  /** Share of offered calls to answer within slThresholdSec, in (0, 1). */
  targetServiceLevel: number;
  slThresholdSec: number;
  /** Erlang A: also keep P(abandon) at or under this share. */
  maxAbandon?: number;
  /** Mean caller patience in seconds; without it there is no Erlang A figure. */
  patienceSec?: number;
  /** Share of paid time agents are not on the phones, in [0, 1). */
  shrinkage: number;
  /** Upper bound of the staffing search. */
  maxAgents?: number;
}

export interface PlanInput {
  /** Interval start, ISO 8601 (with the zone's offset). */
  start: string;
  /** Calls expected in the interval. */
  calls: number;
  ahtSec: number | null;
  intervalMinutes: number;
}

export interface PlanInterval {
  start: string;
  forecastCalls: number;
  ahtSec: number | null;
  agentsErlangC: number | null;
  agentsErlangA: number | null;
  /** At the recommended staffing (Erlang A when patience is known, else Erlang C); null with no calls. */
  expectedServiceLevel: number | null;
  /** Erlang A's P(abandon) at the recommended staffing; null without patience or calls. */
  expectedAbandon: number | null;
  /** Recommended agents ÷ (1 − shrinkage), rounded up. */
  scheduledAgents: number | null;
}

export function planInterval(input: PlanInput, t: PlanTargets): PlanInterval {
  const forecastCalls = round2(input.calls);
  const ahtSec = input.ahtSec === null ? null : Math.round(input.ahtSec * 10) / 10;
  const none = { start: input.start, forecastCalls, ahtSec };
  if (input.calls <= 0) {
    return { ...none, agentsErlangC: 0, agentsErlangA: 0, expectedServiceLevel: null, expectedAbandon: null, scheduledAgents: 0 };
  }
  if (input.ahtSec === null || !(input.ahtSec > 0)) {
    return { ...none, agentsErlangC: null, agentsErlangA: null, expectedServiceLevel: null, expectedAbandon: null, scheduledAgents: null };
  }
  const callsPerHour = (input.calls * 60) / input.intervalMinutes;
  const base = { callsPerHour, ahtSec: input.ahtSec, thresholdSec: t.slThresholdSec, targetServiceLevel: t.targetServiceLevel, maxAgents: t.maxAgents };
  const byC = agentsForServiceLevel(base);
  const byA =
    t.patienceSec === undefined ? null : agentsForServiceLevel({ ...base, patienceSec: t.patienceSec, ...(t.maxAbandon !== undefined ? { maxAbandonRate: t.maxAbandon } : {}) });
  const recommended = t.patienceSec === undefined ? byC?.agents : byA?.agents;
  let expectedServiceLevel: number | null = null;
  let expectedAbandon: number | null = null;
  if (recommended !== undefined) {
    if (t.patienceSec === undefined) {
      expectedServiceLevel = erlangCMetrics({ callsPerHour, ahtSec: input.ahtSec, agents: recommended }, t.slThresholdSec).serviceLevel;
    } else {
      const m = erlangAMetrics({ callsPerHour, ahtSec: input.ahtSec, agents: recommended, patienceSec: t.patienceSec }, t.slThresholdSec);
      expectedServiceLevel = m.serviceLevel;
      expectedAbandon = m.pAbandon;
    }
  }
  return {
    ...none,
    agentsErlangC: byC?.agents ?? null,
    agentsErlangA: byA?.agents ?? null,
    expectedServiceLevel: expectedServiceLevel === null ? null : round4(expectedServiceLevel),
    expectedAbandon: expectedAbandon === null ? null : round4(expectedAbandon),
    scheduledAgents: recommended === undefined ? null : Math.ceil(recommended / (1 - t.shrinkage) - 1e-9),
  };
}

export function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
