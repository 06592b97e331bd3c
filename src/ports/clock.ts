/** Time source for the whole engine. The domain never reads the wall clock; it is handed one of these. */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch (real or simulated). */
  nowMs(): number;
  /** Runs `fn` once after `delayMs` of this clock's time. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}
