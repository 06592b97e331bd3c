/** Means and 95 % confidence intervals across independent replications (Student's t). */

/** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074,
  2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return Infinity;
  if (df <= 30) return T975[df - 1] as number;
  // Beyond 30, a Cornish–Fisher step from the normal quantile is accurate to 1e-3.
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df);
}

export interface Estimate {
  mean: number;
  ci95: [number, number];
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, ci95: [Number.NaN, Number.NaN] };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, ci95: [mean, mean] };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { mean, ci95: [mean - half, mean + half] };
}
