/** The registry of node runtimes, by node type (the run-time twin of ../kinds/index.ts). */
import type { FlowNode, FlowNodeType, NodeOfType } from '../model.js';
import { gotoRuntime } from './goto.js';
import { hangupRuntime } from './hangup.js';
import { menuRuntime } from './menu.js';
import type { NodeRuntime } from './node-runtime.js';
import { playRuntime } from './play.js';
import { queueRuntime } from './queue.js';

export const NODE_RUNTIMES: { readonly [K in FlowNodeType]: NodeRuntime<K> } = {
  play: playRuntime,
  menu: menuRuntime,
  queue: queueRuntime,
  hangup: hangupRuntime,
  goto: gotoRuntime,
};

/** The runtime for a node, typed to it (TypeScript cannot correlate the union and the map on its own). */
export function runtimeOf<T extends FlowNodeType>(node: NodeOfType<T> & FlowNode): NodeRuntime<T> {
  return NODE_RUNTIMES[node.type as T] as unknown as NodeRuntime<T>;
}
