/** `call` and `return`: sub-flows. A call enters the sub-flow at `sub`; its `return` continues at `next`. */
import { f } from '../spec.js';
import type { NodeKind } from './kind.js';

export const callKind: NodeKind<'call'> = {
  type: 'call',
  doc: 'Enters a sub-flow at the node "sub"; when the sub-flow reaches a return node, continues at next.',
  fields: [
    f.target('sub', 'first node of the sub-flow', { required: true }),
    f.target('next', 'node to continue at when the sub-flow returns', { required: true }),
  ],
  decode(r, id) {
    const subEntry = r.entry('sub');
    let sub = '';
    if (subEntry) sub = r.targetOf('sub', subEntry.value, true, true) ?? '';
    else {
      r.missing('sub');
      r.ctx.lostEdges++;
    }
    return { type: 'call', id, sub, next: r.target('next') ?? '' };
  },
};

export const returnKind: NodeKind<'return'> = {
  type: 'return',
  doc: 'Ends a sub-flow: continues at the next of the call node that entered it.',
  fields: [],
  decode(_r, id) {
    return { type: 'return', id };
  },
};
