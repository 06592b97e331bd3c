/**
 * Why the media clock uses absolute deadlines: over the same wall time, count the 20 ms frames that
 * setInterval(20) delivers against the engine's MediaClock (start + n × 20 ms). A sender that falls behind
 * plays prompts slowly and starves the far end's jitter buffer.
 */
import { performance } from 'node:perf_hooks';
import { MediaClock } from '../adapters/telephony/builtin/media/pacer.js';

export interface PacingResult {
  seconds: number;
  expectedFrames: number;
  setIntervalFrames: number;
  setIntervalDriftPct: number;
  mediaClockFrames: number;
  mediaClockDriftPct: number;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

export async function pacingBench(opts: { json: boolean; args: string[] }): Promise<PacingResult> {
  const secArg = opts.args.find((a) => a.startsWith('--seconds='));
  const seconds = secArg ? Number(secArg.split('=')[1]) : 20;
  const expected = (seconds * 1000) / 20;

  let intervalFrames = 0;
  const t0 = performance.now();
  const interval = setInterval(() => (intervalFrames += 1), 20);
  let clockFrames = 0;
  const clock = new MediaClock(() => (clockFrames += 1));
  clock.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(interval);
  clock.stop();
  const elapsedMs = performance.now() - t0;
  const due = elapsedMs / 20;
  const result: PacingResult = {
    seconds: round3(elapsedMs / 1000),
    expectedFrames: Math.round(due),
    setIntervalFrames: intervalFrames,
    setIntervalDriftPct: round3(((intervalFrames - due) / due) * 100),
    mediaClockFrames: clockFrames,
    mediaClockDriftPct: round3(((clockFrames - due) / due) * 100),
  };
  if (!opts.json) {
    process.stdout.write(
      `over ${result.seconds} s (${expected} frames due): setInterval(20) sent ${intervalFrames} (${result.setIntervalDriftPct} %), ` +
        `the media clock ${clockFrames} (${result.mediaClockDriftPct} %)\n`,
    );
  }
  return result;
}
