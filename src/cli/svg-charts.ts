/**
 * `hotline report --svg <dir>`: the charts a supervisor pins on the wall, as plain SVG 1.1 files (no script,
 * no external fonts or styles) that any browser opens: offered vs answered calls, service level against its
 * target, abandon rate against its target, and ASA, one bar per report interval.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Report } from '../domain/metrics/report.js';

export interface ChartTargets {
  slTargetPct: number;
  abandonTargetPct: number;
}

export interface Series {
  name: string;
  color: string;
  values: Array<number | null>;
  /** Colours bars against the target: `good` when it is met, `color` otherwise (legend shows both). */
  meets?: { good: string; test: (v: number) => boolean; goodName: string; badName: string };
}

export interface BarChart {
  title: string;
  subtitle: string;
  yLabel: string;
  /** One label per bar group (interval). */
  labels: string[];
  /** Title of the x axis (what the labels are). */
  xLabel: string;
  series: Series[];
  /** Fixed top of the y axis (e.g. 100 for percentages); default: a round number above the data. */
  yMax?: number;
  /** A dashed horizontal reference line (a target). */
  target?: { value: number; label: string };
}

const WIDTH = 1000;
const HEIGHT = 460;
const MARGIN = { left: 78, right: 28, top: 84, bottom: 92 };
const FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
const COLORS = { offered: '#4e79a7', answered: '#59a14f', sl: '#4e79a7', abandon: '#e15759', asa: '#f28e2b', target: '#c0392b', grid: '#e3e3e3', axis: '#555', text: '#222', muted: '#666' };

/** Writes the four charts; returns the files written. Needs report.intervals (a report with --interval). */
export async function writeReportCharts(report: Report, dir: string, targets: ChartTargets): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, chart] of Object.entries(reportCharts(report, targets))) {
    const file = path.join(dir, name);
    await writeFile(file, renderBarChart(chart), 'utf8');
    written.push(file);
  }
  return written;
}

/** The four charts of a report, by file name. Empty intervals before the first call and after the last are left out. */
export function reportCharts(report: Report, targets: ChartTargets): Record<string, BarChart> {
  const all = report.intervals ?? [];
  const first = all.findIndex((i) => i.offered > 0);
  const last = all.length - 1 - [...all].reverse().findIndex((i) => i.offered > 0);
  const intervals = first === -1 ? all : all.slice(first, last + 1);
  const labels = intervals.map((i) => axisLabel(i.start, report.interval, intervals));
  const range = `${readable(report.from ?? all[0]?.start)} – ${readable(report.to ?? all[all.length - 1]?.end)}`;
  const where = `${report.queue ? `queues ${report.queue.join(', ')}` : 'all queues'} · ${range} (${report.timeZone})`;
  const xLabel = `start of each ${report.interval ?? ''} interval (${report.timeZone})`;
  const slMet = { good: COLORS.answered, test: (v: number) => v >= targets.slTargetPct, goodName: 'meets target', badName: 'below target' };
  const abandonMet = { good: COLORS.answered, test: (v: number) => v <= targets.abandonTargetPct, goodName: 'within target', badName: 'over target' };
  return {
    'offered-answered.svg': {
      title: 'Offered vs answered calls',
      subtitle: where,
      yLabel: 'calls',
      xLabel,
      labels,
      series: [
        { name: 'offered', color: COLORS.offered, values: intervals.map((i) => i.offered) },
        { name: 'answered', color: COLORS.answered, values: intervals.map((i) => i.answered) },
      ],
    },
    'service-level.svg': {
      title: `Service level: ${report.slDefinition}, T = ${report.slThresholdSec} s`,
      subtitle: `${where} · formula "${report.slFormula}"`,
      yLabel: 'service level (%)',
      xLabel,
      labels,
      series: [{ name: 'service level', color: COLORS.abandon, values: intervals.map((i) => i.serviceLevelPct), meets: slMet }],
      yMax: 100,
      target: { value: targets.slTargetPct, label: `target ${targets.slTargetPct} %` },
    },
    'abandon-rate.svg': {
      title: 'Abandon rate: abandoned / offered',
      subtitle: `${where}${report.shortAbandonSec > 0 ? ` · abandons within ${report.shortAbandonSec} s left out` : ''}`,
      yLabel: 'abandon rate (%)',
      xLabel,
      labels,
      series: [{ name: 'abandon rate', color: COLORS.abandon, values: intervals.map((i) => i.abandonRatePct), meets: abandonMet }],
      target: { value: targets.abandonTargetPct, label: `target ${targets.abandonTargetPct} %` },
    },
    'asa.svg': {
      title: 'Average speed of answer (ASA)',
      subtitle: `${where} · mean wait of answered calls`,
      yLabel: 'ASA (s)',
      xLabel,
      labels,
      series: [{ name: 'ASA', color: COLORS.asa, values: intervals.map((i) => i.asaSec) }],
      target: { value: report.slThresholdSec, label: `SL threshold ${report.slThresholdSec} s` },
    },
  };
}

