/**
 * `play` and `say` at run time.
 *
 *   enter ──► play ──play-finished (any outcome)──► next
 *              │
 *              └──digit──► bargeIn: stop-play, keep the key as type-ahead, next
 *                          no bargeIn: ignored (the key is dropped)
 *   nothing to play (a value that cannot be spoken) ──► next at once
 *
 * The media adapter may report the barge-in playback as `interrupted` before or after the digit itself.
 * Digit first is the usual order and keeps the key for the next menu; outcome first moves on and the digit
 * then reaches the next node — a menu takes it as a key press either way.
 */
import type { PromptRef } from '../model.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';
import type { StepBuilder } from './step.js';

type PlayPhase = 'play';
type PlayAction = 'next' | 'barge-in' | 'ignore';

export const PLAY_TABLE: TransitionTable<PlayPhase, PlayAction> = {
  play: { 'play-finished': 'next', digit: 'barge-in', timer: 'ignore' },
};

interface Playing {
  readonly bargeIn: boolean;
  readonly next: string;
}

function enterPlay(prompts: readonly PromptRef[], node: Playing, b: StepBuilder): void {
  b.phase('play');
  if (b.play(prompts, node.bargeIn) === null) b.goto(node.next);
}

function onPlayInput(node: Playing, b: StepBuilder, input: Parameters<NodeRuntime<'play'>['onInput']>[2]): void {
  if (input.kind !== 'play-finished' && input.kind !== 'digit' && input.kind !== 'timer') return b.ignore('not-expected');
  switch (PLAY_TABLE.play[input.kind]) {
    case 'next':
      b.goto(node.next);
      return;
    case 'barge-in':
      if (input.kind !== 'digit' || !node.bargeIn) {
        b.ignore('digit-not-accepted');
        return;
      }
      b.stopPlay();
      b.pushTypeAhead({ digit: input.digit, source: input.source });
      b.goto(node.next);
      return;
    case 'ignore':
      b.ignore('not-expected');
      return;
  }
}

export const playRuntime: NodeRuntime<'play'> = {
  phases: ['play'],
  enter: (node, b) => enterPlay(node.prompts, node, b),
  onInput: onPlayInput,
};

export const sayRuntime: NodeRuntime<'say'> = {
  phases: ['play'],
  enter: (node, b) => enterPlay([node.say], node, b),
  onInput: onPlayInput,
};
