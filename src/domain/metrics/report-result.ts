/** Turns the folded sums into the report object (JSON shape documented in docs/reports.md). */
import { intervalName, type IntervalSpec } from './intervals.js';
import { WHOLE_RANGE, type ReportBy, type ReportCube } from './report-cube.js';
import { agentTimeOf, emptyTotals, toFigures, type AgentTime, type RowFigures, type RowKind, type Totals } from './report-totals.js';
import { SL_FORMULAS, type SlFormula } from './service-level.js';
import type { TimeZone } from './time-zone.js';

/** A row: its key (queueId, agentId or skill), its interval when the report has intervals, its figures. */
export type ReportRow = {
  start?: string;
  end?: string;
  queueId?: string;
  agentId?: string;
  skill?: string;
} & RowFigures &
  Partial<AgentTime>;

export type TotalRow = RowFigures;

/** Per-interval totals (every interval of the range, empty ones included). */
export type IntervalRow = { start: string; end: string } & RowFigures;

export interface Report {
  slThresholdSec: number;
  slFormula: SlFormula;
  /** The formula in words, e.g. "answered within T / offered". */
  slDefinition: string;
  shortAbandonSec: number;
  fcrWindowHours: number;
  timeZone: string;
  /** Range start, ISO 8601 in the report's zone, when one was given. */
  from?: string;
  /** Range end (exclusive), when one was given. */
  to?: string;
  by: ReportBy;
  interval?: string;
  /** The --queue filter, when one was given. */
  queue?: string[];
  /** Rows of the `by` dimension, per interval when there are intervals, sorted by start then key. */
  rows: ReportRow[];
  intervals?: IntervalRow[];
  /** One row per queue over the whole range, sorted by queueId (whatever `by` is). */
  queues: ReportRow[];
  total: TotalRow;
}

export interface ResultMeta {
  slThresholdSec: number;
  slFormula: SlFormula;
  shortAbandonSec: number;
  fcrWindowHours: number;
  zone: TimeZone;
  fromMs: number | undefined;
  toMs: number | undefined;
  interval: IntervalSpec | undefined;
  queueFilter: string[] | undefined;
  /** The span the interval list covers: the range, or the data's first and last event. */
  spanFromMs: number | undefined;
  spanToMs: number | undefined;
}

const KEY_OF: Record<ReportBy, 'queueId' | 'agentId' | 'skill'> = { queue: 'queueId', agent: 'agentId', skill: 'skill' };

export function buildReportResult(cube: ReportCube, meta: ResultMeta): Report {
  const { zone, slFormula: formula } = meta;
  const agentTimeKnown = meta.queueFilter === undefined;
  const rowKind: RowKind = cube.by;
  const keyName = KEY_OF[cube.by];
  const figures = (t: Totals, kind: RowKind): RowFigures => toFigures(t, kind, { formula, agentTime: agentTimeKnown });

  const rows: ReportRow[] = [];
  for (const start of [...cube.rows.keys()].sort((a, b) => a - b)) {
    const byKey = cube.rows.get(start) ?? new Map<string, Totals>();
    for (const key of [...byKey.keys()].sort()) {
      const t = byKey.get(key) ?? emptyTotals();
      const interval = start === WHOLE_RANGE || !cube.bucketer ? {} : { start: zone.format(start), end: zone.format(cube.bucketer.endOf(start)) };
      rows.push({ ...interval, [keyName]: key, ...figures(t, rowKind), ...(rowKind === 'agent' ? agentTimeOf(t) : {}) });
    }
  }

  let intervals: IntervalRow[] | undefined;
  if (cube.bucketer && meta.spanFromMs !== undefined && meta.spanToMs !== undefined) {
    intervals = [];
    for (const start of cube.bucketer.starts(meta.spanFromMs, meta.spanToMs)) {
      const t = cube.intervalTotals.get(start) ?? emptyTotals();
      intervals.push({ start: zone.format(start), end: zone.format(cube.bucketer.endOf(start)), ...figures(t, 'total') });
    }
  }

  const queues: ReportRow[] = [...cube.queues.keys()].sort().map((queueId) => ({ queueId, ...figures(cube.queues.get(queueId) ?? emptyTotals(), 'queue') }));

  return {
    slThresholdSec: meta.slThresholdSec,
    slFormula: formula,
    slDefinition: SL_FORMULAS[formula],
    shortAbandonSec: meta.shortAbandonSec,
    fcrWindowHours: meta.fcrWindowHours,
    timeZone: zone.name,
    ...(meta.fromMs !== undefined ? { from: zone.format(meta.fromMs) } : {}),
    ...(meta.toMs !== undefined ? { to: zone.format(meta.toMs) } : {}),
    by: cube.by,
    ...(meta.interval ? { interval: intervalName(meta.interval) } : {}),
    ...(meta.queueFilter ? { queue: meta.queueFilter } : {}),
    rows,
    ...(intervals ? { intervals } : {}),
    queues,
    total: figures(cube.total, 'total'),
  };
}
