/**
 * The interpreter's state for one call: plain JSON-safe data (no Maps, no undefined, no functions), so it
 * can be logged, stored and rebuilt by replaying the call's inputs through `stepFlow`.
 */
import type { DigitSource } from './commands.js';

export interface FlowContext {
  callId: string;
  /** Caller number (From user part). */
  from: string;
  /** Dialed number (Request-URI user part). */
  to: string;
  /** Root of the prompt files; prompt paths in play commands start with it. */
  promptsDir: string;
}

export type FlowStatus =
  /** Running nodes, waiting for the media, the caller or a timer. */
  | 'running'
  /** Handed to the ACD: the flow is done with the call. */
  | 'queued'
  /** Hung up by the flow. */
  | 'ended';

/** Where inside the current node the flow waits. Each node kind owns its phases (runtime/<kind>.ts). */
export type FlowPhase =
  | 'entering'
  | 'play'
  | 'menu-prompt'
  | 'menu-waiting'
  | 'menu-feedback'
  | 'queue-prompt'
  | 'done';

export interface TypedDigit {
  readonly digit: string;
  readonly source: DigitSource;
}

export interface FlowState {
  readonly flowId: string;
  readonly flowVersion: string;
  readonly call: Readonly<FlowContext>;
  readonly status: FlowStatus;
  /** Prompt language in use (the flow's default until a later node changes it). */
  readonly language: string;
  readonly nodeId: string;
  readonly phase: FlowPhase;
  /** Current attempt at the current menu, 1-based; 0 outside menus. */
  readonly attempt: number;
  /** Keys pressed during a barge-in prompt, kept for the next menu (oldest first). */
  readonly typeAhead: readonly TypedDigit[];
  /** Last play id handed out; ids only grow, so an old play-finished is recognisable. */
  readonly playSeq: number;
  readonly pendingPlayId: number | null;
  readonly timerSeq: number;
  readonly pendingTimerId: string | null;
  /** Call variables; set by node kinds to come (collect, set, http). */
  readonly variables: Readonly<Record<string, string>>;
  /** Hang-up cause once `status` is `ended`. */
  readonly endCause: string | null;
}
