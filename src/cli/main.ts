#!/usr/bin/env node
/** The `hotline` command. Each subcommand lives in its own module; this file only wires commander. */
import { Command, InvalidArgumentError } from 'commander';
import { serveCommand } from './serve-command.js';
import { reportCommand } from './report-cli.js';
import { simulateCommand, type SimulateOptions } from './simulate-command.js';

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds ≥ 0');
  return n;
}

const program = new Command()
  .name('hotline')
  .description('Open-source contact-center engine: YAML IVR, skill-based ACD and call-center reports on real SIP')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the hotline (SIP, media, ACD, HTTP API) with config/ and ivr-flows/')
  .action(async () => {
    process.exitCode = await serveCommand();
  });

program
  .command('report')
  .description('service level, abandon rate, ASA, AHT and ring-to-answer per queue, from the event log')
  .option('--from <iso>', 'start of the period (ISO 8601), inclusive')
  .option('--to <iso>', 'end of the period (ISO 8601), exclusive')
  .option('--sl-threshold-sec <sec>', 'service-level threshold in seconds', parseSeconds, 20)
  .option('--json', 'print JSON instead of a table')
  .action(async (opts: { from?: string; to?: string; slThresholdSec: number; json?: boolean }) => {
    process.exitCode = await reportCommand(opts);
  });

const positive = (what: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`must be ${what} > 0`);
  return n;
};
const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
};

program
  .command('simulate')
  .description('discrete-event simulation of the ACD (the real router and queue rules on a simulated clock): SL, abandons, ASA, occupancy with 95 % intervals')
  .option('--config <file>', 'model file: several queues (as in hotline.yaml), agents with skills and shifts, traffic')
  .option('--agents <n>', 'agents in the single queue', count)
  .option('--arrival-per-hour <n>', 'Poisson arrivals per hour', positive('a rate'))
  .option('--aht-sec <sec>', 'mean talk time in seconds', positive('a number of seconds'))
  .option('--patience-sec <sec>', 'mean (exponential) caller patience; default: callers never hang up', positive('a number of seconds'))
  .option('--wrapup-sec <sec>', 'wrap-up after each call', parseSeconds, 0)
  .option('--handle-time <dist>', 'talk time distribution: exponential or lognormal', (v: string) => {
    if (v !== 'exponential' && v !== 'lognormal') throw new InvalidArgumentError('exponential or lognormal');
    return v;
  }, 'exponential')
  .option('--handle-sd-sec <sec>', 'lognormal talk time: standard deviation (default: the mean)', positive('a number of seconds'))
  .option('--sl-threshold-sec <sec>', 'service-level threshold in seconds', parseSeconds, 20)
  .option('--hours <h>', 'measured hours per replication', positive('a number of hours'), 8)
  .option('--warmup-hours <h>', 'hours simulated before measuring', parseSeconds, 1)
  .option('--replications <n>', 'independent replications', count, 30)
  .option('--seed <n>', 'random seed', (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
    return n;
  }, 1)
  .option('--json', 'print one JSON object instead of a table')
  .action(async (opts: SimulateOptions) => {
    process.exitCode = await simulateCommand(opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
