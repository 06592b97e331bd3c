/** What the simulator runs: queues (the real queue configuration), agents with shifts, and traffic. */
import type { QueueConfig } from '../acd/model.js';

export interface HandleTime {
  distribution: 'exponential' | 'lognormal';
  meanSec: number;
  /** Lognormal only: standard deviation in seconds (default: the mean, i.e. a coefficient of variation of 1). */
  sdSec?: number;
}

export interface SimTraffic {
  queueId: string;
  /** Poisson arrivals per hour: one rate, or one per simulated hour (the last repeats). */
  arrivalsPerHour: number | readonly number[];
  /** Talk time (wrap-up is the queue's wrapupSec). */
  handle: HandleTime;
  /** Mean of an exponential patience in seconds; absent: callers never hang up. */
  patienceSec?: number;
  /** caller class → share of this traffic (the rest has no class). */
  callerClasses?: Readonly<Record<string, number>>;
}

export interface SimAgent {
  id: string;
  skills: Record<string, number>;
  groups?: readonly string[];
  /** Logged in during these spans, in hours from the start of the run (warm-up included). Default: always. */
  shifts?: ReadonlyArray<{ fromHour: number; toHour: number }>;
}

export interface SimModel {
  queues: ReadonlyMap<string, QueueConfig>;
  agents: readonly SimAgent[];
  traffic: readonly SimTraffic[];
  /** Measured hours, after the warm-up. */
  hours: number;
  warmupHours: number;
  slThresholdSec: number;
}

/** Call outcomes over calls that arrived in the measured window. */
export interface Counters {
  offered: number;
  answered: number;
  abandoned: number;
  /** Left a queue without an agent for good (hang-up or flow exits; overflow to another queue is not one). */
  exited: number;
  /** Offered calls that found no agent free on arrival. */
  waited: number;
  answeredWithin: number;
  answeredWaitMs: number;
}

/** The figures of one replication: overall, per queue of arrival, and agent time. */
export interface ReplicationResult extends Counters {
  queues: Record<string, Counters>;
  /** Agent time in call work (reserved, ringing, on a call, wrap-up) and staffed (logged in, not not-ready). */
  busyMs: number;
  staffedMs: number;
}

export const zeroCounters = (): Counters => ({ offered: 0, answered: 0, abandoned: 0, exited: 0, waited: 0, answeredWithin: 0, answeredWaitMs: 0 });
