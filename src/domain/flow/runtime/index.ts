/** The registry of node runtimes, by node type (the run-time twin of ../kinds/index.ts). */
import type { FlowNode, FlowNodeType, NodeOfType } from '../model.js';
import { collectRuntime } from './collect.js';
import { httpRuntime } from './http.js';
import {
  callbackRuntime,
  callRuntime,
  gotoRuntime,
  hangupRuntime,
  hoursRuntime,
  ifRuntime,
  languageRuntime,
  returnRuntime,
  setRuntime,
  switchRuntime,
} from './instant.js';
import { menuRuntime } from './menu.js';
import type { NodeRuntime } from './node-runtime.js';
import { playRuntime, sayRuntime } from './play.js';
import { queueRuntime } from './queue.js';
import { transferRuntime } from './transfer.js';
import { voicemailRuntime } from './voicemail.js';

export const NODE_RUNTIMES: { readonly [K in FlowNodeType]: NodeRuntime<K> } = {
  play: playRuntime,
  say: sayRuntime,
  menu: menuRuntime,
  collect: collectRuntime,
  set: setRuntime,
  if: ifRuntime,
  switch: switchRuntime,
  http: httpRuntime,
  hours: hoursRuntime,
  language: languageRuntime,
  queue: queueRuntime,
  transfer: transferRuntime,
  voicemail: voicemailRuntime,
  callback: callbackRuntime,
  hangup: hangupRuntime,
  goto: gotoRuntime,
  call: callRuntime,
  return: returnRuntime,
};

/** The runtime for a node, typed to it (TypeScript cannot correlate the union and the map on its own). */
export function runtimeOf<T extends FlowNodeType>(node: NodeOfType<T> & FlowNode): NodeRuntime<T> {
  return NODE_RUNTIMES[node.type as T] as unknown as NodeRuntime<T>;
}
