/** The report as an aligned plain-text table or as CSV (RFC 4180). JSON is the report object itself. */
import type { Report, ReportRow, TotalRow } from '../domain/metrics/report.js';

type AnyRow = ReportRow | TotalRow;

interface Column {
  header: string;
  cell: (row: AnyRow) => string;
  /** Left-aligned (names and times); figures align right. */
  left?: boolean;
}

const KEY_HEADER = { queue: 'QUEUE', agent: 'AGENT', skill: 'SKILL' } as const;

export function formatReportTable(report: Report): string {
  const thr = report.slThresholdSec;
  const keyOf = (r: AnyRow): string => ('queueId' in r && r.queueId) || ('agentId' in r && r.agentId) || ('skill' in r && r.skill) || 'TOTAL';
  const columns: Column[] = [];
  if (report.interval) columns.push({ header: 'START', cell: (r) => ('start' in r && r.start ? shortTime(r.start, report.interval) : ''), left: true });
  columns.push({ header: KEY_HEADER[report.by], cell: keyOf, left: true });
  if (report.by === 'agent') columns.push(...agentColumns());
  else columns.push(...callColumns(thr, report.shortAbandonSec > 0));

  const rows: AnyRow[] = [...report.rows, report.total];
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]): string =>
    values
      .map((v, i) => (columns[i]?.left ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();

  const out = [...headerLines(report), '', line(columns.map((c) => c.header)), ...cells.map(line)];
  if (report.by === 'agent') out.push(...notReadyLines(report.rows));
  return out.join('\n');
}

function headerLines(report: Report): string[] {
  const range =
    report.from === undefined && report.to === undefined
      ? 'all events in the log'
      : `${report.from ?? 'start of log'} to ${report.to === undefined ? 'end of log' : `${report.to} (exclusive)`}`;
  const shortAbandons = report.shortAbandonSec > 0 ? `abandons within ${report.shortAbandonSec} s are short (left out)` : 'short abandons: off';
  return [
    `Service level "${report.slFormula}" = ${report.slDefinition}, T = ${report.slThresholdSec} s; ${shortAbandons}`,
    `Range: ${range}; time zone ${report.timeZone}${report.interval ? `; interval ${report.interval}` : ''}${report.queue ? `; queues ${report.queue.join(', ')}` : ''}`,
    `AHT = talk + wrap-up; ASA = mean wait of answered calls; RING = mean ring time to answer; FCR window ${report.fcrWindowHours} h; CSAT 1-5`,
  ];
}

function callColumns(thr: number, showShort: boolean): Column[] {
  return [
    { header: 'OFFERED', cell: (r) => String(r.offered) },
    { header: 'ANSWERED', cell: (r) => String(r.answered) },
    { header: 'ABANDONED', cell: (r) => String(r.abandoned) },
    ...(showShort ? [{ header: 'SHORT', cell: (r: AnyRow) => String(r.shortAbandoned) }] : []),
    { header: `ANS<=${thr}s`, cell: (r) => String(r.answeredWithin) },
    { header: 'SL (%)', cell: (r) => fixed2(r.serviceLevelPct) },
    { header: 'ABANDON (%)', cell: (r) => fixed2(r.abandonRatePct) },
    { header: 'ASA (s)', cell: (r) => fixed2(r.asaSec) },
    { header: 'AHT (s)', cell: (r) => fixed2(r.ahtSec) },
    { header: 'RING (s)', cell: (r) => fixed2(r.ringToAnswerSec) },
    { header: 'RONA', cell: (r) => String(r.rona) },
    { header: 'FCR (%)', cell: (r) => fixed2(r.fcrPct) },
    { header: 'CSAT', cell: (r) => fixed2(r.csatAvg) },
  ];
}

function agentColumns(): Column[] {
  const state = (name: string) => (r: AnyRow) => ('stateSec' in r && r.stateSec ? hms(r.stateSec[name] ?? 0) : '-');
  return [
    { header: 'OFFERED', cell: (r) => String(r.offered) },
    { header: 'ANSWERED', cell: (r) => String(r.answered) },
    { header: 'RONA', cell: (r) => String(r.rona) },
    { header: 'AHT (s)', cell: (r) => fixed2(r.ahtSec) },
    { header: 'TALK (s)', cell: (r) => fixed2(r.avgTalkSec) },
    { header: 'WRAP (s)', cell: (r) => fixed2(r.avgWrapupSec) },
    { header: 'RING (s)', cell: (r) => fixed2(r.ringToAnswerSec) },
    { header: 'OCC (%)', cell: (r) => fixed2(r.occupancyPct) },
    { header: 'LOGGED IN', cell: (r) => ('loggedInSec' in r && r.loggedInSec !== undefined ? hms(r.loggedInSec) : '-') },
    { header: 'AVAILABLE', cell: state('available') },
    { header: 'ON CALL', cell: state('on-call') },
    { header: 'WRAP-UP', cell: state('wrap-up') },
    { header: 'NOT READY', cell: state('not-ready') },
    { header: 'FCR (%)', cell: (r) => fixed2(r.fcrPct) },
    { header: 'CSAT', cell: (r) => fixed2(r.csatAvg) },
  ];
}

function notReadyLines(rows: ReportRow[]): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    const reasons = Object.entries(r.notReadySec ?? {});
    if (reasons.length === 0) continue;
    const when = r.start ? `${r.start} ` : '';
    lines.push(`  ${when}${r.agentId ?? ''}: ${reasons.map(([reason, sec]) => `${reason} ${hms(sec)}`).join(', ')}`);
  }
  return lines.length > 0 ? ['', 'Not ready by reason:', ...lines] : [];
}

