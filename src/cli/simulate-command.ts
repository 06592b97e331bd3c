/**
 * `hotline simulate`: try a staffing plan before Monday morning. Runs the real ACD core on a simulated clock
 * (domain/sim) for a single queue described by flags, or for a model file with several queues, skills and
 * shifts; prints metrics as means with 95 % confidence intervals, and, for the single queue, the Erlang C/A
 * closed form beside them.
 */
import cliProgress from 'cli-progress';
import type { Estimate } from '../domain/sim/stats.js';
import { simulate, singleQueueModel, type SimulationResult } from '../domain/sim/replications.js';
import type { SimModel } from '../domain/sim/model.js';
import { erlangAMetrics, erlangCMetrics } from '../domain/metrics/erlang.js';
import { loadSimModel, SimConfigError } from './simulate-config.js';

export interface SimulateOptions {
  config?: string;
  agents?: number;
  arrivalPerHour?: number;
  ahtSec?: number;
  patienceSec?: number;
  wrapupSec: number;
  slThresholdSec: number;
  hours: number;
  warmupHours: number;
  replications: number;
  seed: number;
  handleTime: 'exponential' | 'lognormal';
  handleSdSec?: number;
  json?: boolean;
}

interface Out {
  write(text: string): void;
  isTTY?: boolean;
}

export interface ErlangComparison {
  formula: 'erlang-c' | 'erlang-a';
  pWait: number;
  pAbandon: number;
  pAnsweredWithin: number;
  asaSec: number;
  occupancy: number;
}

