/**
 * Business events: the one source of every report. One JSON object per line in the event log.
 * Every event has `time` (ISO 8601, ms, UTC), `ts` (ms since epoch, same instant), `type`, and `callId` for
 * call events (agent events carry `agentId` and, when about a call, its `callId`). Documented in docs/events.md.
 */
export interface EventBase {
  time: string;
  ts: number;
  type: string;
  /** Set on events read from another system's history (`hotline import queue-log`), never by the engine. */
  imported?: true;
  /** Where an imported event came from: 'queue_log' (Asterisk). (`source` is taken by digits.received.) */
  importedFrom?: 'queue_log';
  /** The queue_log event name this imported event stands for (ENTERQUEUE, CONNECT …); absent on helpers. */
  sourceEvent?: string;
  /** Parts of the source record that the typed fields do not give back on export (see docs/events.md). */
  queueLog?: QueueLogOverride;
}

/** The fields of an imported queue_log record that differ from what `hotline export queue-log` derives. */
export interface QueueLogOverride {
  callid?: string;
  queue?: string;
  agent?: string;
  data?: string[];
}

export interface CallOffered extends EventBase {
  type: 'call.offered';
  callId: string;
  from: string; // caller number
  to: string; // dialed number
  flowId?: string; // undefined when the number is unknown (call rejected)
  flowVersion?: string;
}
export interface CallRejected extends EventBase {
  type: 'call.rejected';
  callId: string;
  sipStatus: number;
  reason: string;
}
export interface MenuEntered extends EventBase {
  type: 'menu.entered';
  callId: string;
  flowId: string;
  nodeId: string;
  attempt: number; // 1 on first entry
}
export interface DigitsReceived extends EventBase {
  type: 'digits.received';
  callId: string;
  nodeId: string;
  digits: string; // masked when the variable is sensitive
  source: 'rfc4733' | 'sip-info';
}
export interface MenuFailed extends EventBase {
  type: 'menu.failed';
  callId: string;
  nodeId: string;
  kind: 'invalid' | 'timeout';
  attempt: number;
}
export interface QueueJoined extends EventBase {
  type: 'queue.joined';
  callId: string;
  queueId: string;
  position: number; // 1-based position on joining
  priority: number;
  /** Skills the call needs in this queue, as routed; reports group by them (`--by skill`). */
  skills?: string[];
}
export interface AgentOffered extends EventBase {
  type: 'agent.offered';
  callId: string;
  queueId: string;
  agentId: string;
  attempt: number; // 1 for the first agent tried for this call
}
export interface AgentRinging extends EventBase {
  type: 'agent.ringing';
  callId: string;
  agentId: string;
}
export interface AgentRona extends EventBase {
  type: 'agent.rona';
  callId: string;
  queueId: string;
  agentId: string;
  ringMs: number;
}
export interface AgentDeclined extends EventBase {
  type: 'agent.declined';
  callId: string;
  queueId: string;
  agentId: string;
  sipStatus?: number;
  reason: string;
}
export interface CallAnswered extends EventBase {
  type: 'call.answered';
  callId: string;
  queueId: string;
  agentId: string;
  waitMs: number; // from queue.joined to the agent's answer
  ringMs: number; // from agent.offered to the agent's answer
}
export interface CallAbandoned extends EventBase {
  type: 'call.abandoned';
  callId: string;
  queueId: string;
  waitMs: number;
  /** Whether an agent was ringing when the caller hung up. */
  whileRinging: boolean;
  position: number;
}
export interface CallEnded extends EventBase {
  type: 'call.ended';
  callId: string;
  hungUpBy: 'caller' | 'agent' | 'system';
  cause: string;
  queueId?: string;
  agentId?: string;
  talkMs?: number; // answered calls: from answer to end
  durationMs: number; // from offered to end
}
export interface AgentStateChanged extends EventBase {
  type: 'agent.state-changed';
  agentId: string;
  from: string;
  to: string;
  reason?: string;
  callId?: string;
}
export interface WrapupEnded extends EventBase {
  type: 'agent.wrapup-ended';
  agentId: string;
  callId: string;
  wrapupMs: number;
}

