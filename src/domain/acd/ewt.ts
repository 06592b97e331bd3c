/**
 * Estimated wait time. With every staffed agent busy, agents come free one after another at a rate of
 * N / AHT (N staffed agents, each finishing a call of mean handle time AHT, memoryless as in Erlang C), so the
 * caller at position p waits for p of those releases:
 *
 *     EWT(p) = p × AHT / N
 *
 * AHT is the mean handle time (talk + wrap-up) of the queue's last `window` calls, or the configured
 * expectation until there are any. N counts the queue's members who are staffed: available, reserved,
 * ringing, on a call or in wrap-up (not-ready and logged-out agents serve nobody). No staffed agent: unknown.
 */
export class HandleTimes {
  private readonly samples: number[] = [];
  private next = 0;
  private sum = 0;

  constructor(
    private readonly expectedSec: number,
    private readonly window = 50,
  ) {}

  add(handleMs: number): void {
    const sec = handleMs / 1000;
    if (this.samples.length < this.window) this.samples.push(sec);
    else {
      this.sum -= this.samples[this.next] as number;
      this.samples[this.next] = sec;
      this.next = (this.next + 1) % this.window;
    }
    this.sum += sec;
  }

  get count(): number {
    return this.samples.length;
  }

  /** Mean handle time in seconds: measured, or the configured expectation before any call. */
  get ahtSec(): number {
    return this.samples.length > 0 ? this.sum / this.samples.length : this.expectedSec;
  }
}

export function estimatedWaitSec(position: number, ahtSec: number, staffedAgents: number): number | undefined {
  if (staffedAgents <= 0 || position < 1) return undefined;
  return (position * ahtSec) / staffedAgents;
}
