/**
 * Service-level formulas and the ratios every report shares (docs/reports.md, "Service level").
 *
 * Vendors disagree on what "80 % in 20 s" divides by, so the formula is chosen per report and named in its
 * output. With T the threshold and S the short-abandon threshold (0 = off):
 *
 *   Ans_T  answered with waitMs ≤ T          Ab_T  abandoned (not short) with waitMs ≤ T
 *   Ab_S   abandoned with waitMs ≤ S (S > 0)  — removed from Offered and from Abandoned when S > 0
 *
 *   answered                     Ans_T / Ans
 *   offered                      Ans_T / Offered            (the default: abandons count against it)
 *   offered-abandon-met          (Ans_T + Ab_T) / Offered
 *   offered-minus-early-abandon  Ans_T / (Offered − Ab_T)
 */

export const SL_FORMULAS = {
  answered: 'answered within T / answered',
  offered: 'answered within T / offered',
  'offered-abandon-met': '(answered within T + abandoned within T) / offered',
  'offered-minus-early-abandon': 'answered within T / (offered − abandoned within T)',
} as const;

export type SlFormula = keyof typeof SL_FORMULAS;

export const DEFAULT_SL_FORMULA: SlFormula = 'offered';

export function isSlFormula(name: string): name is SlFormula {
  return Object.prototype.hasOwnProperty.call(SL_FORMULAS, name);
}

/** Call counts a service level is computed from; `offered` and `abandoned` already exclude short abandons. */
export interface SlCounts {
  offered: number;
  answered: number;
  answeredWithin: number;
  abandonedWithin: number;
}

/** Service level in percent (2 decimals), or null when the formula's denominator is 0. */
export function serviceLevelPct(formula: SlFormula, c: SlCounts): number | null {
  switch (formula) {
    case 'answered':
      return pct(c.answeredWithin, c.answered);
    case 'offered':
      return pct(c.answeredWithin, c.offered);
    case 'offered-abandon-met':
      return pct(c.answeredWithin + c.abandonedWithin, c.offered);
    case 'offered-minus-early-abandon':
      return pct(c.answeredWithin, c.offered - c.abandonedWithin);
  }
}

/** 100 × part / whole, 2 decimals; null when whole is 0. */
export function pct(part: number, whole: number): number | null {
  return ratio(100 * part, whole);
}

/** numerator / denominator rounded to 2 decimals; null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return round2(numerator / denominator);
}

/** Rounds half up to 2 decimals, as written: 1.005 → 1.01 although 1.005 is stored as 1.00499…. */
export function round2(x: number): number {
  return Math.round((x + Math.sign(x) * Number.EPSILON * Math.max(1, Math.abs(x))) * 100) / 100;
}
