/** `queue`: optional prompts (not interruptible), then the call goes to an ACD queue and the flow ends. */
import { QUEUE_LIMITS } from '../model.js';
import type { NodeKind } from './kind.js';

export const queueKind: NodeKind<'queue'> = {
  type: 'queue',
  fields: ['queue', 'prompts', 'priority'],
  decode(r, id) {
    return {
      type: 'queue',
      id,
      queue: r.id('queue', true) ?? '',
      prompts: r.prompts('prompts', { required: false, nonEmpty: false }),
      priority:
        r.number('priority', { min: QUEUE_LIMITS.minPriority, max: QUEUE_LIMITS.maxPriority, integer: true }) ??
        QUEUE_LIMITS.defaultPriority,
    };
  },
};
