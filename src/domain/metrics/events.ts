/**
 * Business events: the one source of every report. One JSON object per line in the event log.
 * Every event has `time` (ISO 8601, ms, UTC), `ts` (ms since epoch, same instant), `type`, and `callId` for
 * call events (agent events carry `agentId` and, when about a call, its `callId`). Documented in docs/events.md.
 */
export interface EventBase {
  time: string;
  ts: number;
  type: string;
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
  | HttpCompleted
  | VoicemailRecorded
  | CallbackRequested
  | CallTransferred;

export type HotlineEventType = HotlineEvent['type'];

/** Distributive Omit, so `EventDraft` keeps the union's discriminant. */
export type EventDraft = HotlineEvent extends infer E ? (E extends HotlineEvent ? Omit<E, 'time' | 'ts'> : never) : never;

/** Stamps a draft with the clock's time. */
export function stampEvent(draft: EventDraft, nowMs: number): HotlineEvent {
  return { time: new Date(nowMs).toISOString(), ts: nowMs, ...draft } as HotlineEvent;
}
