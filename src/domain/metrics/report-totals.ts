/**
 * The sums a report row is computed from, and the row itself (docs/reports.md, "Definitions"). Rows are only
 * ever computed from summed counts and durations, never by averaging other rows, so a total is exact.
 */
import { pct, ratio, serviceLevelPct, type SlFormula } from './service-level.js';

/** Agent states the engine uses (src/domain/acd/agent-state.ts); other names from imports are kept too. */
export const STAFFED_STATES: ReadonlySet<string> = new Set(['available', 'reserved', 'ringing', 'on-call', 'wrap-up']);

/** The logged-in states of the engine, each with a slot in Totals.stateSlotMs (a fast path for the common case). */
export const STATE_SLOTS = ['available', 'reserved', 'ringing', 'on-call', 'wrap-up', 'not-ready'] as const;
const SLOT_OF = new Map<string, number>(STATE_SLOTS.map((s, i) => [s, i]));

/** The slot of a state in Totals.stateSlotMs, or -1 for a state outside the engine's (kept in stateMs). */
export function stateSlot(state: string): number {
  return SLOT_OF.get(state) ?? -1;
}

export interface Totals {
  /** Calls with a queue outcome, short abandons excluded. */
  offered: number;
  answered: number;
  /** Caller hung up while queued (short abandons excluded). */
  abandoned: number;
  answeredWithin: number;
  abandonedWithin: number;
  shortAbandoned: number;
  answeredWaitMs: number;
  answeredRingMs: number;
  /** Calls with a known handle time (talk + wrap-up) and its sum. */
  handled: number;
  handleMs: number;
  talked: number;
  talkMs: number;
  wrapups: number;
  wrapupMs: number;
  /** Agent rows: calls offered to (rung at) the agent, and callers who hung up while it rang. */
  agentOffers: number;
  abandonedRinging: number;
  rona: number;
  fcrJudged: number;
  fcrResolved: number;
  csatCount: number;
  csatSum: number;
  csatSatisfied: number;
  /** Agent time: logged in, staffed (logged in and not not-ready), and busy with calls (talk + wrap-up). */
  loggedInMs: number;
  staffedMs: number;
  busyMs: number;
  /** Time per state of STATE_SLOTS, by slot. */
  stateSlotMs: number[];
  /** Time in states outside STATE_SLOTS (from imports), by name. */
  stateMs: Record<string, number>;
  notReadyMs: Record<string, number>;
}

export function emptyTotals(): Totals {
  return {
    offered: 0,
    answered: 0,
    abandoned: 0,
    answeredWithin: 0,
    abandonedWithin: 0,
    shortAbandoned: 0,
    answeredWaitMs: 0,
    answeredRingMs: 0,
    handled: 0,
    handleMs: 0,
    talked: 0,
    talkMs: 0,
    wrapups: 0,
    wrapupMs: 0,
    agentOffers: 0,
    abandonedRinging: 0,
    rona: 0,
    fcrJudged: 0,
    fcrResolved: 0,
    csatCount: 0,
    csatSum: 0,
    csatSatisfied: 0,
    loggedInMs: 0,
    staffedMs: 0,
    busyMs: 0,
    stateSlotMs: STATE_SLOTS.map(() => 0),
    stateMs: {},
    notReadyMs: {},
  };
}

export function cloneTotals(t: Totals): Totals {
  return { ...t, stateSlotMs: [...t.stateSlotMs], stateMs: { ...t.stateMs }, notReadyMs: { ...t.notReadyMs } };
}

/** The figures of one row. Which key names the row (queueId, agentId, skill) and `start` are added by the report. */
export interface RowFigures {
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithin: number;
  abandonedWithin: number;
  shortAbandoned: number;
  serviceLevelPct: number | null;
  abandonRatePct: number | null;
  asaSec: number | null;
  ahtSec: number | null;
  avgTalkSec: number | null;
  avgWrapupSec: number | null;
  ringToAnswerSec: number | null;
  rona: number;
  occupancyPct: number | null;
  answerRatePct: number | null;
  fcrPct: number | null;
  csatAvg: number | null;
  csatSatisfiedPct: number | null;
}

/** Agent rows add where the agent's logged-in time went. */
export interface AgentTime {
  loggedInSec: number;
  /** Seconds in each state (available, on-call, wrap-up, not-ready …), logged-out excluded. */
  stateSec: Record<string, number>;
  /** Seconds not ready, per reason. */
  notReadySec: Record<string, number>;
}

export type RowKind = 'queue' | 'skill' | 'agent' | 'total';

export interface RowOptions {
  formula: SlFormula;
  /** Whether agent time is known for this row (occupancy); false for queue and skill rows, and under --queue. */
  agentTime: boolean;
}

export function toFigures(t: Totals, kind: RowKind, opts: RowOptions): RowFigures {
  const agent = kind === 'agent';
  // An agent row counts offers to the agent; service level and abandon rate are queue figures.
  const offered = agent ? t.agentOffers : t.offered;
  return {
    offered,
    answered: t.answered,
    abandoned: agent ? t.abandonedRinging : t.abandoned,
    answeredWithin: t.answeredWithin,
    abandonedWithin: agent ? 0 : t.abandonedWithin,
    shortAbandoned: agent ? 0 : t.shortAbandoned,
    serviceLevelPct: agent ? null : serviceLevelPct(opts.formula, t),
    abandonRatePct: agent ? null : pct(t.abandoned, t.offered),
    asaSec: ratio(t.answeredWaitMs / 1000, t.answered),
    ahtSec: ratio(t.handleMs / 1000, t.handled),
    avgTalkSec: ratio(t.talkMs / 1000, t.talked),
    avgWrapupSec: ratio(t.wrapupMs / 1000, t.wrapups),
    ringToAnswerSec: ratio(t.answeredRingMs / 1000, t.answered),
    rona: t.rona,
    occupancyPct: opts.agentTime && (agent || kind === 'total') ? pct(Math.min(t.busyMs, t.staffedMs), t.staffedMs) : null,
    answerRatePct: pct(t.answered, offered),
    fcrPct: pct(t.fcrResolved, t.fcrJudged),
    csatAvg: ratio(t.csatSum, t.csatCount),
    csatSatisfiedPct: pct(t.csatSatisfied, t.csatCount),
  };
}

export function agentTimeOf(t: Totals): AgentTime {
  const states: Record<string, number> = { ...t.stateMs };
  STATE_SLOTS.forEach((name, i) => {
    const ms = t.stateSlotMs[i] ?? 0;
    if (ms > 0) states[name] = (states[name] ?? 0) + ms;
  });
  return { loggedInSec: secs(t.loggedInMs), stateSec: secsOf(states), notReadySec: secsOf(t.notReadyMs) };
}

function secs(ms: number): number {
  return Math.round(ms) / 1000;
}

function secsOf(record: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(record).sort()) out[key] = secs(record[key] ?? 0);
  return out;
}
