import { describe, expect, it } from 'vitest';
import {
  agentsForServiceLevel,
  erlangAMetrics,
  erlangB,
  erlangC,
  erlangCAsaSec,
  erlangCMetrics,
  erlangCOccupancy,
  erlangCServiceLevel,
  offeredLoadErlangs,
} from '../../../src/domain/metrics/erlang.js';

/** |actual − expected| ≤ 1e-4 × |expected|. */
function expectRel(actual: number, expected: number, rel = 1e-4): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));
}

const base = { callsPerHour: 360, ahtSec: 180 }; // A = 18 Erlangs

describe('Erlang B', () => {
  it('matches the textbook recursion values', () => {
    expect(erlangB(0, 5)).toBe(1);
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    // B(2, 1) = (1/2) / (1 + 1 + 1/2) = 0.2
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
    // B(10, 5) from the closed form A^N/N! / Σ A^k/k!
    let sum = 0;
    let term = 1;
    for (let k = 0; k <= 10; k++) {
      if (k > 0) term *= 5 / k;
      sum += term;
    }
    expect(erlangB(10, 5)).toBeCloseTo(term / sum, 12);
  });

  it('stays finite for hundreds of agents where A^N/N! would overflow', () => {
    const b = erlangB(1000, 950);
    expect(Number.isFinite(b)).toBe(true);
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThan(1);
  });

  it('rejects nonsense inputs', () => {
    expect(() => erlangB(-1, 1)).toThrow(RangeError);
    expect(() => erlangB(2.5, 1)).toThrow(RangeError);
    expect(() => erlangB(2, Number.NaN)).toThrow(RangeError);
  });
});

describe('Erlang C (λ = 360/h, AHT = 180 s, threshold 20 s)', () => {
  const points = [
    { agents: 20, pWait: 0.550769, sl: 0.558979, asaSec: 49.569 },
    { agents: 22, pWait: 0.278078, sl: 0.821702, asaSec: 12.514 },
    { agents: 24, pWait: 0.127537, sl: 0.934521, asaSec: 3.826 },
  ];
  it.each(points)('N = $agents', ({ agents, pWait, sl, asaSec }) => {
    const model = { ...base, agents };
    const m = erlangCMetrics(model, 20);
    expect(m.trafficErlangs).toBe(18);
    expect(m.stable).toBe(true);
    expectRel(m.pWait, pWait);
    expectRel(erlangC(agents, 18), pWait);
    expectRel(m.serviceLevel, sl);
    expectRel(erlangCServiceLevel(model, 20), sl);
    expectRel(m.asaSec, asaSec);
    expectRel(erlangCAsaSec(model), asaSec);
    expect(m.occupancy).toBeCloseTo(18 / agents, 12);
    expect(erlangCOccupancy(model)).toBeCloseTo(18 / agents, 12);
  });

  it('reports an overloaded queue as unstable rather than negative figures', () => {
    const m = erlangCMetrics({ ...base, agents: 18 }, 20);
    expect(m).toEqual({ trafficErlangs: 18, pWait: 1, serviceLevel: 0, asaSec: Infinity, occupancy: 1, stable: false });
  });

  it('offered load is λ × AHT', () => {
    expect(offeredLoadErlangs(360, 180)).toBe(18);
    expect(offeredLoadErlangs(0, 180)).toBe(0);
    expect(() => offeredLoadErlangs(10, 0)).toThrow(RangeError);
  });
});

