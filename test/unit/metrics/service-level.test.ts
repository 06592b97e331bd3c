import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/domain/metrics/report.js';
import { pct, round2, serviceLevelPct, SL_FORMULAS, type SlFormula } from '../../../src/domain/metrics/service-level.js';
import { workedExample } from './worked-example.js';

describe('service-level formulas on the worked example (100 offered, 80 answered / 68 ≤ 20 s, 20 abandoned / 12 ≤ 20 s / 6 ≤ 5 s)', () => {
  const counts = { offered: 100, answered: 80, answeredWithin: 68, abandonedWithin: 12 };

  it('pure formulas give 85.00 / 68.00 / 80.00 / 77.27 %', () => {
    expect(serviceLevelPct('answered', counts)).toBe(85);
    expect(serviceLevelPct('offered', counts)).toBe(68);
    expect(serviceLevelPct('offered-abandon-met', counts)).toBe(80);
    expect(serviceLevelPct('offered-minus-early-abandon', counts)).toBe(77.27);
    // 5 s short-abandon threshold: 6 calls leave offered (94) and abandons within T (6 left).
    expect(serviceLevelPct('offered', { ...counts, offered: 94, abandonedWithin: 6 })).toBe(72.34);
    expect(pct(20, 100)).toBe(20);
    expect(pct(14, 94)).toBe(14.89);
  });

  const expected: Record<SlFormula, number> = { answered: 85, offered: 68, 'offered-abandon-met': 80, 'offered-minus-early-abandon': 77.27 };
  for (const formula of Object.keys(SL_FORMULAS) as SlFormula[]) {
    it(`the report fold names and computes "${formula}" from events: ${expected[formula]} %`, () => {
      const r = buildReport(workedExample(), { slFormula: formula });
      expect(r.slFormula).toBe(formula);
      expect(r.slDefinition).toBe(SL_FORMULAS[formula]);
      expect(r.total).toMatchObject({ offered: 100, answered: 80, abandoned: 20, answeredWithin: 68, abandonedWithin: 12, shortAbandoned: 0 });
      expect(r.total.serviceLevelPct).toBe(expected[formula]);
      expect(r.total.abandonRatePct).toBe(20);
      expect(r.total.answerRatePct).toBe(80);
    });
  }

  it('a 5 s short-abandon threshold: offered 72.34 %, abandon rate 14.89 %', () => {
    const r = buildReport(workedExample(), { slFormula: 'offered', shortAbandonSec: 5 });
    expect(r.shortAbandonSec).toBe(5);
    expect(r.total).toMatchObject({ offered: 94, abandoned: 14, abandonedWithin: 6, shortAbandoned: 6, serviceLevelPct: 72.34, abandonRatePct: 14.89 });
    // The other formulas with short abandons removed.
    expect(buildReport(workedExample(), { slFormula: 'answered', shortAbandonSec: 5 }).total.serviceLevelPct).toBe(85);
    expect(buildReport(workedExample(), { slFormula: 'offered-abandon-met', shortAbandonSec: 5 }).total.serviceLevelPct).toBe(78.72); // 74 / 94
    expect(buildReport(workedExample(), { slFormula: 'offered-minus-early-abandon', shortAbandonSec: 5 }).total.serviceLevelPct).toBe(77.27); // 68 / 88
  });

  it('null, never NaN, when a denominator is 0', () => {
    expect(serviceLevelPct('answered', { offered: 3, answered: 0, answeredWithin: 0, abandonedWithin: 3 })).toBeNull();
    expect(serviceLevelPct('offered-minus-early-abandon', { offered: 3, answered: 0, answeredWithin: 0, abandonedWithin: 3 })).toBeNull();
    expect(pct(1, 0)).toBeNull();
  });

  it('rounds half up to 2 decimals as written', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(3.375)).toBe(3.38);
    expect(round2(-1.005)).toBe(-1.01);
    expect(round2(2 / 3)).toBe(0.67);
  });
});
