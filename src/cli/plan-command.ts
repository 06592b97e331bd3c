/**
 * `hotline plan`: staffing per interval for a coming period, from a forecast made on the event log's history
 * (weekday × time of day) or from a volumes CSV. Method in docs/planner.md.
 */
import { readFile } from 'node:fs/promises';
import { dayFilesBytes, readEventBatches } from '../adapters/event-log/read-events.js';
import { createForecastFold, FORECAST_EVENT_TYPES, type WeekForecast } from '../domain/metrics/forecast.js';
import { Bucketer } from '../domain/metrics/intervals.js';
import { parseSpan } from '../domain/metrics/periods.js';
import { planInterval, type PlanInput, type PlanInterval, type PlanTargets } from '../domain/metrics/staffing-plan.js';
import type { TimeZone } from '../domain/metrics/time-zone.js';
import { parseCsv } from './csv.js';
import { NO_PROGRESS, type Progress, type ProgressOptions } from './progress.js';

export interface PlanOptions {
  targets: PlanTargets;
  /** Slot length in minutes (15, 30, 60). */
  intervalMinutes: number;
  zone: TimeZone;
  /** Forecast source: the event log over this range … */
  history?: { fromMs: number; toMs: number };
  /** … or a CSV of start,calls,aht_sec rows (one per interval). */
  volumesFile?: string;
  /** The period to plan (history only): default next week. */
  period?: { fromMs: number; toMs: number };
  /** The --patience-sec given, if any; else estimated from the history. */
  patienceGiven: boolean;
  queues?: string[];
  eventsDir: string;
  json: boolean;
  out: (s: string) => void;
  warn: (s: string) => void;
  progress?: (opts: ProgressOptions) => Progress;
}

export interface PlanReport {
  timeZone: string;
  interval: string;
  targetServiceLevel: number;
  slThresholdSec: number;
  maxAbandon: number | null;
  patienceSec: number | null;
  patienceSource: 'option' | 'history' | null;
  shrinkage: number;
  forecast: { source: 'history'; from: string; to: string; calls: number; meanAhtSec: number | null; queues: string[] | null } | { source: 'volumes'; file: string };
  period?: { from: string; to: string };
  intervals: PlanInterval[];
}

export async function runPlan(o: PlanOptions): Promise<number> {
  let report: PlanReport;
  try {
    report = o.volumesFile !== undefined ? await planFromVolumes(o, o.volumesFile) : await planFromHistory(o);
  } catch (err) {
    o.warn(`hotline plan: ${(err as Error).message}`);
    return err instanceof RangeError ? 2 : 1;
  }
  o.out(o.json ? JSON.stringify(report, null, 2) : formatPlan(report));
  return 0;
}

async function planFromHistory(o: PlanOptions): Promise<PlanReport> {
  const history = o.history;
  const period = o.period;
  if (!history || !period) throw new RangeError('give --history <from>..<to> or --volumes <file>');
  const fold = createForecastFold({ zone: o.zone, intervalMinutes: o.intervalMinutes, fromMs: history.fromMs, toMs: history.toMs, ...(o.queues ? { queues: new Set(o.queues) } : {}) });
  // Calls that joined just before the end finish after it: read a little further.
  const readToMs = history.toMs + 3600_000;
  let progress: Progress = NO_PROGRESS;
  try {
    if (o.progress) progress = o.progress({ label: 'reading history', total: await dayFilesBytes(o.eventsDir, history.fromMs, readToMs) });
    for await (const batch of readEventBatches(o.eventsDir, { fromMs: history.fromMs, toMs: readToMs, types: FORECAST_EVENT_TYPES, onProgress: (n) => progress.update(n) })) {
      for (const ev of batch) fold.add(ev);
    }
  } finally {
    progress.stop();
  }
  const forecast = fold.result();
  if (forecast.totalCalls === 0) o.warn(`hotline plan: no calls in the history ${o.zone.format(history.fromMs)} – ${o.zone.format(history.toMs)}; every interval forecasts 0`);
  const targets = withPatience(o, forecast);
  const bucketer = new Bucketer({ kind: 'minutes', minutes: o.intervalMinutes }, o.zone);
  const intervals: PlanInterval[] = [];
  for (const start of bucketer.starts(period.fromMs, period.toMs)) {
    const t = o.zone.local(start);
    const slot = forecast.slot(t.weekday, Math.floor((t.hour * 60 + t.minute) / o.intervalMinutes));
    intervals.push(planInterval({ start: o.zone.format(start), calls: slot.calls, ahtSec: slot.ahtSec, intervalMinutes: o.intervalMinutes }, targets));
  }
  return {
    ...header(o, targets),
    forecast: {
      source: 'history',
      from: o.zone.format(history.fromMs),
      to: o.zone.format(history.toMs),
      calls: forecast.totalCalls,
      meanAhtSec: forecast.meanAhtSec === null ? null : Math.round(forecast.meanAhtSec * 10) / 10,
      queues: o.queues ?? null,
    },
    period: { from: o.zone.format(period.fromMs), to: o.zone.format(period.toMs) },
    intervals,
  };
}

