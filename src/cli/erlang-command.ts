/**
 * `hotline erlang`: what a given staffing delivers for a given load, by Erlang C (callers wait as long as it
 * takes) or, with --patience-sec, Erlang A (callers abandon after an exponential patience).
 */
import { erlangAMetrics, erlangCMetrics } from '../domain/metrics/erlang.js';
import { round2 } from '../domain/metrics/service-level.js';
import { round4 } from '../domain/metrics/staffing-plan.js';

export interface ErlangOptions {
  arrivalPerHour: number;
  ahtSec: number;
  agents: number;
  slThresholdSec: number;
  patienceSec?: number;
  json: boolean;
  out: (s: string) => void;
  warn: (s: string) => void;
}

export interface ErlangResult {
  model: 'erlang-c' | 'erlang-a';
  arrivalPerHour: number;
  ahtSec: number;
  agents: number;
  slThresholdSec: number;
  patienceSec: number | null;
  trafficErlangs: number;
  /** P(an arriving call waits). */
  pWait: number;
  /** Share of offered calls answered within the threshold. */
  serviceLevel: number;
  /** Mean wait of answered calls, seconds; null when the queue is unstable (Erlang C, load ≥ agents). */
  asaSec: number | null;
  /** Erlang A: P(an arriving call abandons); null under Erlang C (callers never abandon). */
  pAbandon: number | null;
  occupancy: number;
  /** Erlang C only: false when the load is at or above the agents (the queue grows without bound). */
  stable: boolean;
}

export function erlangFigures(o: Omit<ErlangOptions, 'json' | 'out' | 'warn'>): ErlangResult {
  const model = { callsPerHour: o.arrivalPerHour, ahtSec: o.ahtSec, agents: o.agents };
  const common = { arrivalPerHour: o.arrivalPerHour, ahtSec: o.ahtSec, agents: o.agents, slThresholdSec: o.slThresholdSec, patienceSec: o.patienceSec ?? null };
  if (o.patienceSec === undefined) {
    const m = erlangCMetrics(model, o.slThresholdSec);
    return {
      model: 'erlang-c',
      ...common,
      trafficErlangs: round4(m.trafficErlangs),
      pWait: round4(m.pWait),
      serviceLevel: round4(m.serviceLevel),
      asaSec: Number.isFinite(m.asaSec) ? round2(m.asaSec) : null,
      pAbandon: null,
      occupancy: round4(m.occupancy),
      stable: m.stable,
    };
  }
  const m = erlangAMetrics({ ...model, patienceSec: o.patienceSec }, o.slThresholdSec);
  return {
    model: 'erlang-a',
    ...common,
    trafficErlangs: round4(m.trafficErlangs),
    pWait: round4(m.pWait),
    serviceLevel: round4(m.serviceLevel),
    asaSec: round2(m.asaSec),
    pAbandon: round4(m.pAbandon),
    occupancy: round4(m.occupancy),
    stable: true,
  };
}

/** Exit codes: 0 printed, 2 bad options. */
export function runErlang(o: ErlangOptions): number {
  let r: ErlangResult;
  try {
    if (!Number.isInteger(o.agents) || o.agents < (o.patienceSec === undefined ? 0 : 1)) throw new RangeError(`--agents must be a whole number ≥ ${o.patienceSec === undefined ? 0 : 1}`);
    r = erlangFigures(o);
  } catch (err) {
    o.warn(`hotline erlang: ${(err as Error).message}`);
    return 2;
  }
  if (o.json) {
    o.out(JSON.stringify(r, null, 2));
    return 0;
  }
  const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
  const lines = [
    r.model === 'erlang-c'
      ? 'Erlang C (M/M/N: callers wait until answered)'
      : `Erlang A (M/M/N+M: callers abandon after a mean patience of ${r.patienceSec} s)`,
    `Load: ${r.arrivalPerHour} calls/h × AHT ${r.ahtSec} s = ${r.trafficErlangs.toFixed(2)} Erlangs on ${r.agents} agents`,
    '',
    `P(wait)        ${pct(r.pWait)}`,
    `Service level  ${pct(r.serviceLevel)} of offered calls answered within ${r.slThresholdSec} s`,
    `ASA            ${r.asaSec === null ? 'unbounded' : `${r.asaSec.toFixed(2)} s`} (mean wait of answered calls)`,
    ...(r.pAbandon === null ? [] : [`P(abandon)     ${pct(r.pAbandon)}`]),
    `Occupancy      ${pct(r.occupancy)}`,
  ];
  if (!r.stable) lines.push('', `Overloaded: ${r.trafficErlangs.toFixed(2)} Erlangs need more than ${r.agents} agents; the queue grows without bound.`);
  o.out(lines.join('\n'));
  return 0;
}
