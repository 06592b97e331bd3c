/**
 * Commander wiring of the reporting and planning commands (report, export/import queue-log, erlang, plan).
 * Each action only turns option strings into values and calls a run function that tests call directly.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { dataDirFrom } from '../config/load-config.js';
import { parseInterval } from '../domain/metrics/intervals.js';
import { resolveRange } from '../domain/metrics/periods.js';
import { DEFAULT_TIME_ZONE, TimeZone } from '../domain/metrics/time-zone.js';
import { runErlang } from './erlang-command.js';
import { collectList, parseCount, parseNonNegative, parsePositive, parseSeconds, parseShare } from './options.js';
import { runPlan } from './plan-command.js';
import { startProgress } from './progress.js';
import { runExportQueueLog, runImportQueueLog } from './queue-log-command.js';
import { processIo, reportCommand, type ReportCliOptions } from './report-cli.js';
import { SL_FORMULAS } from '../domain/metrics/service-level.js';

const tzOption = (): Option => new Option('--tz <zone>', 'IANA time zone of days, weeks and intervals').default(DEFAULT_TIME_ZONE);
const WHEN = 'ISO 8601 (2024-05-01, 2024-05, 2024-05-01T08:00) or today, yesterday, this-week, last-week, this-month, last-month';

export function registerReportingCommands(program: Command): void {
  program
    .command('report')
    .description('service level, abandon rate, ASA, AHT, FCR, CSAT … per queue, agent or skill and interval, from the event log')
    .option('--from <when>', `start of the period, inclusive: ${WHEN}`)
    .option('--to <when>', 'end of the period: an instant is exclusive, a day or period is included whole')
    .addOption(tzOption())
    .option('--queue <ids>', 'only these queues (comma-separated, repeatable)', collectList)
    .addOption(new Option('--by <dimension>', 'one row per').choices(['queue', 'agent', 'skill']).default('queue'))
    .option('--interval <size>', 'a row per interval: 15m, 30m, 60m, day, week, month')
    .option('--sl-threshold-sec <sec>', 'service-level threshold T in seconds', parseSeconds, 20)
    .addOption(new Option('--sl-formula <name>', 'service-level formula').choices(Object.keys(SL_FORMULAS)).default('offered'))
    .option('--short-abandon-sec <sec>', 'abandons within this many seconds leave offered and abandoned (0 = off)', parseSeconds, 0)
    .option('--fcr-window-hours <hours>', 'a repeat call from the same number within this window is not a first-call resolution', parsePositive, 24)
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'csv']).default('table'))
    .option('--json', 'same as --format json')
    .option('--svg <dir>', 'also write SVG charts (offered/answered, SL, abandon rate, ASA) into this directory')
    .option('--sl-target-pct <pct>', 'service-level target line of the SL chart', parseNonNegative, 80)
    .option('--abandon-target-pct <pct>', 'target line of the abandon-rate chart', parseNonNegative, 5)
    .action(async (opts: ReportCliOptions) => {
      process.exitCode = await reportCommand(opts);
    });

  const exportCmd = program.command('export').description('write the event log in another format');
  exportCmd
    .command('queue-log')
    .description("write the event log as Asterisk's queue_log (epoch|callid|queue|agent|EVENT|data…) to stdout")
    .option('--from <when>', `start, inclusive: ${WHEN}`)
    .option('--to <when>', 'end: an instant is exclusive, a day or period is included whole')
    .addOption(tzOption())
    .action(async (opts: { from?: string; to?: string; tz: string }) => {
      const io = processIo();
      let range: { fromMs?: number; toMs?: number };
      try {
        range = resolveRange(opts.from, opts.to, TimeZone.of(opts.tz), io.nowMs);
      } catch (err) {
        io.err(`hotline export queue-log: ${(err as Error).message}`);
        process.exitCode = 2;
        return;
      }
      process.exitCode = await runExportQueueLog({
        eventsDir: path.join(dataDirFrom(io.env, io.cwd), 'events'),
        ...range,
        write: writeStdout,
        warn: io.err,
        ...(io.stderrIsTty && process.stdout.isTTY !== true ? { progress: startProgress } : {}),
      });
    });

  const importCmd = program.command('import').description('add another system’s history to the event log');
  importCmd
    .command('queue-log <file>')
    .description("read Asterisk's queue_log into the event log (events marked imported), for reports and the planner")
    .option('--force', 'also write into days that already have events')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string, opts: { force?: boolean; json?: boolean }) => {
      const io = processIo();
      process.exitCode = await runImportQueueLog({
        file: path.resolve(io.cwd, file),
        eventsDir: path.join(dataDirFrom(io.env, io.cwd), 'events'),
        force: opts.force === true,
        json: opts.json === true,
        out: io.out,
        warn: io.err,
        ...(io.stderrIsTty && opts.json !== true ? { progress: startProgress } : {}),
      });
    });

  program
    .command('erlang')
    .description('service level, ASA, occupancy (and abandons with --patience-sec) of a staffing, by Erlang C or A')
    .requiredOption('--arrival-per-hour <calls>', 'calls offered per hour', parseNonNegative)
    .requiredOption('--aht-sec <sec>', 'average handle time (talk + wrap-up), seconds', parsePositive)
    .requiredOption('--agents <n>', 'agents on the phones', parseCount)
    .option('--sl-threshold-sec <sec>', 'service-level threshold in seconds', parseSeconds, 20)
    .option('--patience-sec <sec>', 'mean caller patience: Erlang A instead of Erlang C', parsePositive)
    .option('--json', 'print JSON')
    .action((opts: { arrivalPerHour: number; ahtSec: number; agents: number; slThresholdSec: number; patienceSec?: number; json?: boolean }) => {
      const io = processIo();
      process.exitCode = runErlang({ ...opts, json: opts.json === true, out: io.out, warn: io.err });
    });

  program
    .command('plan')
    .description('agents needed per interval (Erlang C and A) from a forecast of the history, or from a volumes CSV')
    .requiredOption('--target-sl <share>', 'share of offered calls to answer within the threshold (0.8 or 80%)', parseShare)
    .option('--sl-threshold-sec <sec>', 'service-level threshold in seconds', parseSeconds, 20)
    .option('--max-abandon <share>', 'Erlang A: keep abandons at or under this share', parseShare)
    .option('--patience-sec <sec>', 'mean caller patience for Erlang A (default: estimated from the history)', parsePositive)
    .option('--shrinkage <share>', 'share of paid time off the phones (breaks, meetings, absence)', parseShare, 0.3)
    .option('--history <from..to>', 'forecast from the event log over this range (default: the last 4 whole weeks)')
    .option('--volumes <file>', 'take calls and AHT per interval from a CSV (start,calls,aht_sec)')
    .option('--for <period>', 'the period to plan, from the history forecast', 'next-week')
    .option('--interval <size>', 'interval: 15m, 30m or 60m', '30m')
    .option('--queue <ids>', 'forecast only these queues (comma-separated, repeatable)', collectList)
    .addOption(tzOption())
    .option('--json', 'print JSON')
    .action(async (opts: PlanCliOptions) => {
      const io = processIo();
      process.exitCode = await planAction(opts, io);
    });
}

interface PlanCliOptions {
  targetSl: number;
  slThresholdSec: number;
  maxAbandon?: number;
  patienceSec?: number;
  shrinkage: number;
  history?: string;
  volumes?: string;
  for: string;
  interval: string;
  queue?: string[];
  tz: string;
  json?: boolean;
}

async function planAction(opts: PlanCliOptions, io: ReturnType<typeof processIo>): Promise<number> {
  let zone: TimeZone;
  let intervalMinutes: number;
  let history: { fromMs: number; toMs: number } | undefined;
  let period: { fromMs: number; toMs: number } | undefined;
  try {
    zone = TimeZone.of(opts.tz);
    const spec = parseInterval(opts.interval);
    if (spec.kind !== 'minutes') throw new RangeError('--interval must be 15m, 30m or 60m for a staffing plan');
    intervalMinutes = spec.minutes;
    if (opts.history !== undefined && opts.volumes !== undefined) throw new RangeError('give --history or --volumes, not both');
    if (!(opts.targetSl > 0 && opts.targetSl < 1)) throw new RangeError('--target-sl must be between 0 and 1 (e.g. 0.8)');
    if (opts.shrinkage >= 1) throw new RangeError('--shrinkage must be below 1 (e.g. 0.3)');
    if (opts.volumes === undefined) {
      history = historyRange(opts.history, zone, io.nowMs);
      const p = resolveRange(opts.for, undefined, zone, io.nowMs);
      if (p.fromMs === undefined || p.toMs === undefined) throw new RangeError(`--for "${opts.for}" must be a day, a month or a named period (next-week, this-month …)`);
      period = { fromMs: p.fromMs, toMs: p.toMs };
    }
  } catch (err) {
    io.err(`hotline plan: ${(err as Error).message}`);
    return 2;
  }
  return runPlan({
    targets: {
      targetServiceLevel: opts.targetSl,
      slThresholdSec: opts.slThresholdSec,
      shrinkage: opts.shrinkage,
      ...(opts.maxAbandon !== undefined ? { maxAbandon: opts.maxAbandon } : {}),
      ...(opts.patienceSec !== undefined ? { patienceSec: opts.patienceSec } : {}),
    },
    intervalMinutes,
    zone,
    ...(history ? { history } : {}),
    ...(period ? { period } : {}),
    ...(opts.volumes !== undefined ? { volumesFile: path.resolve(io.cwd, opts.volumes) } : {}),
    patienceGiven: opts.patienceSec !== undefined,
    ...(opts.queue && opts.queue.length > 0 ? { queues: opts.queue } : {}),
    eventsDir: path.join(dataDirFrom(io.env, io.cwd), 'events'),
    json: opts.json === true,
    out: io.out,
    warn: io.err,
    ...(io.stderrIsTty && opts.json !== true ? { progress: startProgress } : {}),
  });
}

/** `<from>..<to>` (either side any --from/--to value), or by default the four whole weeks before this one. */
export function historyRange(text: string | undefined, zone: TimeZone, nowMs: number): { fromMs: number; toMs: number } {
  if (text === undefined) {
    const thisWeek = resolveRange('this-week', undefined, zone, nowMs);
    const start = thisWeek.fromMs ?? nowMs;
    const t = zone.local(start);
    return { fromMs: zone.instant(t.year, t.month, t.day - 28), toMs: start };
  }
  const [from, to, ...rest] = text.split('..');
  if (from === undefined || to === undefined || rest.length > 0 || from === '' || to === '') {
    throw new RangeError(`--history "${text}" must be <from>..<to>, e.g. 2024-04-01..2024-04-28 or last-month..last-month`);
  }
  const r = resolveRange(from, to, zone, nowMs);
  if (r.fromMs === undefined || r.toMs === undefined) throw new RangeError(`--history "${text}" is not a range`);
  return { fromMs: r.fromMs, toMs: r.toMs };
}

/** Writes to stdout, waiting for it to drain when its buffer is full (exporting months to a pipe). */
function writeStdout(text: string): Promise<void> | void {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}
