/**
 * The typed IVR flow model: what a validated flow file means, with every default filled in.
 * Produced by `validateFlowSource` (validate.ts) from a positioned source tree; consumed by the interpreter.
 * Plain readonly data, so a flow can be frozen, shared between calls and compared in tests.
 */
import type { Expr, ExprValue } from './expr/parser.js';
import type { Template } from './expr/template.js';

/** DTMF keys a caller can press on a 12-key pad (RFC 4733 §3.2 events 0-11). */
export const DTMF_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
export type DtmfKey = (typeof DTMF_KEYS)[number];

export function isDtmfKey(s: string): s is DtmfKey {
  return (DTMF_KEYS as readonly string[]).includes(s);
}

export const SAY_KINDS = ['digits', 'number', 'amount', 'date', 'time', 'duration'] as const;
export type SayKind = (typeof SAY_KINDS)[number];

/** Currencies `say: amount` knows, by ISO 4217 code. */
export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/**
 * A prompt to play: a name resolved per language as `<promptsDir>/<lang>/<name>.wav`, an explicit file
 * (absolute, or relative to the prompts directory) that is the same in every language, or a value spoken
 * from recorded fragments (`<promptsDir>/say/<lang>/...`, see say/).
 */
export type PromptRef =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'file'; readonly file: string }
  | { readonly kind: 'say'; readonly as: SayKind; readonly value: Template; readonly currency: Currency };

interface NodeBase {
  /** The node's key under `nodes:`; also the `nodeId` in business events. */
  readonly id: string;
}

/** Plays prompts, then continues at `next`. */
export interface PlayNode extends NodeBase {
  readonly type: 'play';
  readonly prompts: readonly PromptRef[];
  /** A key pressed while playing stops the prompt and is kept as type-ahead for the next menu. */
  readonly bargeIn: boolean;
  readonly next: string;
}

/** Speaks one value (digits, number, amount, date, time, duration), then continues at `next`. */
export interface SayNode extends NodeBase {
  readonly type: 'say';
  readonly say: Extract<PromptRef, { kind: 'say' }>;
  readonly bargeIn: boolean;
  readonly next: string;
}

/** What a menu entry does: go to a node, back to the previous menu, or to the first menu of the call. */
export type MenuOption = { readonly goto: string } | { readonly back: true } | { readonly top: true };

export interface MenuPattern {
  /** Matched against the whole entry (anchor it with ^...$ to be exact). */
  readonly regex: string;
  readonly option: MenuOption;
  /** Variable that receives the digits entered, when set. */
  readonly into: string | null;
}

/**
 * Plays a greeting and reads up to `digitLength` keys; entries match by exact key or digit string
 * (`options`), then by regular expression (`patterns`). FreeSWITCH-menu parity: long greeting on the first
 * visit, short greeting on every later attempt or visit, separate failure and timeout limits with exits.
 */
export interface MenuNode extends NodeBase {
  readonly type: 'menu';
  /** The long greeting (FreeSWITCH greet-long): the first attempt of the first visit. */
  readonly prompts: readonly PromptRef[];
  /** The short greeting (greet-short): later attempts and visits; empty means the long one again. */
  readonly shortPrompts: readonly PromptRef[];
  readonly invalidPrompts: readonly PromptRef[];
  readonly timeoutPrompts: readonly PromptRef[];
  /** Played when the menu gives up (exit-sound), before its exit target. */
  readonly exitPrompts: readonly PromptRef[];
  /** No-input timeout, counted from the end of the greeting. */
  readonly timeoutSec: number;
  /** Wait for the next key of a multi-key entry. */
  readonly interDigitTimeoutSec: number;
  /** Keys read at most for one entry. */
  readonly digitLength: number;
  /** Attempts in all (invalid entries and timeouts together) before `onFail`; null: no combined limit. */
  readonly maxAttempts: number | null;
  /** Invalid entries before `onMaxFailures`. */
  readonly maxFailures: number;
  /** Timeouts before `onMaxTimeouts`. */
  readonly maxTimeouts: number;
  readonly options: Readonly<Record<string, MenuOption>>;
  readonly patterns: readonly MenuPattern[];
  /** Where to go when a limit is reached; without one the call is hung up with cause `menu-failed`. */
  readonly onFail: string | null;
  readonly onMaxFailures: string | null;
  readonly onMaxTimeouts: string | null;
}

export const NAMED_CHECKS = ['luhn', 'cn-mobile'] as const;
export type NamedCheck = (typeof NAMED_CHECKS)[number];

export interface CollectConfirm {
  /** Played before the read-back ("you entered"). */
  readonly prompts: readonly PromptRef[];
  /** Played after it ("press 1 to confirm, 2 to re-enter"). */
  readonly question: readonly PromptRef[];
  readonly confirmKey: DtmfKey;
  readonly reenterKey: DtmfKey;
  readonly timeoutSec: number;
}

