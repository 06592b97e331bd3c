/**
 * A progress bar on stderr for long reads (import, reports over months of logs). Shown only when stderr is
 * a terminal and the output is not machine-readable (--json): a bar must never end up in a file or a pipe.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Units done so far (bytes). */
  update(done: number): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

export interface ProgressOptions {
  label: string;
  /** Total units (bytes); 0 or less: nothing to show. */
  total: number;
  /** Default process.stderr. */
  stream?: NodeJS.WriteStream;
}

export function startProgress(opts: ProgressOptions): Progress {
  if (opts.total <= 0) return NO_PROGRESS;
  const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);
  const bar = new cliProgress.SingleBar(
    {
      stream: opts.stream ?? process.stderr,
      format: `${opts.label} [{bar}] {percentage}% | {doneMb}/{totalMb} MB | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(opts.total, 0, { doneMb: mb(0), totalMb: mb(opts.total) });
  return {
    update: (done) => bar.update(Math.min(done, opts.total), { doneMb: mb(done) }),
    stop: () => bar.stop(),
  };
}
