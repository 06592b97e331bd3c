/**
 * What the interpreter asks of the world (commands) and what the world tells it (inputs). The app turns
 * commands into media, timers, events, HTTP requests, recordings, transfers and ACD calls, and feeds the
 * outcomes back as inputs. Every request the flow waits on also has a timer in the interpreter, so a call
 * never hangs on the world: a late result is stale and ignored.
 */
import type { DigitsReceived, EventDraft } from '../metrics/events.js';
import type { CallerClass, HttpMethod } from './model.js';

export type DigitSource = DigitsReceived['source'];

/** Routing attributes of a queued call; the ACD gives them effect. */
export interface RoutingAttributes {
  /** Skills an agent needs besides the queue's own. */
  readonly skills?: readonly string[];
  readonly callerClass?: CallerClass;
  /** The call's prompt language (an agent language skill may follow it). */
  readonly language?: string;
}

export interface HttpRequestCommand {
  readonly kind: 'http';
  readonly requestId: string;
  readonly nodeId: string;
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Already serialised; the content type is in `headers`. */
  readonly body: string | null;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts after the first, on network errors, timeouts and 5xx answers. */
  readonly retries: number;
}

export type TransferTargetCommand =
  | { readonly kind: 'agent'; readonly agentId: string }
  | { readonly kind: 'external'; readonly name: string; readonly number: string };

export type FlowCommand =
  /** Play files in order; `playId` comes back in the matching `play-finished`. */
  | { kind: 'play'; playId: number; files: string[]; bargeIn: boolean }
  /** Stop the current playback; its `play-finished`, if it still comes, is stale and ignored. */
  | { kind: 'stop-play' }
  | { kind: 'start-timer'; timerId: string; ms: number }
  | { kind: 'cancel-timer'; timerId: string }
  | { kind: 'emit'; event: EventDraft }
  | HttpRequestCommand
  /** Ring an agent or an allow-listed number and bridge on answer; `transfer-result` reports the outcome. */
  | { kind: 'transfer'; requestId: string; nodeId: string; target: TransferTargetCommand; ringTimeoutMs: number }
  /** Record what the caller says into the mailbox until `record-stop`; `recording-finished` follows. */
  | { kind: 'record-start'; requestId: string; nodeId: string; mailbox: string; maxMs: number }
  | { kind: 'record-stop'; requestId: string }
  /** Abandon a request (the flow moved on or ended); its result, if it still comes, is stale. */
  | { kind: 'cancel-request'; requestId: string }
  /** Hand the call to an ACD queue; the flow is over (later inputs are ignored). */
  | ({ kind: 'enqueue'; queueId: string; priority: number; nodeId: string } & RoutingAttributes)
  | { kind: 'hangup'; cause: string };

/** The outcome of an HTTP request, as the app saw it. */
export interface HttpResult {
  readonly kind: 'http-result';
  readonly requestId: string;
  /** `ok`: a 2xx answer whose body parsed as JSON. */
  readonly outcome: 'ok' | 'error';
  /** The last answer's status; absent when none came (refused, timeout). */
  readonly status?: number;
  /** The parsed JSON body of an `ok` answer. */
  readonly body?: unknown;
  /** Why it failed, short and without secrets: "timeout", "HTTP 503", "not JSON", "ECONNREFUSED". */
  readonly error?: string;
  readonly attempts: number;
  readonly elapsedMs: number;
}

interface InputBase {
  /** When the input happened (ms since the epoch); keeps `now.*` current. Omitted: the last known time. */
  readonly atMs?: number;
}

export type FlowInput = InputBase &
  (
    | { kind: 'play-finished'; playId: number; outcome: 'done' | 'interrupted' | 'stopped' }
    | { kind: 'digit'; digit: string; source: DigitSource }
    | { kind: 'timer'; timerId: string }
    | HttpResult
    | { kind: 'transfer-result'; requestId: string; outcome: 'connected' | 'failed'; reason?: string }
    | { kind: 'recording-finished'; requestId: string }
  );

export type FlowInputKind = FlowInput['kind'];

/** Why an input changed nothing. Worth a debug log line; never an error. */
export type IgnoreReason =
  /** A play-finished for a playback that was stopped or superseded. */
  | 'stale-play'
  /** A timer that was cancelled or superseded. */
  | 'stale-timer'
  /** A request result for a request the flow no longer waits on. */
  | 'stale-request'
  /** The call is in an ACD queue: the flow is done with it. */
  | 'flow-queued'
  /** The call was transferred: the flow is done with it. */
  | 'flow-transferred'
  | 'flow-ended'
  /** A resume (queue exit to a flow node) for a flow that is not waiting in a queue. */
  | 'flow-running'
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
  /** Nodes entered during this step, in order (the path the call took). */
  readonly entered?: readonly string[];
  /** Set when the input changed nothing, with why. */
  readonly ignored?: IgnoreReason;
  /** Set when the state was impossible; the call is hung up with cause `flow-error`. Log it as an error. */
  readonly fault?: FlowFault;
}
