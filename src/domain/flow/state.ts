/**
 * The interpreter's state for one call: plain JSON-safe data (no Maps, no undefined, no functions), so it
 * can be logged, stored and rebuilt by replaying the call's inputs through `stepFlow`.
 */
import type { DigitSource } from './commands.js';
import type { ExprValue } from './expr/parser.js';

export interface FlowContext {
  callId: string;
  /** Caller number (From user part). */
  from: string;
  /** Dialed number (Request-URI user part). */
  to: string;
  /** Root of the prompt files; prompt paths in play commands start with it. */
  promptsDir: string;
  /** When the call entered the flow (ms since the epoch); `now.*` and hours nodes read the time from inputs. */
  startedAtMs?: number;
  /** Prompt language to start in instead of the flow's default (the simulator's --lang). */
  language?: string;
}

export type FlowStatus =
  /** Running nodes, waiting for the media, the caller, a timer or a request. */
  | 'running'
  /** Handed to the ACD: the flow is done with the call. */
  | 'queued'
  /** Connected to an agent (or an external number) by a transfer node: the flow is done with the call. */
  | 'transferred'
  /** Hung up by the flow. */
  | 'ended';

/** Where inside the current node the flow waits. Each node kind owns its phases (runtime/<kind>.ts). */
export type FlowPhase =
  | 'entering'
  | 'play'
  | 'menu-prompt'
  | 'menu-waiting'
  | 'menu-digits'
  | 'menu-feedback'
  | 'menu-exit'
  | 'collect-prompt'
  | 'collect-waiting'
  | 'collect-digits'
  | 'collect-feedback'
  | 'collect-confirm-prompt'
  | 'collect-confirm-waiting'
  | 'collect-readback'
  | 'http-waiting'
  | 'queue-prompt'
  | 'transfer-prompt'
  | 'transfer-waiting'
  | 'voicemail-prompt'
  | 'voicemail-recording'
  | 'voicemail-saving'
  | 'done';

export interface TypedDigit {
  readonly digit: string;
  readonly source: DigitSource;
}

/** A request to the app (an HTTP dip, a transfer, a recording) the flow waits on; its result must match `id`. */
export interface PendingRequest {
  readonly id: string;
  readonly kind: 'http' | 'transfer' | 'record';
}

export interface FlowState {
  readonly flowId: string;
  readonly flowVersion: string;
  readonly call: Readonly<FlowContext>;
  readonly status: FlowStatus;
  /** Prompt language in use (the flow's default until a language node changes it). */
  readonly language: string;
  readonly nodeId: string;
  readonly phase: FlowPhase;
  /** Current attempt at the current menu or collect, 1-based; 0 elsewhere. */
  readonly attempt: number;
  /** Invalid entries and timeouts at the current menu or collect. */
  readonly failures: number;
  readonly timeouts: number;
  /** Keys of the entry being typed (menu or collect). */
  readonly entry: string;
  /** How the entry's last key arrived (reported in digits.received). */
  readonly entrySource: DigitSource | null;
  /** Keys pressed during a barge-in prompt, kept for the next menu (oldest first). */
  readonly typeAhead: readonly TypedDigit[];
  /** Last play id handed out; ids only grow, so an old play-finished is recognisable. */
  readonly playSeq: number;
  readonly pendingPlayId: number | null;
  readonly timerSeq: number;
  readonly pendingTimerId: string | null;
  readonly requestSeq: number;
  readonly pending: PendingRequest | null;
  /** Call variables (flow-declared, collected, set, mapped from HTTP answers). */
  readonly variables: Readonly<Record<string, ExprValue>>;
  /** Menus visited, oldest first, for `back` and `top` (a menu seen again cuts the trail back to it). */
  readonly menuTrail: readonly string[];
  /** Menus entered at least once, for long (first) versus short (later) greetings. */
  readonly menusSeen: readonly string[];
  /** Return points of sub-flow calls, innermost last. */
  readonly callStack: readonly string[];
  /** Latest time known from inputs (ms since the epoch), for `now.*` and hours nodes. */
  readonly clockMs: number;
  /** Hang-up cause once `status` is `ended`. */
  readonly endCause: string | null;
}
