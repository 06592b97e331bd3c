/** `hangup` at run time: ends the call at once; the flow never waits here. */
import type { NodeRuntime } from './node-runtime.js';

export const hangupRuntime: NodeRuntime<'hangup'> = {
  phases: [],
  enter(node, b) {
    b.hangup(node.cause);
  },
  onInput(_node, b) {
    b.ignore('flow-ended');
  },
};
