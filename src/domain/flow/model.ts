/**
 * The typed IVR flow model: what a validated flow file means, with every default filled in.
 * Produced by `validateFlowSource` (validate.ts) from a positioned source tree; consumed by the interpreter.
 * Plain readonly data, so a flow can be frozen, shared between calls and compared in tests.
 */

/** DTMF keys a caller can press on a 12-key pad (RFC 4733 §3.2 events 0-11). */
export const DTMF_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
export type DtmfKey = (typeof DTMF_KEYS)[number];

export function isDtmfKey(s: string): s is DtmfKey {
  return (DTMF_KEYS as readonly string[]).includes(s);
}

/**
 * A prompt to play: a name resolved per language as `<promptsDir>/<lang>/<name>.wav`, or an explicit file
 * (absolute, or relative to the prompts directory) that is the same in every language.
 */
export type PromptRef = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'file'; readonly file: string };

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

export interface MenuOption {
  readonly goto: string;
}

/** Plays prompts and waits for one key; replays on an invalid key or no key, up to `maxAttempts` in all. */
export interface MenuNode extends NodeBase {
  readonly type: 'menu';
  readonly prompts: readonly PromptRef[];
  /** No-input timeout, counted from the end of the menu prompts. */
  readonly timeoutSec: number;
  /** Attempts in all (the first play included) before `onFail`. */
  readonly maxAttempts: number;
  readonly invalidPrompts: readonly PromptRef[];
  readonly timeoutPrompts: readonly PromptRef[];
  readonly options: Readonly<Partial<Record<DtmfKey, MenuOption>>>;
  /** Where to go after `maxAttempts` failures; without it the call is hung up with cause `menu-failed`. */
  readonly onFail: string | null;
}

/** Plays prompts, then hands the call to the ACD queue; the flow ends there. */
export interface QueueNode extends NodeBase {
  readonly type: 'queue';
  readonly queue: string;
  readonly prompts: readonly PromptRef[];
  readonly priority: number;
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

export type FlowNode = PlayNode | MenuNode | QueueNode | HangupNode | GotoNode;
export type FlowNodeType = FlowNode['type'];
export type NodeOfType<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

export interface Flow {
  readonly id: string;
  readonly version: string;
  /** Default prompt language: the `<lang>` folder under the prompts directory. */
  readonly language: string;
  readonly start: string;
  readonly nodes: Readonly<Record<string, FlowNode>>;
}

/** Menu and timer bounds; the validator enforces them. */
export const MENU_LIMITS = {
  minTimeoutSec: 1,
  maxTimeoutSec: 60,
  defaultTimeoutSec: 5,
  minAttempts: 1,
  maxAttempts: 10,
  defaultAttempts: 3,
} as const;

export const QUEUE_LIMITS = { minPriority: 0, maxPriority: 100, defaultPriority: 0 } as const;
