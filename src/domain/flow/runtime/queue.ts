/**
 * `queue` at run time.
 *
 *   enter ──► queue-prompt ──play-finished──► enqueue with routing attributes (flow over: status queued)
 *     └── no prompts ─────────────────────────► enqueue
 *
 * Queue prompts are short ("please hold") and not interruptible; keys during them are dropped.
 */
import type { RoutingAttributes } from '../commands.js';
import { toNumber, toText } from '../expr/functions.js';
import { templateValue } from '../expr/template.js';
import { CALLER_CLASSES, QUEUE_LIMITS, type CallerClass, type QueueNode } from '../model.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';
import type { StepBuilder } from './step.js';

type QueuePhase = 'queue-prompt';
type QueueAction = 'enqueue' | 'drop-digit' | 'ignore';

export const QUEUE_TABLE: TransitionTable<QueuePhase, QueueAction> = {
  'queue-prompt': { 'play-finished': 'enqueue', digit: 'drop-digit', timer: 'ignore' },
};

export const queueRuntime: NodeRuntime<'queue'> = {
  phases: ['queue-prompt'],
  enter(node, b) {
    b.phase('queue-prompt');
    if (b.play(node.prompts, false) === null) enqueue(node, b);
  },
  onInput(node, b, input) {
    if (input.kind !== 'play-finished' && input.kind !== 'digit' && input.kind !== 'timer') return b.ignore('not-expected');
    switch (QUEUE_TABLE['queue-prompt'][input.kind]) {
      case 'enqueue':
        enqueue(node, b);
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

function enqueue(node: QueueNode, b: StepBuilder): void {
  const env = b.env();
  let priority = node.priority;
  if (node.priorityExpr) {
    const n = toNumber(templateValue(node.priorityExpr, env));
    if (n !== null) priority = Math.min(QUEUE_LIMITS.maxPriority, Math.max(QUEUE_LIMITS.minPriority, Math.round(n)));
  }
  const skills = node.skills.map((s) => toText(templateValue(s, env)).trim()).filter((s) => s !== '');
  const cls = node.callerClass ? toText(templateValue(node.callerClass, env)).trim() : '';
  const attrs: RoutingAttributes = {
    ...(skills.length > 0 ? { skills: [...new Set(skills)] } : {}),
    ...((CALLER_CLASSES as readonly string[]).includes(cls) ? { callerClass: cls as CallerClass } : {}),
    language: b.state.language,
  };
  b.enqueue(node.queue, priority, attrs);
}
