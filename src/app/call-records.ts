/**
 * What the application knows about each live call, and the one place that ends a call: `finish` emits
 * call.ended exactly once, whoever notices the end first.
 */
import type { InboundCall } from '../ports/call-control.js';
import type { Clock } from '../ports/clock.js';
import type { Emit } from './events.js';

/** 'callback': in virtual hold (the caller's leg is gone; the ACD will call back and owns the call). */
export type CallStage = 'flow' | 'queued' | 'callback' | 'talking' | 'ended';

export interface CallRecord {
  callId: string;
  leg: InboundCall;
  from: string;
  to: string;
  offeredAtMs: number;
  stage: CallStage;
  queueId?: string;
  agentId?: string;
  answeredAtMs?: number;
  /** The caller's prompt language as the flow set it when queueing (for the post-call survey). */
  language?: string;
  /** The priority the flow queued the call with (kept when an agent transfers it to another queue). */
  priority?: number;
  /** Gives a queued call back to its IVR flow at a node (a queue exit to a flow); false when it cannot. */
  resumeFlow?: (nodeId: string) => boolean;
}

export class CallRecords {
  private readonly calls = new Map<string, CallRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly emit: Emit,
  ) {}

  add(record: CallRecord): void {
    this.calls.set(record.callId, record);
  }

  get(callId: string): CallRecord | undefined {
    return this.calls.get(callId);
  }

  get size(): number {
    return this.calls.size;
  }

  all(): CallRecord[] {
    return [...this.calls.values()];
  }

  finish(callId: string, hungUpBy: 'caller' | 'agent' | 'system', cause: string): void {
    const rec = this.calls.get(callId);
    if (!rec || rec.stage === 'ended') return;
    rec.stage = 'ended';
    this.calls.delete(callId);
    const now = this.clock.nowMs();
    this.emit({
      type: 'call.ended',
      callId,
      hungUpBy,
      cause,
      ...(rec.queueId ? { queueId: rec.queueId } : {}),
      ...(rec.agentId ? { agentId: rec.agentId } : {}),
      ...(rec.answeredAtMs !== undefined ? { talkMs: now - rec.answeredAtMs } : {}),
      durationMs: now - rec.offeredAtMs,
    });
  }
}
