/**
 * One node kind's behaviour at run time. A waiting node keeps a transition table (phase × input kind →
 * action) so its whole behaviour can be read — and tested — row by row.
 */
import type { FlowInput, FlowInputKind } from '../commands.js';
import type { FlowNodeType, NodeOfType } from '../model.js';
import type { FlowPhase } from '../state.js';
import type { StepBuilder } from './step.js';

export interface NodeRuntime<T extends FlowNodeType> {
  /** Phases this node waits in; an input arriving in any other phase means the state is not ours. */
  readonly phases: readonly FlowPhase[];
  /** Runs on entry: start media, timers or requests, or move on at once with `b.goto`. */
  enter(node: NodeOfType<T>, b: StepBuilder): void;
  /**
   * A current (not stale) input while waiting in one of `phases`. Request results reach a node only when
   * they answer its pending request; the interpreter drops the others as stale.
   */
  onInput(node: NodeOfType<T>, b: StepBuilder, input: FlowInput): void;
}

/** Inputs from the media and the clock: every waiting node says what each does in each of its phases. */
export type MediaInputKind = Extract<FlowInputKind, 'play-finished' | 'digit' | 'timer'>;

export type TransitionTable<P extends FlowPhase, A extends string, K extends FlowInputKind = MediaInputKind> = {
  readonly [Ph in P]: { readonly [I in K]: A };
};
