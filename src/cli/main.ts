#!/usr/bin/env node
/** The `hotline` command. Each subcommand lives in its own module; this file only wires commander. */
import { Command, InvalidArgumentError } from 'commander';
import { serveCommand } from './serve-command.js';
import { reportCommand } from './report-cli.js';

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

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
