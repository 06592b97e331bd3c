/**
 * Sticky agent memory: which agent last served a caller's number, and when. A returning caller within the
 * queue's `sticky.withinDays` is offered to that agent first for `sticky.waitSec`, then to anyone. Bounded:
 * the oldest entries go first beyond `capacity` (a Map iterates in insertion order; re-inserting refreshes).
 */
export interface StickyEntry {
  agentId: string;
  atMs: number;
}

export class StickyMemory {
  private readonly entries = new Map<string, StickyEntry>();

  constructor(private readonly capacity = 200_000) {}

  remember(callerNumber: string, agentId: string, atMs: number): void {
    this.entries.delete(callerNumber);
    this.entries.set(callerNumber, { agentId, atMs });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** The agent who last served this number, if within `withinMs` of `nowMs`. */
  lastAgent(callerNumber: string, nowMs: number, withinMs: number): string | undefined {
    const e = this.entries.get(callerNumber);
    return e && nowMs - e.atMs <= withinMs ? e.agentId : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
