/** `hotline report`: argument checks, then the report module streams the event log. */
import path from 'node:path';
import { dataDirFrom } from '../config/load-config.js';
import { runReport } from './report-command.js';

function parseTime(label: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${label}: "${value}" is not an ISO 8601 date/time (e.g. 2026-11-23T08:00:00+08:00)`);
  return ms;
}

export async function reportCommand(opts: { from?: string; to?: string; slThresholdSec: number; json?: boolean }): Promise<number> {
  let fromMs: number | undefined;
  let toMs: number | undefined;
  try {
    fromMs = parseTime('--from', opts.from);
    toMs = parseTime('--to', opts.to);
  } catch (err) {
    process.stderr.write(`hotline report: ${(err as Error).message}\n`);
    return 2;
  }
  const dataDir = dataDirFrom(process.env, process.cwd());
  return runReport({
    eventsDir: path.join(dataDir, 'events'),
    ...(fromMs !== undefined ? { fromMs } : {}),
    ...(toMs !== undefined ? { toMs } : {}),
    slThresholdSec: opts.slThresholdSec,
    json: opts.json === true,
    out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
    warn: (s) => process.stderr.write(`warning: ${s}\n`),
  });
}
