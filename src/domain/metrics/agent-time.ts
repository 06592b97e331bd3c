/**
 * Where agents' time went, from agent.state-changed: each state period is clipped to the report range and
 * split over its intervals. Before an agent's first change in the range, the agent was in that change's
 * `from` state since the range start (the reason of a not-ready state seen that way is "unknown").
 */
import type { AgentStateChanged } from './events.js';
import type { Dims, ReportCube } from './report-cube.js';
import { STAFFED_STATES, stateSlot, type Totals } from './report-totals.js';

export const UNKNOWN_REASON = 'unknown';

/** An agent's current state period (one object per agent, updated in place). */
interface Period {
  dims: Dims;
  state: string;
  reason: string | undefined;
  sinceMs: number;
  staffed: boolean;
  notReady: boolean;
  reasonKey: string;
  /** stateSlot(state): where its time goes in Totals (-1: by name in stateMs). */
  slot: number;
}

export class AgentTimeTracker {
  private readonly current = new Map<string, Period>();

  constructor(
    private readonly cube: ReportCube,
    /** Range start: periods are clipped to it, and an agent's first known state is assumed since then. */
    private readonly fromMs: number | undefined,
  ) {}

  change(ev: AgentStateChanged): void {
    let p = this.current.get(ev.agentId);
    if (p) {
      // Repeats of the same state (an imported per-queue pause) do not restart the period.
      if (p.state === ev.to && p.reason === ev.reason) return;
      this.close(p, ev.ts, this.cube);
    } else {
      p = { dims: { agentId: ev.agentId }, state: ev.from, reason: undefined, sinceMs: Number.NEGATIVE_INFINITY, staffed: false, notReady: false, reasonKey: UNKNOWN_REASON, slot: -1 };
      this.current.set(ev.agentId, p);
      if (this.fromMs !== undefined && ev.ts > this.fromMs) {
        set(p, ev.from, ev.from === 'not-ready' ? UNKNOWN_REASON : undefined, this.fromMs);
        this.close(p, ev.ts, this.cube);
      }
    }
    set(p, ev.to, ev.reason, ev.ts);
  }

  /** Adds every open period up to `endMs` into `cube` (usually a clone: the tracker itself is not changed). */
  closeAll(endMs: number, cube: ReportCube): void {
    for (const p of this.current.values()) this.close(p, endMs, cube);
  }

  private close(p: Period, endMs: number, cube: ReportCube): void {
    const startMs = this.fromMs === undefined ? p.sinceMs : Math.max(p.sinceMs, this.fromMs);
    if (endMs <= startMs || p.state === 'logged-out') return;
    cube.spread(startMs, endMs, p.dims, 'agentTime', addStateTime, p);
  }
}

function addStateTime(t: Totals, ms: number, p: Period): void {
  t.loggedInMs += ms;
  if (p.staffed) t.staffedMs += ms;
  if (p.slot >= 0) t.stateSlotMs[p.slot] = (t.stateSlotMs[p.slot] ?? 0) + ms;
  else t.stateMs[p.state] = (t.stateMs[p.state] ?? 0) + ms;
  if (p.notReady) t.notReadyMs[p.reasonKey] = (t.notReadyMs[p.reasonKey] ?? 0) + ms;
}

function set(p: Period, state: string, reason: string | undefined, sinceMs: number): void {
  p.state = state;
  p.reason = reason;
  p.sinceMs = sinceMs;
  p.staffed = STAFFED_STATES.has(state);
  p.notReady = state === 'not-ready';
  p.reasonKey = reason ?? UNKNOWN_REASON;
  p.slot = stateSlot(state);
}