/** Patience: the option, else the history's estimate (when someone abandoned), else none (no Erlang A). */
function withPatience(o: PlanOptions, forecast: WeekForecast | undefined): PlanTargets & { patienceSource: PlanReport['patienceSource'] } {
  if (o.patienceGiven) return { ...o.targets, patienceSource: 'option' };
  const estimated = forecast?.patienceSec ?? null;
  if (estimated !== null && estimated > 0) return { ...o.targets, patienceSec: Math.round(estimated * 10) / 10, patienceSource: 'history' };
  const { patienceSec: _none, ...rest } = o.targets;
  return { ...rest, patienceSource: null };
}

function header(o: PlanOptions, t: PlanTargets & { patienceSource: PlanReport['patienceSource'] }): Omit<PlanReport, 'forecast' | 'intervals' | 'period'> {
  return {
    timeZone: o.zone.name,
    interval: `${o.intervalMinutes}m`,
    targetServiceLevel: t.targetServiceLevel,
    slThresholdSec: t.slThresholdSec,
    maxAbandon: t.maxAbandon ?? null,
    patienceSec: t.patienceSec ?? null,
    patienceSource: t.patienceSource,
    shrinkage: t.shrinkage,
  };
}

async function planFromVolumes(o: PlanOptions, file: string): Promise<PlanReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  const rows = parseCsv(text);
  const head = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (...names: string[]): number => head.findIndex((h) => names.includes(h));
  const [iStart, iCalls, iAht] = [col('start'), col('calls'), col('aht_sec', 'ahtsec', 'aht')];
  if (iStart < 0 || iCalls < 0 || iAht < 0) throw new RangeError(`${file}: the first line must name the columns start,calls,aht_sec (got "${(rows[0] ?? []).join(',')}")`);
  const targets = withPatience(o, undefined);
  const inputs: PlanInput[] = rows.slice(1).map((r, i) => {
    const where = `${file}:${i + 2}`;
    const span = parseSpan(r[iStart] ?? '', o.zone, 0);
    if (span.kind !== 'instant') throw new RangeError(`${where}: start "${r[iStart] ?? ''}" must be a date and time (2024-05-13T09:00)`);
    const calls = Number(r[iCalls]);
    const ahtSec = Number(r[iAht]);
    if (!Number.isFinite(calls) || calls < 0) throw new RangeError(`${where}: calls "${r[iCalls] ?? ''}" must be a number ≥ 0`);
    if (!Number.isFinite(ahtSec) || ahtSec <= 0) throw new RangeError(`${where}: aht_sec "${r[iAht] ?? ''}" must be a number > 0`);
    return { start: o.zone.format(span.startMs), calls, ahtSec, intervalMinutes: o.intervalMinutes };
  });
  return { ...header(o, targets), forecast: { source: 'volumes', file }, intervals: inputs.map((input) => planInterval(input, targets)) };
}

export function formatPlan(r: PlanReport): string {
  const pct = (x: number | null): string => (x === null ? '-' : (x * 100).toFixed(2));
  const patience =
    r.patienceSec === null ? 'no Erlang A (no patience given or estimable)' : `Erlang A patience ${r.patienceSec} s (${r.patienceSource === 'history' ? 'estimated from the history' : 'given'})`;
  const source =
    r.forecast.source === 'history'
      ? `Forecast: weekday × ${r.interval} means of the history ${r.forecast.from} – ${r.forecast.to} (${r.forecast.calls} calls${r.forecast.meanAhtSec === null ? '' : `, mean AHT ${r.forecast.meanAhtSec} s`})`
      : `Forecast: ${r.forecast.file}`;
  const shown = r.intervals.filter((i) => i.forecastCalls > 0);
  const head = ['START', 'CALLS', 'AHT (s)', 'ERLANG C', 'ERLANG A', 'SL (%)', 'ABANDON (%)', 'SCHEDULED'];
  const cells = shown.map((i) => [
    i.start.slice(0, 16).replace('T', ' '),
    i.forecastCalls.toFixed(2),
    i.ahtSec === null ? '-' : i.ahtSec.toFixed(1),
    String(i.agentsErlangC ?? '-'),
    String(i.agentsErlangA ?? '-'),
    pct(i.expectedServiceLevel),
    pct(i.expectedAbandon),
    String(i.scheduledAgents ?? '-'),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...cells.map((row) => (row[c] ?? '').length)));
  const line = (v: string[]): string => v.map((x, c) => (c === 0 ? x.padEnd(widths[c] ?? 0) : x.padStart(widths[c] ?? 0))).join('  ');
  return [
    `Staffing plan${r.period ? ` for ${r.period.from} – ${r.period.to}` : ''} (${r.timeZone}, ${r.interval} intervals)`,
    `Target: ${(r.targetServiceLevel * 100).toFixed(0)} % of offered calls answered within ${r.slThresholdSec} s${r.maxAbandon === null ? '' : `, abandons ≤ ${(r.maxAbandon * 100).toFixed(1)} %`}; ${patience}; shrinkage ${(r.shrinkage * 100).toFixed(0)} %`,
    source,
    'SL and ABANDON are expected at the recommended staffing (Erlang A when patience is known, else Erlang C); SCHEDULED = that ÷ (1 − shrinkage)',
    '',
    line(head),
    ...cells.map(line),
    ...(shown.length < r.intervals.length ? ['', `${r.intervals.length - shown.length} interval(s) with no forecast calls not shown (--json lists every interval)`] : []),
  ].join('\n');
}
