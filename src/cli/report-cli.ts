/** `hotline report`: turns command-line values into report options, then the report module streams the log. */
import path from 'node:path';
import { dataDirFrom, loadConfig, type Env } from '../config/load-config.js';
import { parseInterval } from '../domain/metrics/intervals.js';
import { resolveRange } from '../domain/metrics/periods.js';
import { isSlFormula, SL_FORMULAS } from '../domain/metrics/service-level.js';
import { TimeZone } from '../domain/metrics/time-zone.js';
import { oneOf } from './options.js';
import { startProgress } from './progress.js';
import { REPORT_EXIT, runReport, type ReportFormat, type RunReportOptions } from './report-command.js';

/** Option values as commander hands them over (defaults applied). */
export interface ReportCliOptions {
  from?: string;
  to?: string;
  tz: string;
  queue?: string[];
  by: string;
  interval?: string;
  slThresholdSec: number;
  slFormula: string;
  shortAbandonSec: number;
  fcrWindowHours: number;
  format: string;
  json?: boolean;
  svg?: string;
  slTargetPct: number;
  abandonTargetPct: number;
}

export interface CliIo {
  env: Env;
  cwd: string;
  nowMs: number;
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal (progress bars). */
  stderrIsTty: boolean;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    cwd: process.cwd(),
    nowMs: Date.now(),
    out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    stderrIsTty: process.stderr.isTTY === true,
  };
}

/** Checks the options; returns the report's exit code (2 on a bad option, with the reason on stderr). */
export async function reportCommand(opts: ReportCliOptions, io: CliIo = processIo()): Promise<number> {
  let run: Omit<RunReportOptions, 'out' | 'warn'>;
  try {
    run = await toRunOptions(opts, io);
  } catch (err) {
    io.err(`hotline report: ${(err as Error).message}`);
    return REPORT_EXIT.badOptions;
  }
  // A bar only for people: on a terminal, never with JSON output.
  const progress = run.format !== 'json' && io.stderrIsTty ? startProgress : undefined;
  return runReport({ ...run, out: io.out, warn: io.err, ...(progress ? { progress } : {}) });
}

async function toRunOptions(opts: ReportCliOptions, io: CliIo): Promise<Omit<RunReportOptions, 'out' | 'warn'>> {
  const zone = TimeZone.of(opts.tz);
  const { fromMs, toMs } = resolveRange(opts.from, opts.to, zone, io.nowMs);
  const by = oneOf('--by', opts.by, ['queue', 'agent', 'skill'] as const);
  const format: ReportFormat = opts.json ? 'json' : oneOf('--format', opts.format, ['table', 'json', 'csv'] as const);
  if (!isSlFormula(opts.slFormula)) throw new RangeError(`--sl-formula must be one of ${Object.keys(SL_FORMULAS).join(', ')}, got "${opts.slFormula}"`);
  const dataDir = dataDirFrom(io.env, io.cwd);
  return {
    eventsDir: path.join(dataDir, 'events'),
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
    nowMs: io.nowMs,
    slThresholdSec: opts.slThresholdSec,
    slFormula: opts.slFormula,
    shortAbandonSec: opts.shortAbandonSec,
    by,
    ...(opts.interval !== undefined ? { interval: parseInterval(opts.interval) } : {}),
    timeZone: zone.name,
    ...(opts.queue && opts.queue.length > 0 ? { queues: opts.queue } : {}),
    fcrWindowHours: opts.fcrWindowHours,
    ...(by === 'skill' ? { queueSkills: await configuredQueueSkills(io) } : {}),
    format,
    ...(opts.svg !== undefined ? { svgDir: path.resolve(io.cwd, opts.svg) } : {}),
    slTargetPct: opts.slTargetPct,
    abandonTargetPct: opts.abandonTargetPct,
  };
}

/**
 * Skills of each configured queue (config/hotline.yaml), for calls whose queue.joined does not name them.
 * A report must work without a valid configuration (e.g. on an archive), so a failure only warns.
 */
async function configuredQueueSkills(io: CliIo): Promise<ReadonlyMap<string, readonly string[]>> {
  try {
    const config = await loadConfig(io.env, io.cwd);
    return new Map([...config.queues].map(([id, q]) => [id, q.requiredSkills]));
  } catch (err) {
    io.err(`hotline report: queue skills not read from the configuration (${(err as Error).message.split('\n')[0] ?? ''}); calls without skills in their events show as "(none)"`);
    return new Map();
  }
}
