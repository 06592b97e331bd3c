/** ACD data shapes shared by the core, the store port, the application and the simulator. */
import type { AgentState } from './agent-state.js';

export const STRATEGIES = [
  'longest-idle',
  'ring-all',
  'round-robin',
  'top-down',
  'fewest-calls',
  'least-talk-time',
  'random',
  'ring-progressively',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** skill → level 1..10 (on an agent: proficiency; on a requirement: the minimum level). */
export type SkillLevels = Readonly<Record<string, number>>;

/**
 * Where a caller goes when it leaves a queue without an agent (max wait, full, empty, exit key). `prompts` are
 * played first; they are paths under the prompts dir in which `{lang}` stands for the caller's language.
 */
export type QueueExit =
  | { kind: 'queue'; queueId: string; prompts: readonly string[] }
  | { kind: 'flow'; node: string; prompts: readonly string[] }
  | { kind: 'callback'; prompts: readonly string[] }
  | { kind: 'hangup'; cause: string; prompts: readonly string[] };

/** From `afterSec` of waiting in the queue: every required level capped at `minLevel`, or any agent of the group. */
export interface WideningStep {
  afterSec: number;
  minLevel?: number;
  anyAgentInGroup?: boolean;
}

/** A SIP destination for outbound calls (a trunk or gateway that reaches callers' numbers). */
export interface DialTrunk {
  host: string;
  port: number;
  transport: 'udp' | 'tcp';
}

export interface CallbackConfig {
  /** The key that accepts the offer (the shipped offer prompt says 1). */
  key: string;
  /** Offer it once the caller has waited this long (0: from the start). */
  offerAfterSec: number;
  /** Repeat the offer this often while the caller waits. */
  offerEverySec: number;
  maxAttempts: number;
  retryAfterSec: number;
  /** Ring the caller this long before counting no-answer. */
  dialTimeoutSec: number;
  /** A place kept longer than this is given up (the callback expires). */
  expireAfterSec: number;
  trunk: DialTrunk;
  /** Shown to the caller as the From user; default: the number the caller dialled. */
  fromNumber?: string;
}

export interface AnnounceConfig {
  /** Say the position (and EWT) right after joining. */
  onJoin: boolean;
  /** Repeat position (and EWT) this often; 0 never. */
  positionEverySec: number;
  /** Include the estimated wait time with the position. */
  ewt: boolean;
  /** Play `comfortPrompt` this often; 0 never. */
  comfortEverySec: number;
  comfortPrompt: string;
}

export interface CallerClassRule {
  /** Priority of callers of this class (the higher of it and the flow's is used). */
  priority?: number;
  /** Extra skills (skill → minimum level) callers of this class need. */
  skills?: SkillLevels;
}

/**
 * A queue as configured. The fields of the walking skeleton are required; everything the ACD grew since is
 * optional here and filled in by `resolveQueue` (the config loader writes them all; older call sites and
 * tests keep working).
 */
export interface QueueConfig {
  id: string;
  name: string;
  /** Legacy form of `skills`: every one at any level. */
  requiredSkills: string[];
  strategy: Strategy;
  ringTimeoutSec: number;
  wrapupSec: number;
  /** Music on hold file, relative to the prompts dir. */
  musicOnHold: string;
  /** skill → minimum level an agent needs to take this queue's calls (merged with requiredSkills at level 1). */
  skills?: SkillLevels;
  /** The queue's agent group (agents' `groups`), for the "any agent in the group" widening step. */
  group?: string;
  /** Explicit ordered members: only they serve the queue, in this order (top-down, round-robin, ring-progressively). */
  members?: readonly string[];
  ringProgressively?: { initialAgents: number; addAgents: number; everySec: number };
  /** Language of announcements when the flow did not set one. */
  language?: string;
  maxWaitSec?: number;
  onMaxWait?: QueueExit;
  maxLength?: number;
  onFull?: QueueExit;
  joinWhenEmpty?: boolean;
  leaveWhenEmpty?: boolean;
  onEmpty?: QueueExit;
  widening?: readonly WideningStep[];
  announce?: AnnounceConfig;
  exitKey?: { digit: string; exit: QueueExit };
  callback?: CallbackConfig;
  sticky?: { withinDays: number; waitSec: number };
  callerClasses?: Readonly<Record<string, CallerClassRule>>;
  /** After a 486/603 (or a failed ring) the agent is not offered that call again for this long. */
  declineBackoffSec?: number;
  /** Codes an agent may set on a call of this queue (empty: any code). */
  dispositionCodes?: readonly string[];
  /** Handle time (talk + wrap-up) assumed for the EWT until calls have been measured. */
  expectedHandleSec?: number;
  /** Post-call satisfaction survey, played to the caller when the agent hangs up first; absent: none. */
  survey?: SurveyConfig;
}

/** A 1–5 satisfaction survey: the question (with barge-in), up to `maxAttempts` tries, then thanks. */
export interface SurveyConfig {
  /** Prompt files relative to the prompts dir; `{lang}` becomes the caller's language. */
  askPrompt: string;
  thanksPrompt: string;
  /** Wait for a key this long after the question. */
  timeoutSec: number;
  maxAttempts: number;
}

type Defaulted =
  | 'skills'
  | 'ringProgressively'
  | 'language'
  | 'onMaxWait'
  | 'onFull'
  | 'joinWhenEmpty'
  | 'leaveWhenEmpty'
  | 'onEmpty'
  | 'widening'
  | 'announce'
  | 'callerClasses'
  | 'declineBackoffSec'
  | 'dispositionCodes'
  | 'expectedHandleSec';

/** A queue with every default filled in: what the core works with. */
export type ResolvedQueue = QueueConfig & Required<Pick<QueueConfig, Defaulted>>;

export interface AgentConfig {
  id: string;
  name: string;
  /** skill → proficiency 1..10 */
  skills: Record<string, number>;
  /** Become available as soon as the phone registers (no API call needed). */
  readyOnRegister: boolean;
  groups?: readonly string[];
  /** Reasons accepted for not-ready (empty: any). */
  notReadyReasons?: readonly string[];
}

export interface AgentRecord {
  id: string;
  state: AgentState;
  registered: boolean;
  /** When the agent last became available: longest-idle routes to the smallest. */
  idleSinceMs: number;
  callsAnswered: number;
  /** Total talk time of answered calls, for least-talk-time. */
  talkMs?: number;
  /** Optimistic-concurrency version, bumped by every store write. */
  version: number;
}

export type CallerStateName = 'waiting' | 'offered' | 'virtual-hold' | 'callback-dialing' | 'answered' | 'abandoned' | 'exited';

export interface QueueEntry {
  callId: string;
  queueId: string;
  callerNumber: string;
  priority: number;
  joinedAtMs: number;
  /** Agent currently offered this caller (the first one when several ring), if any. */
  offeredTo?: string;
  /** Agents who declined or failed this caller and are backed off for it. */
  excludedAgents: string[];
  offerAttempts: number;
  /** Where the caller is in the caller-in-queue table (absent on records written by older code). */
  state?: CallerStateName;
  /** When it entered this queue (differs from joinedAtMs after an overflow). */
  queueEnteredAtMs?: number;
}

/** Routing attributes the flow may attach to an enqueue (all optional). */
export interface RoutingAttributes {
  /** Skills an agent needs besides the queue's own (any level). */
  readonly skills?: readonly string[];
  /** vip / new / returning …: mapped by the queue's callerClasses to priority and skills. */
  readonly callerClass?: string;
  /** Language of announcements (zh, en …). */
  readonly language?: string;
}

/** The queue's own requirement, merging the legacy `requiredSkills` list. */
export function queueSkills(q: Pick<QueueConfig, 'skills' | 'requiredSkills'>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of q.requiredSkills) out[s] = 1;
  for (const [s, level] of Object.entries(q.skills ?? {})) out[s] = Math.max(out[s] ?? 1, level);
  return out;
}

