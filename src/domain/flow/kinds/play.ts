/** `play`: prompts, then `next`. `bargeIn` (default true) lets a key stop the prompt and go on at once. */
import type { NodeKind } from './kind.js';

export const playKind: NodeKind<'play'> = {
  type: 'play',
  fields: ['prompts', 'bargeIn', 'next'],
  decode(r, id) {
    return {
      type: 'play',
      id,
      prompts: r.prompts('prompts', { required: true, nonEmpty: true }),
      bargeIn: r.boolean('bargeIn') ?? true,
      next: r.target('next', { required: true, immediate: false }) ?? '',
    };
  },
};
