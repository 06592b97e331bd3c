/** `goto` at run time: moves on at once; the flow never waits here. */
import type { NodeRuntime } from './node-runtime.js';

export const gotoRuntime: NodeRuntime<'goto'> = {
  phases: [],
  enter(node, b) {
    b.goto(node.target);
  },
  onInput(_node, b) {
    b.ignore('not-expected');
  },
};
