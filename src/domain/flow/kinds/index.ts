/** The registry of node kinds the flow language knows, by `type`. */
import type { FlowNodeType } from '../model.js';
import { gotoKind } from './goto.js';
import { hangupKind } from './hangup.js';
import type { NodeKind } from './kind.js';
import { menuKind } from './menu.js';
import { playKind } from './play.js';
import { queueKind } from './queue.js';

export const NODE_KINDS: { readonly [K in FlowNodeType]: NodeKind<K> } = {
  play: playKind,
  menu: menuKind,
  queue: queueKind,
  hangup: hangupKind,
  goto: gotoKind,
};

export const NODE_TYPES = Object.keys(NODE_KINDS) as FlowNodeType[];

export function isNodeType(s: string): s is FlowNodeType {
  return Object.prototype.hasOwnProperty.call(NODE_KINDS, s);
}