/** Reads digits into a variable, validates them, optionally reads them back and asks for confirmation. */
export interface CollectNode extends NodeBase {
  readonly type: 'collect';
  readonly into: string;
  readonly prompts: readonly PromptRef[];
  readonly minLength: number;
  readonly maxLength: number;
  /** Ends the entry early; not part of the value. Null: only maxLength or the inter-digit timeout end it. */
  readonly terminator: DtmfKey | null;
  readonly firstDigitTimeoutSec: number;
  readonly interDigitTimeoutSec: number;
  readonly pattern: string | null;
  readonly check: NamedCheck | null;
  /** Attempts after the first one. */
  readonly retries: number;
  readonly invalidPrompts: readonly PromptRef[];
  readonly timeoutPrompts: readonly PromptRef[];
  /** Speak the digits back before going on (or before the confirmation question). */
  readonly readBack: boolean;
  readonly confirm: CollectConfirm | null;
  /** Masked to the last 4 digits in events and logs (from the node or the variable's declaration). */
  readonly sensitive: boolean;
  readonly next: string;
  /** After the last retry; without it the call is hung up with cause `collect-failed`. */
  readonly onFail: string | null;
}

export interface Assignment {
  readonly variable: string;
  readonly value: Template;
}

/** Sets variables, then continues at `next` at once. */
export interface SetNode extends NodeBase {
  readonly type: 'set';
  readonly values: readonly Assignment[];
  readonly next: string;
}

/** Continues at `then` or `else` depending on a condition. */
export interface IfNode extends NodeBase {
  readonly type: 'if';
  readonly condition: Expr;
  readonly then: string;
  readonly else: string;
}

export interface SwitchCase {
  readonly when: Expr;
  readonly goto: string;
}