export function renderBarChart(chart: BarChart): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const dataMax = Math.max(0, ...chart.series.flatMap((s) => s.values.map((v) => v ?? 0)), chart.target?.value ?? 0);
  // Headroom above the tallest bar or the target line, so neither runs into the legend.
  const { top, step } = niceScale(chart.yMax ?? dataMax * 1.1);
  const y = (v: number): number => MARGIN.top + plotH - (v / top) * plotH;
  const groups = Math.max(1, chart.labels.length);
  const groupW = plotW / groups;
  const barW = Math.max(1, (groupW * 0.8) / chart.series.length);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}" font-size="12">`,
    `<title>${esc(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="30" font-size="19" font-weight="bold" fill="${COLORS.text}">${esc(chart.title)}</text>`,
    `<text x="${MARGIN.left}" y="52" font-size="12" fill="${COLORS.muted}">${esc(chart.subtitle)}</text>`,
  );
  // Grid lines and y tick labels.
  for (let v = 0; v <= top + 1e-9; v += step) {
    const yy = num(y(v));
    out.push(`<line x1="${MARGIN.left}" y1="${yy}" x2="${WIDTH - MARGIN.right}" y2="${yy}" stroke="${COLORS.grid}"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${num(y(v) + 4)}" text-anchor="end" fill="${COLORS.axis}">${esc(tickLabel(v, step))}</text>`);
  }
  // Bars.
  chart.series.forEach((s, si) => {
    s.values.forEach((v, gi) => {
      if (v === null) return;
      const x = MARGIN.left + gi * groupW + groupW * 0.1 + si * barW;
      const h = Math.max(0, y(0) - y(v));
      const fill = s.meets?.test(v) ? s.meets.good : s.color;
      out.push(`<rect x="${num(x)}" y="${num(y(v))}" width="${num(barW)}" height="${num(h)}" fill="${fill}"><title>${esc(`${chart.labels[gi] ?? ''} ${s.name}: ${v}`)}</title></rect>`);
    });
  });
  if (chart.series.every((s) => s.values.every((v) => v === null))) {
    out.push(`<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle" font-size="16" fill="${COLORS.muted}">no calls in this range</text>`);
  }
  // Target line.
  if (chart.target && chart.target.value <= top) {
    const ty = num(y(chart.target.value));
    out.push(`<line x1="${MARGIN.left}" y1="${ty}" x2="${WIDTH - MARGIN.right}" y2="${ty}" stroke="${COLORS.target}" stroke-width="2" stroke-dasharray="8 5"/>`);
    out.push(`<text x="${WIDTH - MARGIN.right - 4}" y="${num(y(chart.target.value) - 6)}" text-anchor="end" font-weight="bold" fill="${COLORS.target}">${esc(chart.target.label)}</text>`);
  }
  // Axes.
  out.push(`<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${num(y(0))}" stroke="${COLORS.axis}"/>`);
  out.push(`<line x1="${MARGIN.left}" y1="${num(y(0))}" x2="${WIDTH - MARGIN.right}" y2="${num(y(0))}" stroke="${COLORS.axis}"/>`);
  out.push(`<text transform="translate(20 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="${COLORS.axis}">${esc(chart.yLabel)}</text>`);
  // X labels: as many as fit, evenly spaced, rotated when dense.
  const every = Math.max(1, Math.ceil(groups / Math.floor(plotW / 42)));
  const rotate = groups / every > 16;
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle" fill="${COLORS.axis}">${esc(chart.xLabel)}</text>`);
  chart.labels.forEach((label, gi) => {
    if (gi % every !== 0) return;
    const x = num(MARGIN.left + gi * groupW + groupW / 2);
    const ly = num(y(0) + 16);
    out.push(`<line x1="${x}" y1="${num(y(0))}" x2="${x}" y2="${num(y(0) + 4)}" stroke="${COLORS.axis}"/>`);
    out.push(
      rotate
        ? `<text transform="translate(${x} ${ly}) rotate(-45)" text-anchor="end" fill="${COLORS.axis}">${esc(label)}</text>`
        : `<text x="${x}" y="${ly}" text-anchor="middle" fill="${COLORS.axis}">${esc(label)}</text>`,
    );
  });
  // Legend (top right).
  const entries = chart.series.flatMap((s) => (s.meets ? [{ name: s.meets.goodName, color: s.meets.good }, { name: s.meets.badName, color: s.color }] : [{ name: s.name, color: s.color }]));
  let lx = WIDTH - MARGIN.right;
  for (const e of entries.reverse()) {
    const w = 22 + e.name.length * 7;
    lx -= w;
    out.push(`<rect x="${lx}" y="62" width="12" height="12" fill="${e.color}"/>`, `<text x="${lx + 16}" y="72.5" fill="${COLORS.text}">${esc(e.name)}</text>`);
    lx -= 12;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A round axis top and tick step (1, 2, 2.5 or 5 × 10^k) with about five ticks. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const rough = max / 5;
  const mag = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= rough) ?? 10) * mag;
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

function tickLabel(v: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return v.toLocaleString('en', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** The shortest label that tells intervals apart: "09:30" within one day, "05-01 09:30" across days, dates for days. */
function axisLabel(startIso: string, interval: string | undefined, all: Array<{ start: string }>): string {
  if (interval === 'month') return startIso.slice(0, 7);
  if (interval === 'day' || interval === 'week') return startIso.slice(5, 10);
  const oneDay = all.length === 0 || all.every((i) => i.start.slice(0, 10) === all[0]?.start.slice(0, 10));
  return oneDay ? startIso.slice(11, 16) : `${startIso.slice(5, 10)} ${startIso.slice(11, 16)}`;
}

/** "2024-05-06T09:00:00.000+08:00" → "2024-05-06 09:00". */
function readable(iso: string | undefined): string {
  return iso === undefined ? '…' : iso.slice(0, 16).replace('T', ' ');
}

function num(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
