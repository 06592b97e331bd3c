/** What the ACD core is told (inputs), what it asks of the world (commands), and its internal records. */
import type { AgentEvent } from '../agent-state.js';
import type { Deadline } from '../deadlines.js';
import type { AgentConfig, AgentRecord, CallerStateName, DialTrunk, QueueEntry, ResolvedQueue, RoutingAttributes } from '../model.js';
import type { OfferStateName } from '../offer-state.js';
import type { EventDraft } from '../../metrics/events.js';
import type { Result } from '../../shared/errors.js';

export type AgentRequest = { state: 'ready' } | { state: 'not-ready'; reason: string } | { state: 'logged-out' };

export type AcdInput =
  /** Time passed: only deadlines are due. */
  | { kind: 'tick' }
  | { kind: 'caller-joins'; callId: string; queueId: string; callerNumber: string; priority: number; attrs?: RoutingAttributes; dialledNumber?: string }
  | { kind: 'caller-hangs-up'; callId: string }
  | { kind: 'caller-digit'; callId: string; digit: string }
  | { kind: 'ring-alerting'; callId: string; agentId: string }
  | { kind: 'ring-answered'; callId: string; agentId: string }
  | { kind: 'ring-failed'; callId: string; agentId: string; outcome: 'declined' | 'failed' | 'cancelled'; sipStatus?: number; reason?: string }
  /** A bridged call ended (either side). `wrapupMs` overrides the queue's wrap-up (calls not from a queue). */
  | { kind: 'call-ended'; callId: string; agentId: string; wrapupMs?: number }
  | { kind: 'callback-answered'; callId: string }
  | { kind: 'callback-failed'; callId: string; outcome: 'no-answer' | 'busy' | 'failed' }
  | { kind: 'registration'; agentId: string; registered: boolean }
  | { kind: 'agent-request'; agentId: string; request: AgentRequest }
  /** A raw agent-table event from outside the queues (flow transfers reserve, ring and answer agents this way). */
  | { kind: 'agent-event'; agentId: string; event: AgentEvent }
  | { kind: 'disposition'; agentId: string; code: string; callId?: string; ready?: boolean };

export type AcdCommand =
  | { kind: 'ring'; callId: string; agentId: string; callerNumber: string }
  | { kind: 'cancel-ring'; callId: string; agentId: string }
  /** An answer that lost (a crossed CANCEL, a second ring-all answer): hang up that agent leg. */
  | { kind: 'drop-agent-leg'; callId: string; agentId: string }
  | { kind: 'bridge'; callId: string; agentId: string; queueId: string }
  | { kind: 'moh'; callId: string; file: string }
  /** Play to a caller waiting on the line, then music on hold again. */
  | { kind: 'play'; callId: string; files: string[] }
  /** The caller leaves the queue's media: hang up, go to a flow node, or (virtual hold) hang up keeping its place. */
  | { kind: 'leave'; callId: string; how: 'hangup' | 'flow' | 'callback-hold'; files: string[]; cause?: string; node?: string }
  | { kind: 'dial'; callId: string; number: string; trunk: DialTrunk; fromNumber?: string }
  | { kind: 'cancel-dial'; callId: string }
  /** The business call ends with no leg of ours (a callback given up). */
  | { kind: 'end-call'; callId: string; cause: string }
  | { kind: 'emit'; event: EventDraft }
  | { kind: 'save-agent'; record: AgentRecord }
  | { kind: 'save-caller'; entry: QueueEntry }
  | { kind: 'remove-caller'; callId: string }
  | { kind: 'remember-agent'; callerNumber: string; agentId: string; atMs: number }
  /** Something that should not happen did (an illegal transition): log it as an error. */
  | { kind: 'fault'; message: string; detail: Record<string, unknown> };

export interface AcdOutput {
  commands: AcdCommand[];
  /** The answer to agent-request, agent-event and disposition inputs. */
  result?: Result<AgentRecord>;
}

export interface CoreAgent {
  readonly cfg: AgentConfig;
  readonly num: number;
  rec: AgentRecord;
  /** Queues this agent may serve (membership at the widest step). */
  readonly memberOf: readonly string[];
  /** Queue of the current or last call, for wrap-up, dispositions and handle-time statistics. */
  queueId?: string;
  answeredAtMs?: number;
  callEndedAtMs?: number;
  wrapup?: { deadline: Deadline; callId: string; startedMs: number };
}

export interface Ring {
  readonly agentId: string;
  state: OfferStateName;
  startedMs: number;
  deadline?: Deadline;
}

export interface CoreCaller {
  readonly callId: string;
  readonly callerNumber: string;
  readonly dialledNumber?: string;
  readonly attrs?: RoutingAttributes;
  readonly flowPriority: number;
  /** First entry into any queue: the wait callers and reports see. */
  readonly joinedAtMs: number;
  readonly seq: number;
  queue: ResolvedQueue;
  queueEnteredAtMs: number;
  priority: number;
  skills: Record<string, number>;
  /** Index bucket key: callers of one bucket share priority and requirement. */
  bucket: string;
  /** Entered this queue by overflow: its arrival order and queue wait differ, so widening is not monotone along the bucket. */
  moved: boolean;
  state: CallerStateName;
  offerAttempts: number;
  hops: number;
  readonly rings: Map<string, Ring>;
  /** agent → until when it is not offered this caller again (decline back-off). */
  readonly excluded: Map<string, number>;
  sticky?: { agentId: string; untilMs: number };
  callbackOffered: boolean;
  callback?: { attempts: number; retryAtMs: number; agentId?: string };
  readonly timers: Map<string, Deadline>;
}