export async function simulateCommand(opts: SimulateOptions, out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  let model: SimModel;
  let replications = opts.replications;
  let seed = opts.seed;
  let described: Record<string, unknown>;
  if (opts.config) {
    try {
      const loaded = await loadSimModel(opts.config);
      model = loaded.model;
      replications = loaded.replications;
      seed = loaded.seed;
    } catch (e) {
      err.write(e instanceof SimConfigError ? `${e.message}\n` : `hotline simulate: ${(e as Error).message}\n`);
      return 2;
    }
    described = { config: opts.config, queues: [...model.queues.keys()], agents: model.agents.length, hours: model.hours, warmupHours: model.warmupHours, slThresholdSec: model.slThresholdSec };
  } else {
    const missing = (['agents', 'arrivalPerHour', 'ahtSec'] as const).filter((k) => opts[k] === undefined);
    if (missing.length > 0) {
      err.write(`hotline simulate: give --agents, --arrival-per-hour and --aht-sec (missing: ${missing.join(', ')}), or --config <model.yaml>\n`);
      return 2;
    }
    model = singleQueueModel({
      agents: opts.agents as number,
      arrivalsPerHour: opts.arrivalPerHour as number,
      ahtSec: opts.ahtSec as number,
      ...(opts.patienceSec !== undefined ? { patienceSec: opts.patienceSec } : {}),
      wrapupSec: opts.wrapupSec,
      slThresholdSec: opts.slThresholdSec,
      hours: opts.hours,
      warmupHours: opts.warmupHours,
      handleTime: opts.handleTime,
      ...(opts.handleSdSec !== undefined ? { handleSdSec: opts.handleSdSec } : {}),
    });
    described = {
      agents: opts.agents,
      arrivalPerHour: opts.arrivalPerHour,
      ahtSec: opts.ahtSec,
      patienceSec: opts.patienceSec ?? null,
      wrapupSec: opts.wrapupSec,
      handleTime: opts.handleTime,
      slThresholdSec: opts.slThresholdSec,
      hours: opts.hours,
      warmupHours: opts.warmupHours,
    };
  }
  const bar = !opts.json && err.isTTY && replications > 1 ? new cliProgress.SingleBar({ format: 'simulating [{bar}] {value}/{total} replications', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(replications, 0);
  const started = performance.now();
  const result = simulate(model, { replications, seed, onReplication: (done) => bar?.update(done) });
  bar?.stop();
  const elapsedMs = Math.round(performance.now() - started);
  const erlang = opts.config ? undefined : erlangOf(opts);
  if (opts.json) {
    out.write(`${JSON.stringify({ model: described, replications: result.replications, seed, metrics: result.metrics, counts: countsOf(result), ...(opts.config ? { queues: result.queues } : {}), ...(erlang ? { erlang } : {}), elapsedMs })}\n`);
  } else {
    out.write(table(described, result, erlang, elapsedMs));
  }
  return 0;
}

function countsOf(r: SimulationResult): Record<string, unknown> {
  return { ...r.counts.total, perReplication: r.counts.perReplication };
}

/** The closed form for the single-queue model, when its assumptions hold (exponential talk, no wrap-up). */
export function erlangOf(opts: SimulateOptions): ErlangComparison | undefined {
  if (opts.handleTime !== 'exponential' || opts.wrapupSec !== 0 || !opts.agents || !opts.arrivalPerHour || !opts.ahtSec) return undefined;
  const model = { agents: opts.agents, callsPerHour: opts.arrivalPerHour, ahtSec: opts.ahtSec };
  if (opts.patienceSec !== undefined) {
    const a = erlangAMetrics({ ...model, patienceSec: opts.patienceSec }, opts.slThresholdSec);
    return { formula: 'erlang-a', pWait: a.pWait, pAbandon: a.pAbandon, pAnsweredWithin: a.serviceLevel, asaSec: a.asaSec, occupancy: a.occupancy };
  }
  const c = erlangCMetrics(model, opts.slThresholdSec);
  return { formula: 'erlang-c', pWait: c.pWait, pAbandon: 0, pAnsweredWithin: c.serviceLevel, asaSec: c.asaSec, occupancy: c.occupancy };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const sec = (x: number): string => `${x.toFixed(1)} s`;

function table(described: Record<string, unknown>, r: SimulationResult, erlang: ErlangComparison | undefined, elapsedMs: number): string {
  const rows: Array<[string, Estimate, (x: number) => string, number | undefined]> = [
    ['waited (no free agent)', r.metrics.pWait, pct, erlang?.pWait],
    ['abandoned', r.metrics.pAbandon, pct, erlang?.pAbandon],
    ['answered within threshold', r.metrics.pAnsweredWithin, pct, erlang?.pAnsweredWithin],
    ['ASA (answered calls)', r.metrics.asaSec, sec, erlang?.asaSec],
    ['occupancy', r.metrics.occupancy, pct, erlang?.occupancy],
  ];
  const lines = [
    `model: ${Object.entries(described)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
      .join(' ')}`,
    `${r.replications} replications, seed ${r.seed}, ${elapsedMs} ms`,
    '',
    `${'metric'.padEnd(28)}${'mean'.padStart(10)}   ${'95 % interval'.padEnd(22)}${erlang ? erlang.formula.padStart(10) : ''}`,
    ...rows.map(([name, e, f, ref]) => `${name.padEnd(28)}${f(e.mean).padStart(10)}   ${`[${f(e.ci95[0])}, ${f(e.ci95[1])}]`.padEnd(22)}${ref !== undefined ? f(ref).padStart(10) : ''}`),
    '',
    `calls per replication: offered ${r.counts.perReplication.offered.toFixed(1)}, answered ${r.counts.perReplication.answered.toFixed(1)}, abandoned ${r.counts.perReplication.abandoned.toFixed(1)}, exited ${r.counts.perReplication.exited.toFixed(1)}`,
  ];
  const queues = Object.entries(r.queues);
  if (queues.length > 1) {
    lines.push('', `${'queue'.padEnd(14)}${'waited'.padStart(10)}${'abandoned'.padStart(11)}${'in SL'.padStart(10)}${'ASA'.padStart(10)}`);
    for (const [q, m] of queues) {
      lines.push(`${q.padEnd(14)}${pct(m.pWait.mean).padStart(10)}${pct(m.pAbandon.mean).padStart(11)}${pct(m.pAnsweredWithin.mean).padStart(10)}${sec(m.asaSec.mean).padStart(10)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
