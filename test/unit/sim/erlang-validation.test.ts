/**
 * The simulator against the closed forms, on the published points (λ = 360 calls/h, AHT 180 s, threshold
 * 20 s): Erlang C for N = 20, 22, 24 and Erlang A (mean patience 60 s) for N = 20, 18. Each closed-form
 * figure must fall inside the simulator's 95 % interval over 30 replications of 8 hours (1 hour warm-up).
 * The seed is fixed, so the run is the same every time.
 */
import { describe, expect, it } from 'vitest';
import { erlangAMetrics, erlangCMetrics } from '../../../src/domain/metrics/erlang.js';
import { simulate, singleQueueModel } from '../../../src/domain/sim/replications.js';
import type { Estimate } from '../../../src/domain/sim/stats.js';

const base = { arrivalsPerHour: 360, ahtSec: 180, wrapupSec: 0, slThresholdSec: 20, hours: 8, warmupHours: 1 };
const inside = (e: Estimate, x: number): boolean => x >= e.ci95[0] && x <= e.ci95[1];

describe('simulator vs Erlang C (no abandonment)', () => {
  const published: Record<number, { pWait: number; sl: number; asa: number }> = {
    20: { pWait: 0.550769, sl: 0.558979, asa: 49.569 },
    22: { pWait: 0.278078, sl: 0.821702, asa: 12.514 },
    24: { pWait: 0.127537, sl: 0.934521, asa: 3.826 },
  };
  for (const agents of [20, 22, 24]) {
    it(`N = ${agents}`, () => {
      const c = erlangCMetrics({ agents, callsPerHour: 360, ahtSec: 180 }, 20);
      const p = published[agents]!;
      expect(c.pWait).toBeCloseTo(p.pWait, 5);
      expect(c.serviceLevel).toBeCloseTo(p.sl, 5);
      expect(c.asaSec).toBeCloseTo(p.asa, 2);
      const r = simulate(singleQueueModel({ ...base, agents }), { replications: 30, seed: 1 });
      expect(inside(r.metrics.pWait, c.pWait), `pWait ${c.pWait} in ${r.metrics.pWait.ci95}`).toBe(true);
      expect(inside(r.metrics.pAnsweredWithin, c.serviceLevel), `SL ${c.serviceLevel} in ${r.metrics.pAnsweredWithin.ci95}`).toBe(true);
      expect(inside(r.metrics.asaSec, c.asaSec), `ASA ${c.asaSec} in ${r.metrics.asaSec.ci95}`).toBe(true);
      expect(inside(r.metrics.occupancy, c.occupancy), `occupancy ${c.occupancy} in ${r.metrics.occupancy.ci95}`).toBe(true);
      expect(r.metrics.pAbandon.mean).toBe(0);
      expect(r.counts.total.answered).toBe(r.counts.total.offered);
    }, 120_000);
  }
});

describe('simulator vs Erlang A (exponential patience, mean 60 s)', () => {
  const published: Record<number, { pWait: number; pAbandon: number; sl: number; asa: number }> = {
    20: { pWait: 0.270644, pAbandon: 0.069285, sl: 0.869376, asa: 3.4591 },
    18: { pWait: 0.408017, pAbandon: 0.11823, sl: 0.775693, asa: 6.0222 },
  };
  for (const agents of [20, 18]) {
    it(`N = ${agents}`, () => {
      const a = erlangAMetrics({ agents, callsPerHour: 360, ahtSec: 180, patienceSec: 60 }, 20);
      const p = published[agents]!;
      expect(a.pWait).toBeCloseTo(p.pWait, 4);
      expect(a.pAbandon).toBeCloseTo(p.pAbandon, 4);
      expect(a.serviceLevel).toBeCloseTo(p.sl, 4);
      expect(a.asaSec).toBeCloseTo(p.asa, 3);
      const r = simulate(singleQueueModel({ ...base, agents, patienceSec: 60 }), { replications: 30, seed: 1 });
      expect(inside(r.metrics.pWait, a.pWait), `pWait ${a.pWait} in ${r.metrics.pWait.ci95}`).toBe(true);
      expect(inside(r.metrics.pAbandon, a.pAbandon), `pAbandon ${a.pAbandon} in ${r.metrics.pAbandon.ci95}`).toBe(true);
      expect(inside(r.metrics.pAnsweredWithin, a.serviceLevel), `SL ${a.serviceLevel} in ${r.metrics.pAnsweredWithin.ci95}`).toBe(true);
      expect(inside(r.metrics.asaSec, a.asaSec), `ASA ${a.asaSec} in ${r.metrics.asaSec.ci95}`).toBe(true);
      expect(inside(r.metrics.occupancy, a.occupancy), `occupancy ${a.occupancy} in ${r.metrics.occupancy.ci95}`).toBe(true);
    }, 120_000);
  }
});
