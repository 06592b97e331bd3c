import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/domain/sim/rng.js';
import { estimate, tQuantile975 } from '../../../src/domain/sim/stats.js';
import { EventQueue } from '../../../src/domain/sim/event-queue.js';
import { runReplication } from '../../../src/domain/sim/simulator.js';
import { replicationSeed, simulate, singleQueueModel } from '../../../src/domain/sim/replications.js';
import { loadSimModel, SimConfigError } from '../../../src/cli/simulate-config.js';
import { simulateCommand, type SimulateOptions } from '../../../src/cli/simulate-command.js';

const small = singleQueueModel({ agents: 3, arrivalsPerHour: 60, ahtSec: 120, wrapupSec: 0, slThresholdSec: 20, hours: 2, warmupHours: 0.5 });

describe('random numbers and statistics', () => {
  it('the same seed gives the same stream; draws have the right means', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const r = new Rng(1);
    const n = 100_000;
    let u = 0;
    let e = 0;
    let l = 0;
    for (let i = 0; i < n; i += 1) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      u += x;
      e += r.exponential(180);
      l += r.lognormal(180, 90);
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(e / n / 180).toBeCloseTo(1, 1);
    expect(l / n / 180).toBeCloseTo(1, 1);
  });

  it('t quantiles and intervals', () => {
    expect(tQuantile975(29)).toBe(2.045);
    expect(tQuantile975(1000)).toBeCloseTo(1.962, 2);
    const e = estimate([1, 2, 3]);
    expect(e.mean).toBe(2);
    expect(e.ci95[0]).toBeCloseTo(2 - 4.303 / Math.sqrt(3), 9);
    expect(e.ci95[1]).toBeCloseTo(2 + 4.303 / Math.sqrt(3), 9);
    expect(estimate([5])).toEqual({ mean: 5, ci95: [5, 5] });
  });

  it('the event queue pops in time order, ties in insertion order', () => {
    const q = new EventQueue<string>();
    for (const [t, v] of [[5, 'e'], [1, 'a'], [3, 'c'], [1, 'b'], [9, 'f'], [3, 'd']] as const) q.push(t, v);
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.item);
    expect(out).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('simulator', () => {
  it('is reproducible: one seed, one result; replications use different seeds', () => {
    expect(runReplication(small, 7)).toEqual(runReplication(small, 7));
    expect(runReplication(small, 7)).not.toEqual(runReplication(small, 8));
    expect(replicationSeed(1, 0)).not.toBe(replicationSeed(1, 1));
  });

  it('accounts for every offered call: answered + abandoned + exited = offered', () => {
    const r = simulate(singleQueueModel({ agents: 2, arrivalsPerHour: 80, ahtSec: 150, patienceSec: 40, wrapupSec: 10, slThresholdSec: 20, hours: 3, warmupHours: 0.5 }), { replications: 4, seed: 3 });
    const t = r.counts.total;
    expect(t.offered).toBeGreaterThan(100);
    expect(t.answered + t.abandoned + t.exited).toBe(t.offered);
    expect(r.metrics.occupancy.mean).toBeGreaterThan(0.5);
    expect(r.metrics.occupancy.mean).toBeLessThanOrEqual(1);
  });

  it('wrap-up keeps agents busy longer: more waiting than without', () => {
    const m = (wrapupSec: number) => singleQueueModel({ agents: 4, arrivalsPerHour: 90, ahtSec: 120, wrapupSec, slThresholdSec: 20, hours: 4, warmupHours: 1 });
    const without = simulate(m(0), { replications: 5, seed: 2 });
    const withWrap = simulate(m(30), { replications: 5, seed: 2 });
    expect(withWrap.metrics.pWait.mean).toBeGreaterThan(without.metrics.pWait.mean);
    expect(withWrap.metrics.occupancy.mean).toBeGreaterThan(without.metrics.occupancy.mean);
  });

  it('lognormal handle times run too', () => {
    const r = simulate(singleQueueModel({ agents: 3, arrivalsPerHour: 60, ahtSec: 120, wrapupSec: 0, slThresholdSec: 20, hours: 2, warmupHours: 0.5, handleTime: 'lognormal', handleSdSec: 60 }), { replications: 3, seed: 1 });
    expect(r.counts.total.answered).toBeGreaterThan(0);
  });
});

const MODEL = `# two queues, skills, a VIP class, shifts
hours: 4
warmupHours: 1
replications: 4
seed: 5
queues:
  sales:
    name: Sales
    skills: { sales: 5 }
    strategy: longest-idle
    widening: [{ afterSec: 30, minLevel: 1 }]
    maxWaitSec: 240
    onMaxWait: { queue: support }
    callerClasses: { vip: { priority: 10 } }
    wrapupSec: 15
  support:
    name: Support
    requiredSkills: [support]
    strategy: round-robin
    wrapupSec: 10
agents:
  - { name: s, count: 4, skills: { sales: 7 } }
  - { name: j, count: 2, skills: { sales: 2, support: 5 }, shifts: [{ from: 0, to: 3 }] }
  - { name: t, count: 3, skills: { support: 8 } }
traffic:
  - { queue: sales, arrivalsPerHour: [60, 90, 120, 90, 60], ahtSec: 150, patienceSec: 120, callerClasses: { vip: 0.1 } }
  - { queue: support, arrivalsPerHour: 50, ahtSec: 200, handleTime: lognormal, handleSdSec: 100, patienceSec: 180 }
`;

describe('model files (hotline simulate --config)', () => {
  it('loads queues, agents with shifts and traffic, and simulates them per queue', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sim-'));
    const file = path.join(dir, 'model.yaml');
    await writeFile(file, MODEL);
    const loaded = await loadSimModel(file);
    expect(loaded.replications).toBe(4);
    expect(loaded.model.agents.map((a) => a.id)).toEqual(['s-1', 's-2', 's-3', 's-4', 'j-1', 'j-2', 't-1', 't-2', 't-3']);
    expect(loaded.model.agents[4]?.shifts).toEqual([{ fromHour: 0, toHour: 3 }]);
    expect(loaded.model.queues.get('sales')?.onMaxWait).toEqual({ kind: 'queue', queueId: 'support', prompts: [] });
    const r = simulate(loaded.model, { replications: loaded.replications, seed: loaded.seed });
    expect(Object.keys(r.queues)).toEqual(['sales', 'support']);
    const t = r.counts.total;
    expect(t.answered + t.abandoned + t.exited).toBe(t.offered);
  });

  it('reports problems as file:line:col', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sim-'));
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, MODEL.replace('queue: support }', 'queue: nowhere }').replace('ahtSec: 200', 'ahtSec: -1'));
    const err = await loadSimModel(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimConfigError);
    const problems = (err as SimConfigError).problems;
    expect(problems.some((p) => /bad\.yaml:\d+:\d+: \/traffic\/1\/ahtSec/.test(p))).toBe(true);
  });

  it('a model error in queues is located too', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sim-'));
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, MODEL.replace('onMaxWait: { queue: support }', 'onMaxWait: { queue: nowhere }'));
    const err = (await loadSimModel(file).catch((e: unknown) => e)) as SimConfigError;
    const line = MODEL.split('\n').findIndex((l) => l.includes('onMaxWait')) + 1;
    expect(err.problems).toEqual([expect.stringMatching(new RegExp(`bad\\.yaml:${line}:\\d+: /queues/sales/onMaxWait/queue: no queue "nowhere"`))]);
  });
});