describe('Erlang A (λ = 360/h, AHT = 180 s, patience 60 s, threshold 20 s)', () => {
  const points = [
    { agents: 20, pWait: 0.270644, pAbandon: 0.06928, sl: 0.869376, asaSec: 3.4591 },
    { agents: 18, pWait: 0.408017, pAbandon: 0.11823, sl: 0.775693, asaSec: 6.0222 },
  ];
  it.each(points)('N = $agents', ({ agents, pWait, pAbandon, sl, asaSec }) => {
    const m = erlangAMetrics({ ...base, agents, patienceSec: 60 }, 20);
    expectRel(m.pWait, pWait);
    expectRel(m.pAbandon, pAbandon);
    expectRel(m.serviceLevel, sl);
    expectRel(m.asaSec, asaSec);
    // Two independent routes to P(abandon): per-caller competing clocks vs θ·E[Lq]/λ (Little).
    expectRel(m.meanQueueTimeSec / 60, m.pAbandon, 1e-9);
    expect(m.occupancy).toBeCloseTo((18 * (1 - m.pAbandon)) / agents, 12);
  });

  it('tends to Erlang C as patience grows', () => {
    const a = erlangAMetrics({ ...base, agents: 22, patienceSec: 1e7 }, 20);
    const c = erlangCMetrics({ ...base, agents: 22 }, 20);
    expectRel(a.pWait, c.pWait, 1e-3);
    expectRel(a.serviceLevel, c.serviceLevel, 1e-3);
    expectRel(a.asaSec, c.asaSec, 1e-3);
  });

  it('stays finite and consistent for several hundred agents, even overloaded', () => {
    for (const agents of [300, 560, 700]) {
      const m = erlangAMetrics({ callsPerHour: 10_800, ahtSec: 180, agents, patienceSec: 60 }, 20); // A = 540
      for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true);
      expect(m.serviceLevel).toBeGreaterThanOrEqual(0);
      expect(m.serviceLevel).toBeLessThanOrEqual(1 - m.pAbandon + 1e-12);
      expectRel(m.meanQueueTimeSec / 60, m.pAbandon, 1e-6);
    }
  });

  it('with no threshold only calls answered at once count', () => {
    const m = erlangAMetrics({ ...base, agents: 20, patienceSec: 60 }, 0);
    expect(m.serviceLevel).toBeCloseTo(1 - m.pWait, 12);
  });

  it('needs at least one agent and a positive patience', () => {
    expect(() => erlangAMetrics({ ...base, agents: 0, patienceSec: 60 }, 20)).toThrow(RangeError);
    expect(() => erlangAMetrics({ ...base, agents: 5, patienceSec: 0 }, 20)).toThrow(RangeError);
  });
});

describe('agentsForServiceLevel', () => {
  it('Erlang C: the fewest agents reaching 80 % in 20 s is 22 for A = 18', () => {
    const r = agentsForServiceLevel({ ...base, thresholdSec: 20, targetServiceLevel: 0.8 });
    expect(r?.model).toBe('erlang-c');
    expect(r?.agents).toBe(22);
    expect(erlangCServiceLevel({ ...base, agents: 21 }, 20)).toBeLessThan(0.8);
  });

  it('Erlang A: patience lowers the staffing; the answer is the first N meeting the target', () => {
    const r = agentsForServiceLevel({ ...base, thresholdSec: 20, targetServiceLevel: 0.85, patienceSec: 60 });
    expect(r?.model).toBe('erlang-a');
    expect(r?.agents).toBe(20); // 0.869 at 20 (published point above)
    expect(erlangAMetrics({ ...base, agents: 19, patienceSec: 60 }, 20).serviceLevel).toBeLessThan(0.85);
    expect(r?.metrics.serviceLevel).toBeGreaterThanOrEqual(0.85);
  });

  it('returns null when maxAgents cannot reach the target, and rejects targets outside (0, 1)', () => {
    expect(agentsForServiceLevel({ ...base, thresholdSec: 20, targetServiceLevel: 0.99, maxAgents: 19 })).toBeNull();
    expect(() => agentsForServiceLevel({ ...base, thresholdSec: 20, targetServiceLevel: 1 })).toThrow(RangeError);
  });
});

describe('agentsForServiceLevel caps', () => {
  it('an abandon cap stops an overloaded Erlang A queue from "meeting" SL through abandons', () => {
    const load = { callsPerHour: 10_800, ahtSec: 180, thresholdSec: 20, targetServiceLevel: 0.8, patienceSec: 60 };
    const loose = agentsForServiceLevel(load);
    expect(loose?.agents).toBeLessThan(540); // fewer agents than Erlangs: SL met by letting callers go
    const capped = agentsForServiceLevel({ ...load, maxAbandonRate: 0.02 });
    expect(capped?.metrics).toBeDefined();
    if (capped?.model !== 'erlang-a') throw new Error('expected an Erlang A answer');
    expect(capped.metrics.pAbandon).toBeLessThanOrEqual(0.02);
    expect(capped.agents).toBeGreaterThan(540);
    const below = erlangAMetrics({ callsPerHour: 10_800, ahtSec: 180, agents: capped.agents - 1, patienceSec: 60 }, 20);
    expect(below.pAbandon > 0.02 || below.serviceLevel < 0.8).toBe(true);
  });

  it('an occupancy cap raises Erlang C staffing', () => {
    const r = agentsForServiceLevel({ ...base, thresholdSec: 20, targetServiceLevel: 0.8, maxOccupancy: 0.75 });
    expect(r?.agents).toBe(24); // 18/24 = 0.75, while SL alone needs 22
  });
});
