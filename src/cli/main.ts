#!/usr/bin/env node
/** The `hotline` command. Each subcommand lives in its own module; this file only wires commander. */
import { Command } from 'commander';
import { registerReportingCommands } from './commands.js';

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

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hotline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
