/** `play`: prompts, then `next`. `bargeIn` (default true) lets a key stop the prompt and go on at once. */
import { f } from '../spec.js';
import type { NodeKind } from './kind.js';

export const playKind: NodeKind<'play'> = {
  type: 'play',
  doc: 'Plays prompts (recordings, files or spoken values), then continues at next.',
  fields: [
    f.prompts('prompts', 'prompts to play in order', { required: true, nonEmpty: true }),
    f.boolean('bargeIn', 'a key stops the prompts and is kept for the next menu', true),
    f.target('next', 'node to continue at', { required: true }),
  ],
  decode(r, id) {
    return { type: 'play', id, prompts: r.prompts('prompts'), bargeIn: r.bool('bargeIn'), next: r.target('next') ?? '' };
  },
};