const hangup = (cause: string, prompts: readonly string[] = []): QueueExit => ({ kind: 'hangup', cause, prompts });

/** Fills in the defaults of everything optional (what docs/configuration.md lists). */
export function resolveQueue(q: QueueConfig): ResolvedQueue {
  return {
    ...q,
    skills: q.skills ?? {},
    ringProgressively: q.ringProgressively ?? { initialAgents: 1, addAgents: 1, everySec: 10 },
    language: q.language ?? 'zh',
    onMaxWait: q.onMaxWait ?? hangup('max-wait', ['acd/{lang}/no-agents.wav']),
    onFull: q.onFull ?? hangup('queue-full', ['acd/{lang}/queue-full.wav']),
    joinWhenEmpty: q.joinWhenEmpty ?? true,
    leaveWhenEmpty: q.leaveWhenEmpty ?? false,
    onEmpty: q.onEmpty ?? hangup('no-agents', ['acd/{lang}/no-agents.wav']),
    widening: [...(q.widening ?? [])].sort((a, b) => a.afterSec - b.afterSec),
    announce: q.announce ?? { onJoin: false, positionEverySec: 0, ewt: false, comfortEverySec: 0, comfortPrompt: 'acd/{lang}/comfort.wav' },
    callerClasses: q.callerClasses ?? {},
    declineBackoffSec: q.declineBackoffSec ?? 60,
    dispositionCodes: q.dispositionCodes ?? [],
    expectedHandleSec: q.expectedHandleSec ?? 180,
  };
}

export function resolveQueues(queues: ReadonlyMap<string, QueueConfig>): Map<string, ResolvedQueue> {
  return new Map([...queues].map(([id, q]) => [id, resolveQueue(q)]));
}