describe('hotline simulate (command)', () => {
  const opts: SimulateOptions = { agents: 20, arrivalPerHour: 360, ahtSec: 180, wrapupSec: 0, slThresholdSec: 20, hours: 2, warmupHours: 0.5, replications: 3, seed: 1, handleTime: 'exponential', json: true };
  const run = async (o: SimulateOptions) => {
    let out = '';
    let err = '';
    const code = await simulateCommand(o, { write: (t) => void (out += t) }, { write: (t) => void (err += t) });
    return { code, out, err };
  };

  it('--json prints one object: metrics as { mean, ci95 }, counts, and the Erlang figures', async () => {
    const { code, out } = await run(opts);
    expect(code).toBe(0);
    const j = JSON.parse(out) as { metrics: Record<string, { mean: number; ci95: number[] }>; counts: Record<string, number>; erlang: { formula: string } };
    for (const k of ['pWait', 'pAbandon', 'pAnsweredWithin', 'asaSec', 'occupancy']) {
      expect(j.metrics[k]).toEqual({ mean: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] });
    }
    expect(j.counts).toMatchObject({ offered: expect.any(Number), answered: expect.any(Number), abandoned: 0, exited: 0 });
    expect(j.erlang.formula).toBe('erlang-c');
    const withPatience = JSON.parse((await run({ ...opts, patienceSec: 60 })).out) as { erlang: { formula: string } };
    expect(withPatience.erlang.formula).toBe('erlang-a');
  });

  it('a table without --json; a usage error without the traffic flags', async () => {
    const table = await run({ ...opts, json: false });
    expect(table.out).toContain('answered within threshold');
    expect(table.out).toContain('erlang-c');
    const bad = await run({ wrapupSec: 0, slThresholdSec: 20, hours: 1, warmupHours: 0, replications: 1, seed: 1, handleTime: 'exponential' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--agents');
  });
});
