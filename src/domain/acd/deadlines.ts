/**
 * Deadlines as data: the core never sets timers, it records when it must be woken and what to do then.
 * A binary min-heap on (atMs, seq), so equal deadlines fire in the order they were set; cancelled entries are
 * dropped lazily when they reach the top. The host (a real timer, the fake clock, or the simulator's event
 * loop) asks for `nextMs()` and calls `popDue(now)`.
 */
export interface Deadline {
  readonly atMs: number;
  readonly seq: number;
  cancelled: boolean;
  readonly fire: (nowMs: number) => void;
}

export class Deadlines {
  private heap: Deadline[] = [];
  private seq = 0;
  private live = 0;

  add(atMs: number, fire: (nowMs: number) => void): Deadline {
    const d: Deadline = { atMs, seq: this.seq++, cancelled: false, fire };
    this.heap.push(d);
    this.up(this.heap.length - 1);
    this.live += 1;
    return d;
  }

  cancel(d: Deadline | undefined): void {
    if (d && !d.cancelled) {
      d.cancelled = true;
      this.live -= 1;
    }
  }

  /** Live deadlines pending. */
  get size(): number {
    return this.live;
  }

  nextMs(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.atMs;
  }

  /** Removes and returns the earliest live deadline due at or before `nowMs`. */
  popDue(nowMs: number): Deadline | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top || top.atMs > nowMs) return undefined;
    this.pop();
    top.cancelled = true;
    this.live -= 1;
    return top;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && (this.heap[0] as Deadline).cancelled) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop() as Deadline;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private before(a: Deadline, b: Deadline): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i] as Deadline, h[p] as Deadline)) break;
      [h[i], h[p]] = [h[p] as Deadline, h[i] as Deadline];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.before(h[l] as Deadline, h[m] as Deadline)) m = l;
      if (r < h.length && this.before(h[r] as Deadline, h[m] as Deadline)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as Deadline, h[i] as Deadline];
      i = m;
    }
  }
}
