/** Runs SIPp (Debian sip-tester) on 127.0.0.1 with a scenario file; resolves with its exit code and logs. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export const SCENARIOS = path.resolve(import.meta.dirname, '../e2e/scenarios');
export const SIPP_SHARE = '/usr/share/sip-tester';

export interface SippRun {
  code: number;
  stdout: string;
  errors: string;
}

export async function runSipp(opts: {
  scenario: string;
  target: string; // host:port
  service?: string; // -s
  args?: string[];
  timeoutSec?: number;
}): Promise<SippRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sipp-'));
  const port = await freePort();
  const mediaPort = await freePort();
  const args = [
    '-sf', path.join(SCENARIOS, opts.scenario),
    '-i', '127.0.0.1',
    '-p', String(port),
    '-mi', '127.0.0.1',
    '-mp', String(mediaPort),
    '-m', '1',
    '-l', '1',
    '-nostdin',
    '-bg', // no screen; exit code tells
    '-timeout', `${opts.timeoutSec ?? 60}s`,
    '-timeout_error',
    '-trace_err',
    '-error_file', path.join(dir, 'errors.log'),
    ...(opts.service ? ['-s', opts.service] : []),
    ...(opts.args ?? []),
    opts.target,
  ];
  // -bg forks; run in the foreground instead and let the exit code speak.
  const fg = args.filter((a) => a !== '-bg');
  return new Promise((resolve) => {
    const child = spawn('sipp', fg, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('close', (code) => {
      void (async () => {
        let errors = '';
        try {
          errors = await readFile(path.join(dir, 'errors.log'), 'utf8');
        } catch {
          const files = await readdir(dir).catch(() => []);
          errors = files.join(',');
        }
        resolve({ code: code ?? -1, stdout: stdout.slice(-4000), errors: errors.slice(-4000) });
      })();
    });
  });
}
