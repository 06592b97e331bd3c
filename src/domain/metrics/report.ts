/**
 * The report fold (docs/reports.md defines every figure): business events in, one report out. Streaming:
 * add() one event at a time in log order, then result(); memory holds only calls in progress, one FCR
 * window of answered calls, and the report's rows.
 *
 * Events before `fromMs` are used for bookkeeping only (a call's caller number and skills, agents' states),
 * so callers may start reading a little before the range. Events at or after `toMs` only serve first-call
 * resolution (did the caller call again within the window?).
 */
import { AgentTimeTracker } from './agent-time.js';
import type { HotlineEvent } from './events.js';
import { DEFAULT_FCR_WINDOW_HOURS, FcrTracker } from './fcr.js';
import { Bucketer, type IntervalSpec } from './intervals.js';
import { ReportCube, type Dims, type ReportBy } from './report-cube.js';
import { buildReportResult, type Report } from './report-result.js';
import { CallBook } from './report-calls.js';
import { DimsCache, reportFacts, type Ended } from './report-facts.js';
import { DEFAULT_SL_FORMULA, isSlFormula, type SlFormula } from './service-level.js';
import { DEFAULT_TIME_ZONE, TimeZone } from './time-zone.js';

export type { Report, ReportRow, TotalRow } from './report-result.js';
export type { ReportBy } from './report-cube.js';

export const DEFAULT_SL_THRESHOLD_SEC = 20;
/** How long after call.ended a wrap-up is still awaited before the call's handle time is talk alone. */
export const DEFAULT_WRAPUP_GRACE_MS = 2 * 3600_000;
/** Skill row of calls whose queue's skills are unknown. */
export const UNKNOWN_SKILL = '(none)';

export interface ReportOptions {
  /** Service-level threshold T in seconds (default 20): answered or abandoned with waitMs ≤ 1000 × T is within. */
  slThresholdSec?: number;
  slFormula?: SlFormula;
  /** Short-abandon threshold S in seconds; 0 (default) = off. Abandons with waitMs ≤ 1000 × S leave offered. */
  shortAbandonSec?: number;
  /** Range start (ms since epoch, inclusive). */
  fromMs?: number;
  /** Range end (ms since epoch, exclusive). */
  toMs?: number;
  /** Where agents' open state periods end (e.g. min(toMs, now)); default toMs, else the last event's time. */
  endMs?: number;
  by?: ReportBy;
  interval?: IntervalSpec;
  /** IANA zone of intervals and shown times (default Asia/Shanghai). */
  timeZone?: string;
  /** Only these queues. */
  queues?: readonly string[];
  fcrWindowHours?: number;
  /** Skills of each queue, for `by: 'skill'` when queue.joined does not carry them (config/hotline.yaml). */
  queueSkills?: ReadonlyMap<string, readonly string[]>;
  wrapupGraceMs?: number;
}

export interface ReportFold {
  /** Takes one event; keeps none of it but its string values (a reader may reuse the object for the next). */
  add(ev: HotlineEvent): void;
  /** The report so far; does not disturb the fold, which can keep taking events. */
  result(): Report;
}

/**
 * What a value of an event field is, for readers that decode only the fields a fold reads: 'complex'
 * (an array or object) makes such a reader parse the whole line when the field is present.
 */
export type FieldKind = 'string' | 'number' | 'boolean' | 'complex';
/** Event type → the fields a fold reads from it (every other field may be left out by the reader). */
export type EventFields = Readonly<Record<string, Readonly<Record<string, FieldKind>>>>;

/** The fields of each event type this fold reads (a test checks it against the fold on every event type). */
export const REPORT_EVENT_FIELDS: EventFields = {
  'call.offered': { callId: 'string', from: 'string' },
  'queue.joined': { callId: 'string', queueId: 'string', skills: 'complex' },
  'agent.offered': { callId: 'string', queueId: 'string', agentId: 'string' },
  'agent.rona': { callId: 'string', queueId: 'string', agentId: 'string' },
  'agent.declined': { callId: 'string', agentId: 'string' },
  'call.answered': { callId: 'string', queueId: 'string', agentId: 'string', waitMs: 'number', ringMs: 'number' },
  'call.abandoned': { callId: 'string', queueId: 'string', waitMs: 'number', whileRinging: 'boolean' },
  'queue.exited': { callId: 'string', queueId: 'string' },
  'agent.transferred': { callId: 'string', talkMs: 'number' },
  'call.ended': { callId: 'string', talkMs: 'number' },
  'agent.wrapup-ended': { callId: 'string', wrapupMs: 'number' },
  'agent.state-changed': { agentId: 'string', from: 'string', to: 'string', reason: 'string' },
  'csat.scored': { queueId: 'string', agentId: 'string', score: 'number' },
};

