/**
 * `queue` at run time.
 *
 *   enter ──► queue-prompt ──play-finished──► enqueue (flow over: status queued)
 *     └── no prompts ─────────────────────────► enqueue
 *
 * Queue prompts are short ("please hold") and not interruptible; keys during them are dropped.
 */
import type { NodeRuntime, TransitionTable } from './node-runtime.js';

type QueuePhase = 'queue-prompt';
type QueueAction = 'enqueue' | 'drop-digit' | 'ignore';

export const QUEUE_TABLE: TransitionTable<QueuePhase, QueueAction> = {
  'queue-prompt': { 'play-finished': 'enqueue', digit: 'drop-digit', timer: 'ignore' },
};

export const queueRuntime: NodeRuntime<'queue'> = {
  phases: ['queue-prompt'],
  enter(node, b) {
    if (node.prompts.length === 0) {
      b.enqueue(node.queue, node.priority);
      return;
    }
    b.phase('queue-prompt');
    b.play(node.prompts, false);
  },
  onInput(node, b, input) {
    switch (QUEUE_TABLE['queue-prompt'][input.kind]) {
      case 'enqueue':
        b.enqueue(node.queue, node.priority);
        return;
      case 'drop-digit':
        b.ignore('digit-not-accepted');
        return;
      case 'ignore':
        b.ignore('not-expected');
        return;
    }
  },
};
