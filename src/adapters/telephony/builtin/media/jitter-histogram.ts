/**
 * Fixed-bucket histogram of send lateness (actual send time − frame deadline), for p50/p99 without keeping
 * samples: 0.05 ms buckets up to 100 ms, plus one overflow bucket. Recording is O(1) per packet.
 */
export class JitterHistogram {
  private readonly counts: Uint32Array;
  private total = 0;
  private maxMs = 0;

  constructor(
    private readonly bucketMs = 0.05,
    rangeMs = 100,
  ) {
    this.counts = new Uint32Array(Math.ceil(rangeMs / bucketMs) + 1);
  }

  record(lateMs: number): void {
    const value = lateMs > 0 ? lateMs : 0;
    const index = Math.min(Math.floor(value / this.bucketMs), this.counts.length - 1);
    this.counts[index]!++;
    this.total++;
    if (value > this.maxMs) this.maxMs = value;
  }

  get count(): number {
    return this.total;
  }

  /** The upper edge of the bucket holding the p-th percentile (0 < p ≤ 100); 0 when empty. */
  percentileMs(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i === this.counts.length - 1 ? this.maxMs : (i + 1) * this.bucketMs;
    }
    return this.maxMs;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.maxMs = 0;
  }
}