/** Continues at the first case whose condition holds, else at `default`. */
export interface SwitchNode extends NodeBase {
  readonly type: 'switch';
  readonly cases: readonly SwitchCase[];
  readonly default: string;
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A JSON body whose strings are templates. */
export type JsonTemplate =
  | { readonly kind: 'text'; readonly template: Template }
  | { readonly kind: 'value'; readonly value: ExprValue }
  | { readonly kind: 'list'; readonly items: readonly JsonTemplate[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, JsonTemplate]> };

export interface HttpMapping {
  readonly variable: string;
  /** Path into the JSON answer: object keys and array indexes, e.g. ['customer', 'level'] or ['items', '0']. */
  readonly path: readonly string[];
}

/** Calls an HTTP service; maps its JSON answer into variables. Never waits longer than its budget. */
export interface HttpNode extends NodeBase {
  readonly type: 'http';
  readonly method: HttpMethod;
  /** Expressions in the URL are percent-encoded; the scheme and host are fixed at load time. */
  readonly url: Template;
  readonly headers: ReadonlyArray<readonly [string, Template]>;
  readonly body: JsonTemplate | null;
  readonly timeoutSec: number;
  readonly retries: number;
  readonly map: readonly HttpMapping[];
  /** Variable that receives the HTTP status (0 when no answer came). */
  readonly statusInto: string | null;
  readonly next: string;
  readonly onError: string;
}

/** Minutes from midnight, [fromMin, toMin). */
export interface TimeRange {
  readonly fromMin: number;
  readonly toMin: number;
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface HolidayCalendar {
  /** 'YYYY-MM-DD' → holiday name, for every closed date (ranges expanded). */
  readonly closed: Readonly<Record<string, string>>;
  /** Make-up working days: date → the weekday whose hours apply and a name. */
  readonly workdays: Readonly<Record<string, { readonly as: Weekday; readonly name: string }>>;
}

/** Branches on business hours in a time zone, with a holiday calendar. */
export interface HoursNode extends NodeBase {
  readonly type: 'hours';
  readonly timezone: string;
  /** Opening hours by ISO weekday; an empty list is a closed day. */
  readonly weekly: Readonly<Record<Weekday, readonly TimeRange[]>>;
  /** Calendar file as written (relative to the flow file); its content is in `Flow.calendars`. */
  readonly calendar: string | null;
  readonly open: string;
  readonly closed: string;
  readonly holiday: string;
}

/** Switches the prompt language for the rest of the call. */
export interface LanguageNode extends NodeBase {
  readonly type: 'language';
  readonly language: string;
  readonly next: string;
}

export const CALLER_CLASSES = ['vip', 'new', 'returning'] as const;
export type CallerClass = (typeof CALLER_CLASSES)[number];

/** Plays prompts, then hands the call to the ACD queue with routing attributes; the flow ends there. */
export interface QueueNode extends NodeBase {
  readonly type: 'queue';
  readonly queue: string;
  readonly prompts: readonly PromptRef[];
  readonly priority: number;
  /** When set, computed per call (clamped to the priority range); `priority` is the fallback. */
  readonly priorityExpr: Template | null;
  /** Skills the agent needs, beyond the queue's own; empty results are dropped. */
  readonly skills: readonly Template[];
  /** vip / new / returning; any other result is left out. */
  readonly callerClass: Template | null;
}

export type TransferTarget =
  | { readonly kind: 'queue'; readonly queue: string }
  | { readonly kind: 'agent'; readonly agent: Template }
  /** An entry of the flow's `externalNumbers` allow-list: a name, never a number typed by a caller. */
  | { readonly kind: 'external'; readonly name: string; readonly number: string };

/** Transfers the call to a queue, an agent or an allow-listed external number. */
export interface TransferNode extends NodeBase {
  readonly type: 'transfer';
  readonly target: TransferTarget;
  readonly prompts: readonly PromptRef[];
  readonly ringTimeoutSec: number;
  /** When an agent or external number is not reached; without it the call is hung up (transfer-failed). */
  readonly onFail: string | null;
}

/** Records a message into a mailbox. */
export interface VoicemailNode extends NodeBase {
  readonly type: 'voicemail';
  readonly mailbox: string;
  readonly prompts: readonly PromptRef[];
  /** A short tone after the prompts, so the caller knows when to speak. */
  readonly beep: boolean;
  readonly maxSec: number;
  /** A key that ends the recording early; null: only maxSec or a hang-up end it. */
  readonly terminator: DtmfKey | null;
  readonly next: string;
}

/** Records a callback request (a number, by default the caller's) for a queue, then continues. */
export interface CallbackNode extends NodeBase {
  readonly type: 'callback';
  readonly number: Template;
  readonly queue: string | null;
  readonly next: string;
}

/** Ends the call. */
export interface HangupNode extends NodeBase {
  readonly type: 'hangup';
  readonly cause: string;
}

/** Jumps to another node without waiting for anything. */
export interface GotoNode extends NodeBase {
  readonly type: 'goto';
  readonly target: string;
}

/** Enters a sub-flow at `sub`; its `return` node continues at `next`. */
export interface CallNode extends NodeBase {
  readonly type: 'call';
  readonly sub: string;
  readonly next: string;
}

/** Ends a sub-flow: continues at the `next` of the call node that entered it. */
export interface ReturnNode extends NodeBase {
  readonly type: 'return';
}

export type FlowNode =
  | PlayNode
  | SayNode
  | MenuNode
  | CollectNode
  | SetNode
  | IfNode
  | SwitchNode
  | HttpNode
  | HoursNode
  | LanguageNode
  | QueueNode
  | TransferNode
  | VoicemailNode
  | CallbackNode
  | HangupNode
  | GotoNode
  | CallNode
  | ReturnNode;
export type FlowNodeType = FlowNode['type'];
export type NodeOfType<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

export interface VariableDecl {
  readonly initial: ExprValue;
  /** Masked to the last 4 characters in events, logs and the simulator. */
  readonly sensitive: boolean;
}

export interface Flow {
  readonly id: string;
  readonly version: string;
  /** Default prompt language: the `<lang>` folder under the prompts directory. */
  readonly language: string;
  /** Every language the flow can play in: the default, then those its language nodes select. */
  readonly languages: readonly string[];
  /** IANA time zone for `now.*` and the default of hours nodes. */
  readonly timezone: string;
  readonly start: string;
  /** Every variable the flow uses (declared, or set by a node), with its initial value. */
  readonly variables: Readonly<Record<string, VariableDecl>>;
  /** What each prompt says, per language (for the simulator and whoever records the prompts). */
  readonly transcripts: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Allow-list of external transfer numbers by name. */
  readonly externalNumbers: Readonly<Record<string, string>>;
  /** Holiday calendars by file name as written in hours nodes; filled in by the loader. */
  readonly calendars: Readonly<Record<string, HolidayCalendar>>;
  readonly nodes: Readonly<Record<string, FlowNode>>;
}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

/** Menu and timer bounds; the validator enforces them. */
export const MENU_LIMITS = {
  minTimeoutSec: 1,
  maxTimeoutSec: 60,
  defaultTimeoutSec: 5,
  defaultInterDigitSec: 2,
  minAttempts: 1,
  maxAttempts: 10,
  defaultAttempts: 3,
  maxDigitLength: 16,
} as const;

export const COLLECT_LIMITS = {
  maxLength: 32,
  defaultMaxLength: 16,
  defaultFirstDigitSec: 8,
  defaultInterDigitSec: 4,
  maxRetries: 9,
  defaultRetries: 2,
} as const;

export const QUEUE_LIMITS = { minPriority: 0, maxPriority: 100, defaultPriority: 0 } as const;

export const HTTP_LIMITS = { minTimeoutSec: 0.1, maxTimeoutSec: 30, defaultTimeoutSec: 3, maxRetries: 5, defaultRetries: 0 } as const;

export const VOICEMAIL_LIMITS = { minSec: 5, maxSec: 600, defaultMaxSec: 120 } as const;

export const TRANSFER_LIMITS = { minRingSec: 5, maxRingSec: 120, defaultRingSec: 20 } as const;

/** Sub-flow calls nested deeper than this end the call (cause flow-stack-overflow). */
export const MAX_CALL_DEPTH = 8;
