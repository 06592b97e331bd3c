/**
 * `hotline report`: streams the event log through the report fold and prints JSON or an aligned table.
 * Commander wiring lives in the CLI entry point; this module only needs parsed options.
 */
import { readEvents } from '../adapters/event-log/read-events.js';
import { createReportFold, SL_FORMULA, type Report, type ReportFold, type ReportRow } from '../domain/metrics/report.js';

export interface RunReportOptions {
  /** Directory of the day files (`<dataDir>/events`). */
  eventsDir: string;
  /** Range start, ms since epoch, inclusive. */
  fromMs?: number;
  /** Range end, ms since epoch, exclusive. */
  toMs?: number;
  slThresholdSec: number;
  /** JSON (pretty, 2 spaces) instead of the table. */
  json: boolean;
  /** Receives the whole report once, without a trailing newline (like console.log). */
  out: (s: string) => void;
  /** Receives each problem as one line (like console.error). */
  warn: (s: string) => void;
}

/** Exit codes: 0 report printed (possibly after skipping bad lines), 1 the log could not be read, 2 bad options. */
export const REPORT_EXIT = { ok: 0, readFailed: 1, badOptions: 2 } as const;

/** Per-line warnings shown before they are only counted, so a damaged file cannot flood the terminal. */
const MAX_LINE_WARNINGS = 20;

export async function runReport(opts: RunReportOptions): Promise<number> {
  const { eventsDir, fromMs, toMs, slThresholdSec, warn } = opts;
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
  let fold: ReportFold;
  try {
    fold = createReportFold({ slThresholdSec, fromMs, toMs });
  } catch (err) {
    warn(`hotline report: ${(err as Error).message}`);
    return REPORT_EXIT.badOptions;
  }

  let skipped = 0;
  const onWarning = (message: string): void => {
    skipped++;
    if (skipped <= MAX_LINE_WARNINGS) warn(`hotline report: ${message}`);
  };
  try {
    for await (const ev of readEvents(eventsDir, { fromMs, toMs, onWarning })) fold.add(ev);
  } catch (err) {
    warn(`hotline report: ${(err as Error).message}`);
    return REPORT_EXIT.readFailed;
  }
  if (skipped > MAX_LINE_WARNINGS) {
    warn(`hotline report: ${skipped} lines skipped in all (${skipped - MAX_LINE_WARNINGS} not shown)`);
  }

  const report = fold.result();
  opts.out(opts.json ? JSON.stringify(report, null, 2) : formatReportTable(report));
  return REPORT_EXIT.ok;
}

interface Column {
  header: string;
  cell: (row: ReportRow) => string;
}

/** The report as a plain-text table: one row per queue, then TOTAL, under a line naming the SL formula. */
export function formatReportTable(report: Report): string {
  const thr = report.slThresholdSec;
  const columns: Column[] = [
    { header: 'QUEUE', cell: (r) => r.queueId ?? 'TOTAL' },
    { header: 'OFFERED', cell: (r) => String(r.offered) },
    { header: 'ANSWERED', cell: (r) => String(r.answered) },
    { header: 'ABANDONED', cell: (r) => String(r.abandoned) },
    { header: `ANS<=${thr}s`, cell: (r) => String(r.answeredWithin) },
    { header: 'SL (%)', cell: (r) => fixed2(r.serviceLevelPct) },
    { header: 'ABANDON (%)', cell: (r) => fixed2(r.abandonRatePct) },
    { header: 'ASA (s)', cell: (r) => fixed2(r.asaSec) },
    { header: 'AHT (s)', cell: (r) => fixed2(r.ahtSec) },
    { header: 'RING (s)', cell: (r) => fixed2(r.ringToAnswerSec) },
  ];
  const rows = [...report.queues, report.total];
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  // Queue names align left, figures right, so digits line up.
  const line = (values: string[]): string =>
    values
      .map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();

  const range =
    report.from === undefined && report.to === undefined
      ? 'Range: all events in the log'
      : `Range: ${report.from ?? 'start of log'} to ${report.to === undefined ? 'end of log' : `${report.to} (exclusive)`}`;
  return [
    `Service level = ${SL_FORMULA}, threshold ${thr} s`,
    range,
    'AHT = talk + wrap-up; ASA = mean wait of answered calls; RING = mean ring time to answer',
    '',
    line(columns.map((c) => c.header)),
    ...cells.map(line),
  ].join('\n');
}

function fixed2(x: number | null): string {
  return x === null ? '-' : x.toFixed(2);
}
