/**
 * The calls a report fold follows, one record per call id: its caller number (for FCR), the queue it waits
 * in, the phones ringing for it, and its talk once answered. One Map lookup per event rather than one per
 * concern (a month of logs is tens of millions of events), and no object allocated per queue join or answer.
 */
import type { FcrPending } from './fcr.js';
import type { Dims } from './report-cube.js';

export class CallRecord {
  /** The caller number call.offered gave (undefined: none seen). */
  from: string | undefined = undefined;
  /** Waiting in queue `queueId` (queue.joined, until the call's queue outcome or end). */
  waiting = false;
  queueId = '';
  /** Skills queue.joined named for this call (undefined: the queue's). */
  skills: readonly string[] | undefined = undefined;
  /** The agents whose phones ring for it: one as a string, several (ring-all) as an array. */
  ringing: string | string[] | undefined = undefined;
  /** Answered and talking: the dimensions of its facts (undefined: not talking). */
  talkDims: Dims | undefined = undefined;
  /** A wrap-up logged before the call's end (same millisecond, two sources). */
  wrapupMs: number | undefined = undefined;
  fcr: FcrPending | undefined = undefined;

  /** The call leaves its queue (answered, abandoned, exited, ended): the skills it waited with. */
  leaveQueue(): readonly string[] | undefined {
    const own = this.waiting ? this.skills : undefined;
    this.waiting = false;
    this.queueId = '';
    this.skills = undefined;
    return own;
  }

  /** An agent's phone rings for the call (several for ring-all and ring-progressively). */
  rung(agentId: string): void {
    const cur = this.ringing;
    if (cur === undefined) this.ringing = agentId;
    else if (typeof cur === 'string') {
      if (cur !== agentId) this.ringing = [cur, agentId];
    } else if (!cur.includes(agentId)) cur.push(agentId);
  }

  /** One agent's ring ended (RONA, declined); without an agent, every ring of the call. */
  ringStopped(agentId: string | undefined): void {
    const cur = this.ringing;
    if (cur === undefined) return;
    if (agentId === undefined || cur === agentId) this.ringing = undefined;
    else if (typeof cur !== 'string') {
      const left = cur.filter((a) => a !== agentId);
      this.ringing = left.length === 1 ? (left[0] as string) : left;
    }
  }

  /** The agents still ringing (undefined: none), forgotten: the call left the queue. */
  takeRinging(): string | readonly string[] | undefined {
    const cur = this.ringing;
    this.ringing = undefined;
    return cur;
  }

  /** Nothing about the call is left to remember. */
  isIdle(): boolean {
    return this.from === undefined && !this.waiting && this.ringing === undefined && this.talkDims === undefined;
  }
}

/** The records of the calls in progress, by call id. */
export class CallBook {
  private readonly byId = new Map<string, CallRecord>();

  get size(): number {
    return this.byId.size;
  }

  /** The call's record, made on its first event. */
  open(callId: string): CallRecord {
    let c = this.byId.get(callId);
    if (c === undefined) {
      c = new CallRecord();
      this.byId.set(callId, c);
    }
    return c;
  }

  /** The call's record if the fold knows the call (events about unknown calls make none). */
  find(callId: string): CallRecord | undefined {
    return this.byId.get(callId);
  }

  /** Forgets the call once nothing about it is left (its end forgets it in any case). */
  release(callId: string, c: CallRecord): void {
    if (c.isIdle()) this.byId.delete(callId);
  }

  forget(callId: string): void {
    this.byId.delete(callId);
  }
}
