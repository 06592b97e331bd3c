/**
 * Admission control for new INVITEs (pure: every input is a parameter, time included).
 *
 * Measured elsewhere (docs/production.md, FIELD-NOTES): drachtio-server + FreeSWITCH with a minimal app held
 * 55–60 calls/s and then collapsed — FreeSWITCH starved the Node app and drachtio, event-socket connections
 * timed out, admitted calls failed half way. So a call is admitted only while everything it will need later is
 * there: a setup slot, channels for the caller and the agent, FreeSWITCH's session rate and CPU, and a Node
 * event loop that still answers on time. Excess INVITEs get 503 with a Retry-After (RFC 3261 §21.5.4, §20.33).
 */

export interface AdmissionLimits {
  /** INVITEs admitted and not yet answered (or ended) at once. */
  maxCallsInSetup: number;
  /** Channels this app may hold on the media server. */
  maxChannels: number;
  /** Refuse while FreeSWITCH reports less idle CPU (percent). */
  minIdleCpuPct: number;
  /** Share of FreeSWITCH's sessions-per-second limit new calls may use. */
  sessionsPerSecondShare: number;
  /** Refuse while the event loop has recently been late by more than this. */
  maxEventLoopDelayMs: number;
}

/** FreeSWITCH's own view of its load, from the `status` API (see fs-messages.ts). */
export interface FsLoad {
  sessions: number;
  maxSessions: number;
  /** The sessions-per-second limit (switch.conf.xml sessions-per-second; 30 by default). */
  sessionsPerSecondMax: number;
  idleCpuPct: number;
  sampledAtMs: number;
}

export interface AdmissionInput {
  nowMs: number;
  mediaServerUp: boolean;
  callsInSetup: number;
  /** Channels open or being opened by this app. */
  channels: number;
  /** Admitted calls that may still open an agent channel (answered inbound calls not bridged yet). */
  callsWithoutAgentChannel: number;
  /** Channels this app opened in the last second. */
  channelsOpenedLastSecond: number;
  fsLoad?: FsLoad;
  eventLoopDelayMs?: number;
}

export type AdmissionReason =
  | 'media-server-down'
  | 'setup-cap'
  | 'channel-cap'
  | 'media-server-sessions'
  | 'media-server-rate'
  | 'media-server-cpu'
  | 'event-loop';

export type AdmissionDecision =
  | { admit: true }
  | { admit: false; reason: AdmissionReason; retryAfterSec: number; detail: string };

/** How long a FreeSWITCH load sample is trusted. */
export const FS_LOAD_MAX_AGE_MS = 10_000;

/** Seconds to suggest in Retry-After, by cause: short for momentary peaks, longer for full capacity. */
export const RETRY_AFTER_SEC: Readonly<Record<AdmissionReason, number>> = Object.freeze({
  'media-server-down': 5,
  'setup-cap': 2,
  'channel-cap': 10,
  'media-server-sessions': 10,
  'media-server-rate': 1,
  'media-server-cpu': 5,
  'event-loop': 2,
});

const refuse = (reason: AdmissionReason, detail: string): AdmissionDecision => ({
  admit: false,
  reason,
  retryAfterSec: RETRY_AFTER_SEC[reason],
  detail,
});

/** Channels one new call needs: its own, and one for the agent it will be bridged to. */
const CHANNELS_PER_CALL = 2;

export function decideAdmission(limits: AdmissionLimits, input: AdmissionInput): AdmissionDecision {
  if (!input.mediaServerUp) return refuse('media-server-down', 'no connection to FreeSWITCH');
  if (input.callsInSetup >= limits.maxCallsInSetup) {
    return refuse('setup-cap', `${input.callsInSetup} calls in setup (limit ${limits.maxCallsInSetup})`);
  }
  // Admitted calls keep a claim on their agent channel, so a burst cannot starve calls already in the queue.
  const committed = input.channels + input.callsWithoutAgentChannel + CHANNELS_PER_CALL;
  if (committed > limits.maxChannels) {
    return refuse('channel-cap', `${committed} channels needed with this call (limit ${limits.maxChannels})`);
  }
  if (input.eventLoopDelayMs !== undefined && input.eventLoopDelayMs > limits.maxEventLoopDelayMs) {
    return refuse('event-loop', `event loop late by ${Math.round(input.eventLoopDelayMs)} ms (limit ${limits.maxEventLoopDelayMs} ms)`);
  }
  const load = input.fsLoad;
  if (load !== undefined && input.nowMs - load.sampledAtMs <= FS_LOAD_MAX_AGE_MS) {
    if (load.maxSessions > 0 && load.sessions + CHANNELS_PER_CALL > load.maxSessions) {
      return refuse('media-server-sessions', `FreeSWITCH has ${load.sessions} of ${load.maxSessions} sessions`);
    }
    if (load.idleCpuPct < limits.minIdleCpuPct) {
      return refuse('media-server-cpu', `FreeSWITCH idle CPU ${load.idleCpuPct.toFixed(1)} % (minimum ${limits.minIdleCpuPct} %)`);
    }
    if (load.sessionsPerSecondMax > 0) {
      const budget = Math.floor(load.sessionsPerSecondMax * limits.sessionsPerSecondShare);
      if (input.channelsOpenedLastSecond + CHANNELS_PER_CALL > budget) {
        return refuse('media-server-rate', `${input.channelsOpenedLastSecond} channels opened in the last second (budget ${budget} of FreeSWITCH's ${load.sessionsPerSecondMax}/s)`);
      }
    }
  }
  return { admit: true };
}

/** Counts events in the last `windowMs` (channel creations per second). Time is given, never read. */
export class SlidingWindowCounter {
  private readonly stamps: number[] = [];

  constructor(private readonly windowMs = 1000) {}

  record(nowMs: number): void {
    this.stamps.push(nowMs);
    this.prune(nowMs);
  }

  count(nowMs: number): number {
    this.prune(nowMs);
    return this.stamps.length;
  }

  private prune(nowMs: number): void {
    const oldest = nowMs - this.windowMs;
    let drop = 0;
    while (drop < this.stamps.length && this.stamps[drop]! <= oldest) drop += 1;
    if (drop > 0) this.stamps.splice(0, drop);
  }
}
