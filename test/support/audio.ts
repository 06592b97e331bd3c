/** Audio checks with sox (Debian package), on real recordings. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AudioStats {
  lengthSec: number;
  rmsAmplitude: number;
  roughFrequencyHz: number;
}

/**
 * `sox FILE -n [trim ...] stat`: length, RMS amplitude and the zero-crossing frequency estimate of a WAV, or of a
 * part of it: the last `lastSec` seconds, or `durationSec` from `fromSec`.
 */
export async function audioStats(file: string, opts: { lastSec?: number; fromSec?: number; durationSec?: number } = {}): Promise<AudioStats> {
  const trim =
    opts.lastSec !== undefined
      ? ['trim', `-${opts.lastSec}`]
      : opts.fromSec !== undefined
        ? ['trim', String(opts.fromSec), ...(opts.durationSec !== undefined ? [String(opts.durationSec)] : [])]
        : [];
  const { stderr } = await run('sox', [file, '-n', ...trim, 'stat']);
  const num = (label: string): number => {
    const m = new RegExp(`^${label}:\\s+(-?[0-9.]+)`, 'm').exec(stderr);
    return m ? Number(m[1]) : Number.NaN;
  };
  return { lengthSec: num('Length \\(seconds\\)'), rmsAmplitude: num('RMS\\s+amplitude'), roughFrequencyHz: num('Rough\\s+frequency') };
}

/** A sine tone as an 8 kHz mono 16-bit WAV (what the prompts and phones use); returns the file. */
export async function makeTone(file: string, hz: number, seconds: number): Promise<string> {
  await run('sox', ['-D', '-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', file, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5']);
  return file;
}
