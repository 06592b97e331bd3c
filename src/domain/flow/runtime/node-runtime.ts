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
  /** Runs on entry: start media or timers, or move on at once with `b.goto`. */
  enter(node: NodeOfType<T>, b: StepBuilder): void;
  /** A current (not stale) input while waiting in one of `phases`. */
  onInput(node: NodeOfType<T>, b: StepBuilder, input: FlowInput): void;
}

export type TransitionTable<P extends FlowPhase, A extends string> = {
  readonly [Ph in P]: { readonly [K in FlowInputKind]: A };
};
