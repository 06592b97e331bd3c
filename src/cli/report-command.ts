/**
 * `hotline report`: streams the event log through the report fold and prints a table, JSON or CSV, and
 * optionally writes SVG charts. Commander wiring lives in the CLI entry point; this module only needs
 * parsed options.
 */
import { dayFilesBytes, visitEvents } from '../adapters/event-log/read-events.js';
import type { IntervalSpec } from '../domain/metrics/intervals.js';
import { createReportFold, REPORT_EVENT_FIELDS, type Report, type ReportBy, type ReportFold } from '../domain/metrics/report.js';
import type { SlFormula } from '../domain/metrics/service-level.js';
import { NO_PROGRESS, type Progress, type ProgressOptions } from './progress.js';
import { formatReportCsv, formatReportTable } from './report-format.js';
import { writeReportCharts } from './svg-charts.js';

export { formatReportTable } from './report-format.js';

export type ReportFormat = 'table' | 'json' | 'csv';

export interface RunReportOptions {
  /** Directory of the day files (`<dataDir>/events`). */
  eventsDir: string;
  /** Range start, ms since epoch, inclusive. */
  fromMs?: number;
  /** Range end, ms since epoch, exclusive. */
  toMs?: number;
  /** Now (the clock's): agents' open states end at min(toMs, nowMs). */
  nowMs?: number;
  slThresholdSec: number;
  slFormula?: SlFormula;
  shortAbandonSec?: number;
  by?: ReportBy;
  interval?: IntervalSpec;
  timeZone?: string;
  queues?: string[];
  fcrWindowHours?: number;
  queueSkills?: ReadonlyMap<string, readonly string[]>;
  /** Output format (default table). */
  format?: ReportFormat;
  /** Same as format 'json' (kept for scripts written against the first version). */
  json?: boolean;
  /** Also write SVG charts into this directory. */
  svgDir?: string;
  /** Service-level target line of the SL chart, percent (default 80). */
  slTargetPct?: number;
  /** Abandon-rate target line, percent (default 5). */
  abandonTargetPct?: number;
  /** Receives the whole report once, without a trailing newline (like console.log). */
  out: (s: string) => void;
  /** Receives each problem as one line (like console.error). */
  warn: (s: string) => void;
  /** Draws a progress bar (the CLI passes one on a terminal, never for JSON). */
  progress?: (opts: ProgressOptions) => Progress;
}

/** Exit codes: 0 report printed (possibly after skipping bad lines), 1 the log could not be read, 2 bad options. */
export const REPORT_EXIT = { ok: 0, readFailed: 1, badOptions: 2 } as const;

/** Per-line warnings shown before they are only counted, so a damaged file cannot flood the terminal. */
const MAX_LINE_WARNINGS = 20;
/** Read this far before the range: agents' states and calls' caller numbers set just before it. */
export const REPORT_LOOKBACK_MS = 2 * 3600_000;

export async function runReport(opts: RunReportOptions): Promise<number> {
  const { eventsDir, fromMs, toMs, warn } = opts;
  const format: ReportFormat = opts.json ? 'json' : (opts.format ?? 'table');
  for (const [name, value] of [['from', fromMs], ['to', toMs]] as const) {
    if (value !== undefined && !Number.isFinite(value)) {
      warn(`hotline report: --${name} is not a valid time`);
      return REPORT_EXIT.badOptions;
    }
  }
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) {
    warn(`hotline report: --from (${new Date(fromMs).toISOString()}) must be before --to (${new Date(toMs).toISOString()})`);
    return REPORT_EXIT.badOptions;
  }
  const nowMs = opts.nowMs ?? Date.now();
  // Charts need intervals: hours for a range of up to two days, else days.
  const interval = opts.interval ?? (opts.svgDir !== undefined ? chartInterval(fromMs, toMs) : undefined);
  let fold: ReportFold;
  try {
    fold = createReportFold({
      slThresholdSec: opts.slThresholdSec,
      slFormula: opts.slFormula,
      shortAbandonSec: opts.shortAbandonSec,
      fromMs,
      toMs,
      endMs: toMs === undefined ? undefined : Math.min(toMs, Math.max(nowMs, fromMs ?? nowMs)),
      by: opts.by,
      interval,
      timeZone: opts.timeZone,
      queues: opts.queues,
      fcrWindowHours: opts.fcrWindowHours,
      queueSkills: opts.queueSkills,
    });
  } catch (err) {
    warn(`hotline report: ${(err as Error).message}`);
    return REPORT_EXIT.badOptions;
  }

  let skipped = 0;
  const onWarning = (message: string): void => {
    skipped++;
    if (skipped <= MAX_LINE_WARNINGS) warn(`hotline report: ${message}`);
  };
  const readFromMs = fromMs === undefined ? undefined : fromMs - REPORT_LOOKBACK_MS;
  const fcrWindowMs = (opts.fcrWindowHours ?? 24) * 3600_000;
  const readToMs = toMs === undefined ? undefined : toMs + fcrWindowMs;
  let progress: Progress = NO_PROGRESS;
  try {
    if (opts.progress) progress = opts.progress({ label: 'reading events', total: await dayFilesBytes(eventsDir, readFromMs, readToMs) });
    // The fold keeps nothing of an event but its strings: the reader may reuse event objects.
    await visitEvents(eventsDir, { fromMs: readFromMs, toMs: readToMs, onWarning, fields: REPORT_EVENT_FIELDS, onProgress: (n) => progress.update(n) }, (ev) => fold.add(ev));
  } catch (err) {
    progress.stop();
    warn(`hotline report: ${(err as Error).message}`);
    return REPORT_EXIT.readFailed;
  }
  progress.stop();
  if (skipped > MAX_LINE_WARNINGS) {
    warn(`hotline report: ${skipped} lines skipped in all (${skipped - MAX_LINE_WARNINGS} not shown)`);
  }

  const report = fold.result();
  opts.out(render(report, format));
  if (opts.svgDir !== undefined) {
    try {
      const files = await writeReportCharts(report, opts.svgDir, { slTargetPct: opts.slTargetPct ?? 80, abandonTargetPct: opts.abandonTargetPct ?? 5 });
      if (format === 'table') warn(`charts written: ${files.join(', ')}`);
    } catch (err) {
      warn(`hotline report: cannot write charts to ${opts.svgDir}: ${(err as Error).message}`);
      return REPORT_EXIT.readFailed;
    }
  }
  return REPORT_EXIT.ok;
}

function chartInterval(fromMs: number | undefined, toMs: number | undefined): IntervalSpec {
  return fromMs !== undefined && toMs !== undefined && toMs - fromMs <= 2 * 86_400_000 ? { kind: 'minutes', minutes: 60 } : { kind: 'day' };
}

export function render(report: Report, format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  if (format === 'csv') return formatReportCsv(report);
  return formatReportTable(report);
}

