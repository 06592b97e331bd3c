#!/usr/bin/env node
/** The `hotline` command. Each subcommand lives in its own module; this file only wires commander. */
import { Command, InvalidArgumentError } from 'commander';
import { registerReportingCommands } from './commands.js';
import { runFlowCheck } from './flow-check.js';
import { runFlowTry, terminalAsk, type FlowTryOptions } from './flow-try.js';
import { parseCount, parseNonNegative, parsePositive, parseSeconds } from './options.js';
import { simulateCommand, type SimulateOptions } from './simulate-command.js';

const program = new Command()
  .name('hotline')
  .description('Open-source contact-center engine: YAML IVR, skill-based ACD and call-center reports on real SIP')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the hotline (SIP, media, ACD, HTTP API) with config/ and ivr-flows/')
  .action(async () => {
    // Loaded on demand: report and planning commands start without the SIP engine and media workers.
    const { serveCommand } = await import('./serve-command.js');
    process.exitCode = await serveCommand();
  });

// report, export queue-log, import queue-log, erlang, plan
registerReportingCommands(program);

const flow = program.command('flow').description('check and try IVR flows (ivr-flows/*.yaml)');

flow
  .command('check')
  .description('validate flow files or folders like start-up does; prints every problem as file:line:col: message')
  .argument('[paths...]', 'flow files or folders (default: the flows folder of config/hotline.yaml)')
  .option('--prompts-dir <dir>', 'prompts folder (default: from config/hotline.yaml, else ./prompts)')
  .action(async (paths: string[], opts: { promptsDir?: string }) => {
    const write = (stream: NodeJS.WriteStream) => (line: string) => stream.write(`${line}\n`);
    process.exitCode = await runFlowCheck(paths, { ...opts, env: process.env, cwd: process.cwd(), out: write(process.stdout), err: write(process.stderr) });
  });

flow
  .command('try')
  .description('walk a flow in the terminal without SIP: prompts as text, keys, variables, path and outcome')
  .argument('<flow>', 'a flow file, or a flow id from the flows folder')
  .option('--lang <lang>', 'start in this prompt language (zh, en ...)')
  .option('--caller <number>', 'caller number', '13800138000')
  .option('--dialed <number>', 'dialed number (default: the number mapped to the flow)')
  .option('--at <iso>', 'when the call happens, e.g. 2026-11-23T22:00+08:00 (default: now)')
  .option('--digits <groups>', 'keys typed at each wait, comma-separated, e.g. "1,123456#" (an empty group times out)')
  .option('--http-fixture <file>', 'JSON file of canned HTTP answers instead of real requests')
  .option('--transfer <outcome>', 'what transfers to agents do: connected or failed', 'connected')
  .option('--prompts-dir <dir>', 'prompts folder (default: from config/hotline.yaml, else ./prompts)')
  .option('--flows-dir <dir>', 'where to find a flow given by id (default: from config/hotline.yaml, else ./ivr-flows)')
  .option('--json', 'print the transcript as JSON')
  .action(async (target: string, opts: FlowTryOptions) => {
    const tty = process.stdin.isTTY && opts.digits === undefined && !opts.json ? terminalAsk() : undefined;
    try {
      process.exitCode = await runFlowTry(target, opts, {
        env: process.env,
        cwd: process.cwd(),
        out: (text) => process.stdout.write(`${text}\n`),
        err: (text) => process.stderr.write(`${text}\n`),
        ...(tty ? { ask: tty.ask } : {}),
      });
    } finally {
      tty?.close();
    }
  });

/** A whole number ≥ 1 (agents, replications). */
const parseAtLeastOne = (value: string): number => {
  const n = parseCount(value);
  if (n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
};

program
  .command('simulate')
  .description('discrete-event simulation of the ACD (the real router and queue rules on a simulated clock): SL, abandons, ASA, occupancy with 95 % intervals')
  .option('--config <file>', 'model file: several queues (as in hotline.yaml), agents with skills and shifts, traffic')
  .option('--agents <n>', 'agents in the single queue', parseAtLeastOne)
  .option('--arrival-per-hour <n>', 'Poisson arrivals per hour', parsePositive)
  .option('--aht-sec <sec>', 'mean talk time in seconds', parsePositive)
  .option('--patience-sec <sec>', 'mean (exponential) caller patience; default: callers never hang up', parsePositive)
  .option('--wrapup-sec <sec>', 'wrap-up after each call', parseSeconds, 0)
  .option('--handle-time <dist>', 'talk time distribution: exponential or lognormal', (v: string) => {
    if (v !== 'exponential' && v !== 'lognormal') throw new InvalidArgumentError('exponential or lognormal');
    return v;
  }, 'exponential')
  .option('--handle-sd-sec <sec>', 'lognormal talk time: standard deviation (default: the mean)', parsePositive)
  .option('--sl-threshold-sec <sec>', 'service-level threshold in seconds', parseSeconds, 20)
  .option('--hours <h>', 'measured hours per replication', parsePositive, 8)
  .option('--warmup-hours <h>', 'hours simulated before measuring', parseNonNegative, 1)
  .option('--replications <n>', 'independent replications', parseAtLeastOne, 30)
  .option('--seed <n>', 'random seed', parseCount, 1)
  .option('--json', 'print one JSON object instead of a table')
  .action(async (opts: SimulateOptions) => {
    process.exitCode = await simulateCommand(opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
