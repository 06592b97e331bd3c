/**
 * The media clock. Every 20 ms frame has an ABSOLUTE deadline, start + n × 20 ms, on a monotonic clock, and one
 * clock ticks every session. Re-arming a relative timer each period (setInterval(20) or setTimeout(20) after the
 * work) accumulates the timer's lateness: FIELD-NOTES measured setInterval(20) running 0.6–1.5 % slow, which a
 * caller hears as a prompt dragging and a far-end jitter buffer sees as a slow sender. With absolute deadlines a
 * late wake-up only delays that one frame; the next deadline does not move.
 *
 * Sessions are spread over SLOTS within the frame (FrameSlots): the clock ticks every 20 / slots ms and each tick
 * serves one slot, so session s sends at start + phase(s) + n × 20 ms. Sending 1,000 packets in one burst takes
 * the loopback ~8 ms, which would make the last session of the burst 8 ms late every frame; spread over 10 slots
 * each burst is a tenth of that, and the far ends (and the kernel) see an even packet rate.
 */

export const FRAME_MS = 20;
export const SLOTS_PER_FRAME = 10;

/** Pure deadline arithmetic (no timers), so it can be tested with any clock: tick n is due at start + n × period. */
export class FrameSchedule {
  constructor(
    readonly startMs: number,
    readonly periodMs: number = FRAME_MS,
  ) {}

  deadlineMs(tick: number): number {
    return this.startMs + tick * this.periodMs;
  }

  /** The last tick whose deadline is at or before `nowMs` (-1 before the start). */
  lastDueTick(nowMs: number): number {
    return Math.floor((nowMs - this.startMs) / this.periodMs);
  }

  /**
   * Which ticks to run when woken at `nowMs` with `nextTick` not yet run: normally just the due ones. When the
   * thread stalled for longer than `maxCatchUpTicks`, the oldest are skipped (sending a burst of stale frames
   * helps no receiver); the schedule itself never shifts.
   */
  dueTicks(nextTick: number, nowMs: number, maxCatchUpTicks: number): { first: number; last: number; skipped: number } {
    const last = this.lastDueTick(nowMs);
    if (last < nextTick) return { first: nextTick, last: nextTick - 1, skipped: 0 };
    const first = Math.max(nextTick, last - maxCatchUpTicks + 1);
    return { first, last, skipped: first - nextTick };
  }

  /** Milliseconds to wait from `nowMs` until `tick`'s deadline (0 if already due). */
  waitMs(tick: number, nowMs: number): number {
    return Math.max(0, this.deadlineMs(tick) - nowMs);
  }
}

/** Timer and monotonic time source, injectable for tests. */
export interface ClockDriver {
  nowMs(): number;
  setTimer(delayMs: number, fn: () => void): unknown;
  clearTimer(handle: unknown): void;
}

export const realClockDriver: ClockDriver = {
  nowMs: () => performance.now(),
  // Node timers have 1 ms granularity; rounding up wakes us just after the deadline instead of just before it
  // (an early wake would find nothing due and cost another timer).
  setTimer: (delayMs, fn) => setTimeout(fn, Math.ceil(delayMs)),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface MediaClockOptions {
  /** Tick period (default 20 ms). */
  periodMs?: number;
  /** After a stall, run only the overdue ticks of the last this-many ms (default 100). */
  maxCatchUpMs?: number;
  driver?: ClockDriver;
}

/**
 * Calls `onTick(tick, deadlineMs)` once per period on absolute deadlines. Ticks count from 0 at start(); ticks
 * skipped after a stall are counted in `skippedTicks`.
 */
export class MediaClock {
  private readonly periodMs: number;
  private readonly maxCatchUpTicks: number;
  private readonly driver: ClockDriver;
  private schedule: FrameSchedule | null = null;
  private nextTick = 0;
  private timer: unknown = null;
  skippedTicks = 0;

  constructor(
    private readonly onTick: (tick: number, deadlineMs: number) => void,
    options: MediaClockOptions = {},
  ) {
    this.periodMs = options.periodMs ?? FRAME_MS;
    this.maxCatchUpTicks = Math.max(1, Math.round((options.maxCatchUpMs ?? 100) / this.periodMs));
    this.driver = options.driver ?? realClockDriver;
  }

  get running(): boolean {
    return this.schedule !== null;
  }

  /** The tick that runs next (0 when stopped: start() begins there). */
  get upcomingTick(): number {
    return this.schedule ? this.nextTick : 0;
  }

  start(): void {
    if (this.schedule) return;
    this.schedule = new FrameSchedule(this.driver.nowMs(), this.periodMs);
    this.nextTick = 0;
    this.wake();
  }

  stop(): void {
    if (this.timer !== null) this.driver.clearTimer(this.timer);
    this.timer = null;
    this.schedule = null;
  }

  private readonly wake = (): void => {
    this.timer = null;
    const schedule = this.schedule;
    if (!schedule) return;
    const due = schedule.dueTicks(this.nextTick, this.driver.nowMs(), this.maxCatchUpTicks);
    this.skippedTicks += due.skipped;
    for (let tick = due.first; tick <= due.last; tick++) {
      this.nextTick = tick + 1;
      this.onTick(tick, schedule.deadlineMs(tick));
      if (this.schedule !== schedule) return; // stopped from inside onTick
    }
    this.nextTick = Math.max(this.nextTick, due.last + 1);
    this.timer = this.driver.setTimer(schedule.waitMs(this.nextTick, this.driver.nowMs()), this.wake);
  };
}

/**
 * Which sessions the clock serves on which sub-frame slot. Tick k serves slot k mod slots, for frame
 * floor(k / slots). A new member goes to the least loaded slot, the soonest one among equals, so load stays
 * even and a prompt starts as early as possible.
 */
export class FrameSlots<T> {
  private readonly members: Set<T>[];
  private readonly slotOf = new Map<T, number>();

  constructor(readonly slots: number = SLOTS_PER_FRAME) {
    this.members = Array.from({ length: slots }, () => new Set<T>());
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Adds `item` (no-op if present); `upcomingTick` is the next tick the clock will run. Returns its slot. */
  add(item: T, upcomingTick: number): number {
    const existing = this.slotOf.get(item);
    if (existing !== undefined) return existing;
    let best = -1;
    for (let i = 0; i < this.slots; i++) {
      const slot = (upcomingTick + i) % this.slots;
      if (best < 0 || this.members[slot]!.size < this.members[best]!.size) best = slot;
    }
    this.members[best]!.add(item);
    this.slotOf.set(item, best);
    return best;
  }

  remove(item: T): void {
    const slot = this.slotOf.get(item);
    if (slot === undefined) return;
    this.members[slot]!.delete(item);
    this.slotOf.delete(item);
  }

  /** Members served by `tick`, and the frame number that tick is for. */
  due(tick: number): { frame: number; members: ReadonlySet<T> } {
    return { frame: Math.floor(tick / this.slots), members: this.members[tick % this.slots]! };
  }
}
