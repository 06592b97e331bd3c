/**
 * Independent replications of a model, and their metrics as means with 95 % confidence intervals:
 *   pWait            offered calls that found no agent free on arrival / offered
 *   pAbandon         abandoned / offered
 *   pAnsweredWithin  answered within the threshold / offered (abandons and exits count against it)
 *   asaSec           mean wait of answered calls
 *   occupancy        agent time in call work / staffed agent time
 * Replication i runs on seed `seed + i` (mixed), so any one of them can be re-run alone.
 */
import type { Counters, ReplicationResult, SimModel } from './model.js';
import { runReplication } from './simulator.js';
import { estimate, type Estimate } from './stats.js';

export interface SimulationOptions {
  replications: number;
  seed: number;
  /** Called after each replication (progress bars). */
  onReplication?: (done: number, total: number) => void;
}

export interface CallMetrics {
  pWait: Estimate;
  pAbandon: Estimate;
  pAnsweredWithin: Estimate;
  asaSec: Estimate;
}

export interface SimulationResult {
  replications: number;
  seed: number;
  metrics: CallMetrics & { occupancy: Estimate };
  /** The call metrics per queue of arrival (an overflowed call counts where it arrived). */
  queues: Record<string, CallMetrics>;
  /** Totals over every replication, and the mean per replication. */
  counts: {
    total: Pick<ReplicationResult, 'offered' | 'answered' | 'abandoned' | 'exited' | 'waited' | 'answeredWithin'>;
    perReplication: { offered: number; answered: number; abandoned: number; exited: number };
  };
}

export function replicationSeed(seed: number, i: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + i * 0x85ebca6b) >>> 0;
}

export function simulate(model: SimModel, opts: SimulationOptions): SimulationResult {
  const runs: ReplicationResult[] = [];
  for (let i = 0; i < opts.replications; i += 1) {
    runs.push(runReplication(model, replicationSeed(opts.seed, i)));
    opts.onReplication?.(i + 1, opts.replications);
  }
  return summarize(runs, opts.seed);
}

function ratio<R>(runs: readonly R[], f: (r: R) => number, g: (r: R) => number): Estimate {
  return estimate(runs.filter((r) => g(r) > 0).map((r) => f(r) / g(r)));
}

function callMetrics(runs: readonly Counters[]): CallMetrics {
  return {
    pWait: ratio(runs, (r) => r.waited, (r) => r.offered),
    pAbandon: ratio(runs, (r) => r.abandoned, (r) => r.offered),
    pAnsweredWithin: ratio(runs, (r) => r.answeredWithin, (r) => r.offered),
    asaSec: ratio(runs, (r) => r.answeredWaitMs / 1000, (r) => r.answered),
  };
}

export function summarize(runs: readonly ReplicationResult[], seed: number): SimulationResult {
  const sum = (f: (r: ReplicationResult) => number): number => runs.reduce((s, r) => s + f(r), 0);
  const n = Math.max(1, runs.length);
  const queueIds = [...new Set(runs.flatMap((r) => Object.keys(r.queues)))].sort();
  return {
    replications: runs.length,
    seed,
    metrics: { ...callMetrics(runs), occupancy: ratio(runs, (r) => r.busyMs, (r) => r.staffedMs) },
    queues: Object.fromEntries(queueIds.map((q) => [q, callMetrics(runs.map((r) => r.queues[q] ?? { offered: 0, answered: 0, abandoned: 0, exited: 0, waited: 0, answeredWithin: 0, answeredWaitMs: 0 }))])),
    counts: {
      total: {
        offered: sum((r) => r.offered),
        answered: sum((r) => r.answered),
        abandoned: sum((r) => r.abandoned),
        exited: sum((r) => r.exited),
        waited: sum((r) => r.waited),
        answeredWithin: sum((r) => r.answeredWithin),
      },
      perReplication: {
        offered: sum((r) => r.offered) / n,
        answered: sum((r) => r.answered) / n,
        abandoned: sum((r) => r.abandoned) / n,
        exited: sum((r) => r.exited) / n,
      },
    },
  };
}

/** The simple model of `hotline simulate --agents …`: one queue, identical agents, Poisson traffic. */
export function singleQueueModel(p: {
  agents: number;
  arrivalsPerHour: number;
  ahtSec: number;
  patienceSec?: number;
  wrapupSec: number;
  slThresholdSec: number;
  hours: number;
  warmupHours: number;
  handleTime?: 'exponential' | 'lognormal';
  handleSdSec?: number;
  strategy?: import('../acd/model.js').Strategy;
}): SimModel {
  return {
    queues: new Map([
      [
        'q',
        {
          id: 'q',
          name: 'simulated queue',
          requiredSkills: [],
          strategy: p.strategy ?? 'longest-idle',
          ringTimeoutSec: 15,
          wrapupSec: p.wrapupSec,
          musicOnHold: 'moh/default.wav',
        },
      ],
    ]),
    agents: Array.from({ length: p.agents }, (_, i) => ({ id: `a${i + 1}`, skills: {} })),
    traffic: [
      {
        queueId: 'q',
        arrivalsPerHour: p.arrivalsPerHour,
        handle: { distribution: p.handleTime ?? 'exponential', meanSec: p.ahtSec, ...(p.handleSdSec !== undefined ? { sdSec: p.handleSdSec } : {}) },
        ...(p.patienceSec !== undefined ? { patienceSec: p.patienceSec } : {}),
      },
    ],
    hours: p.hours,
    warmupHours: p.warmupHours,
    slThresholdSec: p.slThresholdSec,
  };
}
