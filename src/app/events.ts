import { stampEvent, type EventDraft } from '../domain/metrics/events.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';

export type Emit = (draft: EventDraft) => void;

/** Stamps business events with the clock's time and appends them to the event log. */
export function makeEmitter(sink: EventSink, clock: Clock): Emit {
  return (draft) => sink.append(stampEvent(draft, clock.nowMs()));
}
