/**
 * The updates a report fact makes to a row's sums, as functions created once per fold and applied with an
 * argument (no closure allocated per event: a month of logs is tens of millions of facts).
 */
import type { CallAbandoned, CallAnswered } from './events.js';
import type { Dims } from './report-cube.js';
import type { Totals } from './report-totals.js';

/** An answered call whose talk has ended; its wrap-up, once known, completes its handle time. */
export interface Ended {
  dims: Dims;
  talkMs: number;
  endedTs: number;
  wrapupMs: number | undefined;
}

export interface ReportFacts {
  offered(t: Totals): void;
  answered(t: Totals, ev: CallAnswered): void;
  abandoned(t: Totals, ev: CallAbandoned): void;
  shortAbandon(t: Totals): void;
  agentOffer(t: Totals): void;
  abandonedRinging(t: Totals): void;
  rona(t: Totals): void;
  talk(t: Totals, talkMs: number): void;
  /** Handle time = talk + wrap-up (talk alone when the wrap-up never came). */
  handle(t: Totals, e: Ended): void;
  busy(t: Totals, ms: number): void;
  fcr(t: Totals, resolved: boolean): void;
  csat(t: Totals, score: number): void;
}

export function reportFacts(thresholdMs: number): ReportFacts {
  return {
    offered: (t) => {
      t.offered++;
    },
    answered: (t, ev) => {
      t.offered++;
      t.answered++;
      if (ev.waitMs <= thresholdMs) t.answeredWithin++;
      t.answeredWaitMs += ev.waitMs;
      t.answeredRingMs += ev.ringMs;
    },
    abandoned: (t, ev) => {
      t.offered++;
      t.abandoned++;
      if (ev.waitMs <= thresholdMs) t.abandonedWithin++;
    },
    shortAbandon: (t) => {
      t.shortAbandoned++;
    },
    agentOffer: (t) => {
      t.agentOffers++;
    },
    abandonedRinging: (t) => {
      t.abandonedRinging++;
    },
    rona: (t) => {
      t.rona++;
    },
    talk: (t, talkMs) => {
      t.talked++;
      t.talkMs += talkMs;
    },
    handle: (t, e) => {
      t.handled++;
      t.handleMs += e.talkMs + (e.wrapupMs ?? 0);
      if (e.wrapupMs !== undefined) {
        t.wrapups++;
        t.wrapupMs += e.wrapupMs;
      }
    },
    busy: (t, ms) => {
      t.busyMs += ms;
    },
    fcr: (t, resolved) => {
      t.fcrJudged++;
      if (resolved) t.fcrResolved++;
    },
    csat: (t, score) => {
      t.csatCount++;
      t.csatSum += score;
      if (score >= 4) t.csatSatisfied++;
    },
  };
}

/** One shared Dims object per (queue, agent, skills list): facts of a fold allocate none after warm-up. */
export class DimsCache {
  private readonly byQueue = new Map<string, Map<string, Dims>>();

  get(queueId: string, agentId: string | undefined, skills: readonly string[] | undefined): Dims {
    let byAgent = this.byQueue.get(queueId);
    if (!byAgent) {
      byAgent = new Map();
      this.byQueue.set(queueId, byAgent);
    }
    const key = agentId ?? '';
    let d = byAgent.get(key);
    // The skills of a queue may change over a long log: keep the latest list.
    if (!d || d.skills !== skills) {
      d = { queueId, agentId, skills };
      byAgent.set(key, d);
    }
    return d;
  }
}
