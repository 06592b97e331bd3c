/**
 * What the interpreter asks of the world (commands) and what the world tells it (inputs). The app turns
 * commands into media, timers, events and ACD calls, and feeds the outcomes back as inputs.
 */
import type { DigitsReceived, EventDraft } from '../metrics/events.js';

export type DigitSource = DigitsReceived['source'];

export type FlowCommand =
  /** Play files in order; `playId` comes back in the matching `play-finished`. */
  | { kind: 'play'; playId: number; files: string[]; bargeIn: boolean }
  /** Stop the current playback; its `play-finished`, if it still comes, is stale and ignored. */
  | { kind: 'stop-play' }
  | { kind: 'start-timer'; timerId: string; ms: number }
  | { kind: 'cancel-timer'; timerId: string }
  | { kind: 'emit'; event: EventDraft }
  /** Hand the call to an ACD queue; the flow is over (later inputs are ignored). */
  | { kind: 'enqueue'; queueId: string; priority: number; nodeId: string }
  | { kind: 'hangup'; cause: string };

export type FlowInput =
  | { kind: 'play-finished'; playId: number; outcome: 'done' | 'interrupted' | 'stopped' }
  | { kind: 'digit'; digit: string; source: DigitSource }
  | { kind: 'timer'; timerId: string };

export type FlowInputKind = FlowInput['kind'];

/** Why an input changed nothing. Worth a debug log line; never an error. */
export type IgnoreReason =
  /** A play-finished for a playback that was stopped or superseded. */
  | 'stale-play'
  /** A timer that was cancelled or superseded. */
  | 'stale-timer'
  /** The call is in an ACD queue: the flow is done with it. */
  | 'flow-queued'
  | 'flow-ended'
  /** A key during a prompt that cannot be interrupted (play with bargeIn: false, queue prompts). */
  | 'digit-not-accepted'
  /** An input this node does not wait for in its current phase. */
  | 'not-expected';

/** A state the interpreter cannot have produced (another flow's state, a hand-edited state). */
export interface FlowFault {
  readonly code: 'HOTLINE_E_FLOW_STATE';
  readonly message: string;
}

export interface StepResult<S> {
  readonly state: S;
  readonly commands: FlowCommand[];
  /** Set when the input changed nothing, with why. */
  readonly ignored?: IgnoreReason;
  /** Set when the state was impossible; the call is hung up with cause `flow-error`. Log it as an error. */
  readonly fault?: FlowFault;
}
