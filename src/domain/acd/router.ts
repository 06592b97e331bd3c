/**
 * Service order of callers, for read models (status, reports). Routing itself lives in core/routing.ts on the
 * indexes; this is the same order over plain store records.
 */
import type { QueueEntry } from './model.js';

export function compareCallers(a: QueueEntry, b: QueueEntry): number {
  return b.priority - a.priority || a.joinedAtMs - b.joinedAtMs || (a.callId < b.callId ? -1 : a.callId > b.callId ? 1 : 0);
}

/** 1-based position of a caller among those waiting in its queue, in service order. */
export function positionInQueue(waiting: readonly QueueEntry[], callId: string): number {
  const entry = waiting.find((c) => c.callId === callId);
  if (!entry) return 0;
  return waiting.filter((c) => c.queueId === entry.queueId).sort(compareCallers).findIndex((c) => c.callId === callId) + 1;
}
