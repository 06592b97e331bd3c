/**
 * `play` at run time.
 *
 *   enter ──► play ──play-finished (any outcome)──► next
 *              │
 *              └──digit──► bargeIn: stop-play, keep the key as type-ahead, next
 *                          no bargeIn: ignored (the key is dropped)
 *
 * The media adapter may report the barge-in playback as `interrupted` before or after the digit itself.
 * Digit first is the usual order and keeps the key for the next menu; outcome first moves on and the digit
 * then reaches the next node — a menu takes it as a key press either way.
 */
import type { NodeRuntime, TransitionTable } from './node-runtime.js';

type PlayPhase = 'play';
type PlayAction = 'next' | 'barge-in' | 'ignore';

export const PLAY_TABLE: TransitionTable<PlayPhase, PlayAction> = {
  play: { 'play-finished': 'next', digit: 'barge-in', timer: 'ignore' },
};

export const playRuntime: NodeRuntime<'play'> = {
  phases: ['play'],
  enter(node, b) {
    if (node.prompts.length === 0) {
      b.goto(node.next);
      return;
    }
    b.phase('play');
    b.play(node.prompts, node.bargeIn);
  },
  onInput(node, b, input) {
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
  },
};
