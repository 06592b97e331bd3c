/**
 * Messages between WorkerMediaEngine (main thread) and media-worker (the worker that owns the RTP sockets and the
 * media clock). Requests with an `id` get exactly one `result` with that id; the others are one-way and report
 * problems as `log` messages. postMessage keeps order, so e.g. setRemote followed by play is applied in order.
 */
import type { LocalMedia, MediaPlayOutcome, RemoteMedia } from './media-engine.js';
import type { SerializedMediaError } from './media-errors.js';
import type { LogLevel } from './media-session.js';

export interface MediaWorkerConfig {
  host: string;
  portMin: number;
  portMax: number;
  symmetricRtp: boolean;
  /** How often the worker pushes stats to the main thread. */
  statsIntervalMs: number;
}

export interface MediaWorkerStats {
  sessions: number;
  /** Send lateness (actual send − frame deadline) of paced frames since start, p50 and p99. */
  sendJitterP50Ms: number;
  sendJitterP99Ms: number;
  packetsSent: number;
  packetsReceived: number;
  packetsMalformed: number;
  packetsIgnored: number;
  /** Media-clock ticks skipped after the worker stalled longer than the catch-up window. */
  ticksSkipped: number;
  /** The worker's event-loop time since it started, busy and idle (perf_hooks eventLoopUtilization). */
  workerActiveMs: number;
  workerIdleMs: number;
}

export interface RequestResults {
  create: LocalMedia;
  play: MediaPlayOutcome;
  stopRecording: undefined;
  stats: MediaWorkerStats;
  close: undefined;
}

export type WorkerRequest =
  | { op: 'create'; id: number; sessionId: string }
  | { op: 'play'; id: number; sessionId: string; files: readonly string[]; bargeIn: boolean; loop: boolean }
  | { op: 'stopRecording'; id: number; sessionId: string }
  | { op: 'stats'; id: number; resetJitter?: boolean }
  | { op: 'close'; id: number }
  | { op: 'setRemote'; sessionId: string; remote: RemoteMedia }
  | { op: 'stop'; sessionId: string }
  | { op: 'bridge'; a: string; b: string }
  | { op: 'unbridge'; sessionId: string }
  | { op: 'startRecording'; sessionId: string; file: string }
  | { op: 'destroy'; sessionId: string };

export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: SerializedMediaError }
  | { kind: 'dtmf'; sessionId: string; digit: string }
  | { kind: 'stats'; stats: MediaWorkerStats }
  | { kind: 'log'; level: LogLevel; msg: string; fields: Record<string, unknown> };

/** What the worker receives as workerData. `entryUrl` is only read by the tsx bootstrap (sources, not dist/). */
export interface MediaWorkerData {
  config: MediaWorkerConfig;
  entryUrl?: string;
}
