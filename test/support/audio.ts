/** Audio checks with sox (Debian package), on real recordings. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface AudioStats {
  lengthSec: number;
  rmsAmplitude: number;
  roughFrequencyHz: number;
}

/** `sox FILE -n stat`: length, RMS amplitude and the zero-crossing frequency estimate. */
export async function audioStats(file: string, trim?: { startSec: number }): Promise<AudioStats> {
  const args = [file, '-n', ...(trim ? ['trim', String(trim.startSec)] : []), 'stat'];
  const { stderr } = await run('sox', args);
  const num = (label: string): number => {
    const m = new RegExp(`^${label}:\\s+(-?[0-9.]+)`, 'm').exec(stderr);
    return m ? Number(m[1]) : Number.NaN;
  };
  return { lengthSec: num('Length \\(seconds\\)'), rmsAmplitude: num('RMS\\s+amplitude'), roughFrequencyHz: num('Rough\\s+frequency') };
}

/** A sine tone as an 8 kHz mono 16-bit WAV. */
export async function makeTone(file: string, hz: number, seconds: number): Promise<void> {
  await run('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', file, 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5']);
}