/** RFC 4180 CSV: a header, one line per row, then the TOTAL line; nested agent times flattened (stateSec.available). */
export function formatReportCsv(report: Report): string {
  const keyName = report.by === 'queue' ? 'queueId' : report.by === 'agent' ? 'agentId' : 'skill';
  const figureKeys = Object.keys(report.total) as Array<keyof TotalRow>;
  const stateKeys = new Set<string>();
  const reasonKeys = new Set<string>();
  for (const r of report.rows) {
    for (const k of Object.keys(r.stateSec ?? {})) stateKeys.add(k);
    for (const k of Object.keys(r.notReadySec ?? {})) reasonKeys.add(k);
  }
  const agent = report.by === 'agent';
  const header = [
    ...(report.interval ? ['start', 'end'] : []),
    keyName,
    ...figureKeys,
    ...(agent ? ['loggedInSec', ...[...stateKeys].sort().map((k) => `stateSec.${k}`), ...[...reasonKeys].sort().map((k) => `notReadySec.${k}`)] : []),
  ];
  const lines = [header.map(csvField).join(',')];
  const rowCells = (r: ReportRow | TotalRow, key: string, start = '', end = ''): string[] => {
    const row = r as ReportRow;
    return [
      ...(report.interval ? [start, end] : []),
      key,
      ...figureKeys.map((k) => cell(r[k])),
      ...(agent
        ? [cell(row.loggedInSec), ...[...stateKeys].sort().map((k) => cell(row.stateSec?.[k] ?? (row.stateSec ? 0 : null))), ...[...reasonKeys].sort().map((k) => cell(row.notReadySec?.[k] ?? (row.notReadySec ? 0 : null)))]
        : []),
    ];
  };
  for (const r of report.rows) lines.push(rowCells(r, String(r[keyName] ?? ''), r.start, r.end).map(csvField).join(','));
  lines.push(rowCells(report.total, 'TOTAL', report.from ?? '', report.to ?? '').map(csvField).join(','));
  return lines.join('\r\n');
}

function cell(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function fixed2(x: number | null): string {
  return x === null ? '-' : x.toFixed(2);
}

/** Seconds as h:mm:ss. */
export function hms(totalSec: number): string {
  const s = Math.round(totalSec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** An interval start in the report's zone, as short as the interval allows: "2024-05-01 09:30" or "2024-05-01". */
function shortTime(iso: string, interval: string | undefined): string {
  return interval === 'day' || interval === 'week' || interval === 'month' ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}