/** A caller left a queue without an agent and without hanging up: max wait, queue full, no agent, exit key, callback given up. */
export interface QueueExited extends EventBase {
  type: 'queue.exited';
  callId: string;
  queueId: string;
  /**
   * max-wait: waited the queue's maximum (queue_log EXITWITHTIMEOUT); exit-key: pressed the exit digit (EXITWITHKEY);
   * empty: no logged-in agent could take the call (EXITEMPTY); full: the queue was at its maximum length;
   * withdraw: taken out by an operator (WITHDRAW); callback-failed / callback-expired: a virtual-hold caller could not
   * be reached or waited too long; overflow-loop: overflow hops exceeded the limit.
   */
  reason: 'max-wait' | 'exit-key' | 'empty' | 'full' | 'withdraw' | 'callback-failed' | 'callback-expired' | 'overflow-loop';
  /** Where it went: another queue, a flow node, or hung up. Absent on records imported from a queue_log. */
  action?: 'queue' | 'flow' | 'hangup';
  target?: string; // queue id, flow node id, or hang-up cause
  waitMs: number; // time in this queue
  position: number; // 1-based position when leaving (0: turned away before taking a place)
  key?: string; // reason exit-key: the digit pressed
}
/** The agent transferred the call out of the queue's handling. Ends the agent's handle time of it. */
export interface AgentTransferred extends EventBase {
  type: 'agent.transferred';
  callId: string;
  queueId: string;
  agentId: string;
  kind: 'blind' | 'attended';
  /** Blind: the number or extension dialled. Attended: what the call was joined to. */
  target: string;
  /** Blind transfers in a dial plan: its context. */
  context?: string;
  talkMs: number; // from answer to transfer
}
/** A caller's post-call survey score. */
export interface CsatScored extends EventBase {
  type: 'csat.scored';
  callId: string;
  queueId: string;
  agentId: string;
  score: number; // 1 (very unsatisfied) … 5 (very satisfied)
}
/** A queue_log record with no business meaning in hotline's model (QUEUESTART, DID …), kept verbatim by import. */
export interface QueueLogRecord extends EventBase {
  type: 'queue-log.record';
  /** Never set: the record's own id is `callid`, as written (a channel id, NONE, MANAGER …). */
  callId?: never;
  event: string;
  callid: string;
  queue: string;
  agent: string;
  data: string[];
}

/** An HTTP data dip of an IVR flow finished (the URL is not recorded: it may carry caller data). */
export interface HttpCompleted extends EventBase {
  type: 'http.completed';
  callId: string;
  nodeId: string;
  outcome: 'ok' | 'error' | 'timeout';
  httpStatus?: number; // the last answer's status, when one came
  attempts: number;
  elapsedMs: number;
  error?: string; // short reason: "HTTP 503", "not JSON", "ECONNREFUSED"
}
/** A caller left a voicemail. */
export interface VoicemailRecorded extends EventBase {
  type: 'voicemail.recorded';
  callId: string;
  nodeId: string;
  mailbox: string;
  from: string; // caller number
  file: string; // the WAV file, relative to the data dir
  durationMs: number;
}
/** A caller asked to be called back. */
export interface CallbackRequested extends EventBase {
  type: 'callback.requested';
  callId: string;
  nodeId: string;
  number: string; // masked to the last 4 digits when it comes from a sensitive variable
  queueId?: string;
  language: string;
}
/** A flow transferred the call to a queue, an agent or an allow-listed external number. */
export interface CallTransferred extends EventBase {
  type: 'call.transferred';
  callId: string;
  nodeId: string;
  target: 'queue' | 'agent' | 'external';
  to: string; // queue id, agent id, or the allow-list name of the external number
  outcome: 'queued' | 'connected' | 'failed';
  reason?: string; // why it failed: busy, no-answer, unavailable, unsupported ...
}
/** A position / estimated-wait, comfort, or callback-offer announcement was played to a waiting caller. */
export interface QueueAnnounced extends EventBase {
  type: 'queue.announced';
  callId: string;
  queueId: string;
  kind: 'position' | 'comfort' | 'callback-offer';
  position?: number; // 1-based, for kind position
  ewtSec?: number; // estimated wait announced, for kind position when the queue says it
}
/** Virtual hold: the caller keeps its place and will be called back on its own number, then hangs up. */
export interface QueueCallbackAccepted extends EventBase {
  type: 'queue.callback-accepted';
  callId: string;
  queueId: string;
  trigger: 'key' | 'max-wait' | 'full' | 'empty' | 'exit-key';
  position: number;
  waitMs: number; // waited on the line so far
}
/** One attempt to call a virtual-hold caller back, with an agent reserved for it. */
export interface QueueCallbackAttempt extends EventBase {
  type: 'queue.callback-attempt';
  callId: string;
  queueId: string;
  agentId: string;
  attempt: number; // 1 for the first
  outcome: 'answered' | 'no-answer' | 'busy' | 'failed';
}
/** An agent set a disposition code on a call (during the call or its wrap-up). */
export interface AgentDisposition extends EventBase {
  type: 'agent.disposition';
  agentId: string;
  callId: string;
  queueId?: string;
  code: string;
}

export type HotlineEvent =
  | CallOffered
  | CallRejected
  | MenuEntered
  | DigitsReceived
  | MenuFailed
  | QueueJoined
  | AgentOffered
  | AgentRinging
  | AgentRona
  | AgentDeclined
  | CallAnswered
  | CallAbandoned
  | CallEnded
  | AgentStateChanged
  | WrapupEnded
  | QueueExited
  | AgentTransferred
  | CsatScored
  | QueueLogRecord
  | HttpCompleted
  | VoicemailRecorded
  | CallbackRequested
  | CallTransferred
  | QueueAnnounced
  | QueueCallbackAccepted
  | QueueCallbackAttempt
  | AgentDisposition;

export type HotlineEventType = HotlineEvent['type'];

/** Distributive Omit, so `EventDraft` keeps the union's discriminant. */
export type EventDraft = HotlineEvent extends infer E ? (E extends HotlineEvent ? Omit<E, 'time' | 'ts'> : never) : never;

/** Stamps a draft with the clock's time. */
export function stampEvent(draft: EventDraft, nowMs: number): HotlineEvent {
  return { time: new Date(nowMs).toISOString(), ts: nowMs, ...draft } as HotlineEvent;
}