/** Event types the fold reads; readers may skip parsing every other line. */
export const REPORT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(REPORT_EVENT_FIELDS));

const UNKNOWN_SKILLS: readonly string[] = [UNKNOWN_SKILL];

export function createReportFold(opts: ReportOptions = {}): ReportFold {
  const slThresholdSec = checkSeconds('slThresholdSec', opts.slThresholdSec ?? DEFAULT_SL_THRESHOLD_SEC);
  const shortAbandonSec = checkSeconds('shortAbandonSec', opts.shortAbandonSec ?? 0);
  const fcrWindowHours = opts.fcrWindowHours ?? DEFAULT_FCR_WINDOW_HOURS;
  if (!(fcrWindowHours > 0) || !Number.isFinite(fcrWindowHours)) throw new RangeError(`fcrWindowHours must be a number > 0, got ${fcrWindowHours}`);
  const slFormula = opts.slFormula ?? DEFAULT_SL_FORMULA;
  if (!isSlFormula(slFormula)) throw new RangeError(`unknown service-level formula "${String(slFormula)}"`);
  const by = opts.by ?? 'queue';
  const zone = TimeZone.of(opts.timeZone ?? DEFAULT_TIME_ZONE);
  const { fromMs, toMs } = opts;
  const thresholdMs = slThresholdSec * 1000;
  const shortMs = shortAbandonSec * 1000;
  const wrapupGraceMs = opts.wrapupGraceMs ?? DEFAULT_WRAPUP_GRACE_MS;
  const fcrWindowMs = fcrWindowHours * 3600_000;
  const queueFilter = opts.queues && opts.queues.length > 0 ? new Set(opts.queues) : undefined;
  const bucketer = opts.interval ? new Bucketer(opts.interval, zone) : undefined;
  const cube = new ReportCube(by, bucketer, queueFilter);
  const agentTime = new AgentTimeTracker(cube, fromMs);
  const facts = reportFacts(thresholdMs);
  const fcr = new FcrTracker(fcrWindowMs, (ts, dims, resolved) => cube.add(ts, dims, 'call', facts.fcr, resolved));

  const calls = new CallBook();
  /** Ended (or transferred) after an answer, wrap-up not seen yet; in end order, so expiry pops the front. */
  const inWrapup = new Map<string, Ended>();
  /** Skills last seen on each queue's calls (queue.joined), before the configured ones. */
  const learnedSkills = new Map<string, readonly string[]>();
  const dimsCache = new DimsCache();
  /**
   * First and last event time in the range. Fields of an object, not `let`s: a closure's variable holds a
   * time (not a small integer) as a new heap number on each write, an object's number field is written in place.
   */
  const span = { firstTs: Number.POSITIVE_INFINITY, lastTs: Number.NEGATIVE_INFINITY };
  let nextFcrExpiryTs = Number.NEGATIVE_INFINITY;

  /** The dimensions of a fact; shared objects (no allocation per event) unless the call names its own skills. */
  const dimsOf = (queueId: string, agentId?: string, own?: readonly string[]): Dims => {
    if (by !== 'skill') return dimsCache.get(queueId, agentId, undefined);
    const skills = own ?? learnedSkills.get(queueId) ?? opts.queueSkills?.get(queueId);
    const known = skills && skills.length > 0 ? skills : UNKNOWN_SKILLS;
    return own ? { queueId, agentId, skills: known } : dimsCache.get(queueId, agentId, known);
  };

  /** Talk ended (hang-up or transfer) at `ts`: talk fact and busy time now, handle once the wrap-up is known. */
  const endTalk = (callId: string, dims: Dims, wrapupMs: number | undefined, talkMs: number, ts: number): void => {
    cube.add(ts, dims, 'call', facts.talk, talkMs);
    cube.spread(ts - talkMs, ts, dims, 'agentTime', facts.busy);
    const ended: Ended = { dims, talkMs, endedTs: ts, wrapupMs };
    if (wrapupMs !== undefined) {
      cube.spread(ts, ts + wrapupMs, dims, 'agentTime', facts.busy);
      cube.add(ts, dims, 'call', facts.handle, ended);
    } else {
      if (inWrapup.size === 0) nextWrapupExpiryTs = ts + wrapupGraceMs;
      inWrapup.set(callId, ended);
    }
  };
  /** Earliest time an awaited wrap-up can expire: the map is only walked from then on (not on every event). */
  let nextWrapupExpiryTs = Number.POSITIVE_INFINITY;
  const expireWrapups = (nowTs: number): void => {
    nextWrapupExpiryTs = Number.POSITIVE_INFINITY;
    for (const [callId, e] of inWrapup) {
      if (e.endedTs + wrapupGraceMs >= nowTs) {
        nextWrapupExpiryTs = e.endedTs + wrapupGraceMs;
        break;
      }
      inWrapup.delete(callId);
      cube.add(e.endedTs, e.dims, 'call', facts.handle, e);
    }
  };

  const add = (ev: HotlineEvent): void => {
    const ts = ev.ts;
    if (toMs !== undefined && ts >= toMs) {
      // Past the range: only a repeat call can still change a figure (FCR of a call answered in the range).
      if (ev.type === 'call.offered') fcr.offered(ev.callId, ev.from, ts);
      return;
    }
    const inRange = fromMs === undefined || ts >= fromMs;
    if (inRange) {
      if (ts < span.firstTs) span.firstTs = ts;
      if (ts > span.lastTs) span.lastTs = ts;
    }
    if (ts > nextWrapupExpiryTs) expireWrapups(ts);
    if (ts >= nextFcrExpiryTs) {
      fcr.expire(ts);
      // A sweep every quarter window keeps at most 1¼ windows of answered calls in memory.
      nextFcrExpiryTs = ts + fcrWindowMs / 4;
    }
    // Cases by frequency (state changes are a third of a log): each case is a string comparison.
    switch (ev.type) {
      case 'agent.state-changed':
        agentTime.change(ev);
        break;
      case 'call.offered':
        calls.open(ev.callId).from = ev.from;
        fcr.offered(ev.callId, ev.from, ts);
        break;
      case 'queue.joined': {
        const call = calls.open(ev.callId);
        // Moving to another queue without an outcome ends the first offer (offered there, not answered).
        if (call.waiting && call.queueId !== ev.queueId && inRange) {
          cube.add(ts, dimsOf(call.queueId, undefined, call.skills), 'call', facts.offered, undefined);
        }
        if (ev.skills) learnedSkills.set(ev.queueId, ev.skills);
        call.waiting = true;
        call.queueId = ev.queueId;
        call.skills = ev.skills;
        if (inRange) cube.touch(ts, dimsOf(ev.queueId, undefined, ev.skills), 'call');
        break;
      }
      case 'agent.offered':
        calls.open(ev.callId).rung(ev.agentId);
        if (inRange) cube.add(ts, dimsCache.get(ev.queueId, ev.agentId, undefined), 'agent', facts.agentOffer, undefined);
        break;
      case 'agent.rona': {
        const call = calls.find(ev.callId);
        if (call) {
          call.ringStopped(ev.agentId);
          calls.release(ev.callId, call);
        }
        if (inRange) cube.add(ts, dimsOf(ev.queueId, ev.agentId, call?.waiting ? call.skills : undefined), 'call', facts.rona, undefined);
        break;
      }
      case 'agent.declined': {
        const call = calls.find(ev.callId);
        if (call) {
          call.ringStopped(ev.agentId);
          calls.release(ev.callId, call);
        }
        break;
      }
      case 'call.answered': {
        const call = calls.open(ev.callId);
        const own = call.leaveQueue();
        call.takeRinging();
        const dims = dimsOf(ev.queueId, ev.agentId, own);
        call.talkDims = dims;
        call.wrapupMs = undefined;
        call.fcr = undefined;
        if (!inRange) break;
        cube.add(ts, dims, 'call', facts.answered, ev);
        call.fcr = fcr.answered(ev.callId, call.from, ts, dims);
        break;
      }
      case 'call.abandoned': {
        const call = calls.find(ev.callId);
        const own = call?.leaveQueue();
        const rung = call?.takeRinging();
        if (call) calls.release(ev.callId, call);
        if (!inRange) break;
        if (shortMs > 0 && ev.waitMs <= shortMs) {
          cube.add(ts, dimsOf(ev.queueId, undefined, own), 'call', facts.shortAbandon, undefined);
          break;
        }
        cube.add(ts, dimsOf(ev.queueId, undefined, own), 'call', facts.abandoned, ev);
        if (!ev.whileRinging || rung === undefined) break;
        // Every phone still ringing (ring-all) had its ring abandoned.
        if (typeof rung === 'string') cube.add(ts, dimsCache.get(ev.queueId, rung, undefined), 'agent', facts.abandonedRinging, undefined);
        else for (const agentId of rung) cube.add(ts, dimsCache.get(ev.queueId, agentId, undefined), 'agent', facts.abandonedRinging, undefined);
        break;
      }
      case 'queue.exited': {
        const call = calls.find(ev.callId);
        const own = call?.leaveQueue();
        call?.takeRinging();
        if (call) calls.release(ev.callId, call);
        if (inRange) cube.add(ts, dimsOf(ev.queueId, undefined, own), 'call', facts.offered, undefined);
        break;
      }
      case 'agent.transferred': {
        const call = calls.find(ev.callId);
        const dims = call?.talkDims;
        if (call === undefined || dims === undefined) break;
        call.talkDims = undefined;
        calls.release(ev.callId, call);
        if (inRange) endTalk(ev.callId, dims, call.wrapupMs, ev.talkMs, ts);
        break;
      }
      case 'call.ended': {
        const call = calls.find(ev.callId);
        if (call === undefined) break;
        calls.forget(ev.callId);
        if (call.waiting) {
          // Ended in queue without another outcome (system hang-up): offered, not served.
          if (inRange) cube.add(ts, dimsOf(call.queueId, undefined, call.skills), 'call', facts.offered, undefined);
        }
        const dims = call.talkDims;
        if (dims === undefined) break;
        if (call.fcr) fcr.ended(call.fcr, ts);
        // No talk time on an answered call is an inconsistent record: left out of AHT.
        if (inRange && ev.talkMs !== undefined) endTalk(ev.callId, dims, call.wrapupMs, ev.talkMs, ts);
        break;
      }
      case 'agent.wrapup-ended': {
        const ended = inWrapup.get(ev.callId);
        if (ended) {
          inWrapup.delete(ev.callId);
          ended.wrapupMs = ev.wrapupMs;
          cube.spread(ts - ev.wrapupMs, ts, ended.dims, 'agentTime', facts.busy);
          cube.add(ended.endedTs, ended.dims, 'call', facts.handle, ended);
          break;
        }
        // Same-millisecond events from two sources may arrive wrap-up first; keep it for call.ended.
        const call = calls.find(ev.callId);
        if (call?.talkDims) call.wrapupMs = ev.wrapupMs;
        break;
      }
      case 'csat.scored':
        if (inRange && Number.isInteger(ev.score) && ev.score >= 1 && ev.score <= 5) cube.add(ts, dimsOf(ev.queueId, ev.agentId), 'call', facts.csat, ev.score);
        break;
      default:
        break;
    }
  };

  const result = (): Report => {
    const out = cube.clone();
    // Handle time of calls whose wrap-up never came within the range is their talk time alone.
    for (const e of inWrapup.values()) out.add(e.endedTs, e.dims, 'call', facts.handle, e);
    // Answered calls whose FCR window has not closed in the data count as resolved (provisional).
    fcr.flush((ts, dims, resolved) => out.add(ts, dims, 'call', facts.fcr, resolved));
    const { firstTs, lastTs } = span;
    const endMs = opts.endMs ?? toMs ?? (Number.isFinite(lastTs) ? lastTs : undefined);
    if (endMs !== undefined) agentTime.closeAll(endMs, out);
    const spanFromMs = fromMs ?? (Number.isFinite(firstTs) ? firstTs : undefined);
    const spanToMs = endMs ?? (Number.isFinite(lastTs) ? lastTs + 1 : undefined);
    return buildReportResult(out, {
      slThresholdSec,
      slFormula,
      shortAbandonSec,
      fcrWindowHours,
      zone,
      fromMs,
      toMs,
      interval: opts.interval,
      queueFilter: queueFilter ? [...queueFilter].sort() : undefined,
      spanFromMs,
      spanToMs,
    });
  };

  return { add, result };
}

/** Folds a whole collection of events at once. */
export function buildReport(events: Iterable<HotlineEvent>, opts: ReportOptions = {}): Report {
  const fold = createReportFold(opts);
  for (const ev of events) fold.add(ev);
  return fold.result();
}

function checkSeconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}
