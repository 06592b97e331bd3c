/** `goto`: continues at `target` at once, without waiting for anything. */
import type { NodeKind } from './kind.js';

export const gotoKind: NodeKind<'goto'> = {
  type: 'goto',
  fields: ['target'],
  decode(r, id) {
    return { type: 'goto', id, target: r.target('target', { required: true, immediate: true }) ?? '' };
  },
};
