/** `goto`: continues at `target` at once, without waiting for anything. */
import { f } from '../spec.js';
import type { NodeKind } from './kind.js';

export const gotoKind: NodeKind<'goto'> = {
  type: 'goto',
  doc: 'Continues at another node at once.',
  fields: [f.target('target', 'node to continue at', { required: true, immediate: true })],
  decode(r, id) {
    return { type: 'goto', id, target: r.target('target') ?? '' };
  },
};
