/** The registry of node kinds the flow language knows, by `type`. */
import type { FlowNodeType } from '../model.js';
import { callKind, returnKind } from './call.js';
import { collectKind } from './collect.js';
import { gotoKind } from './goto.js';
import { hangupKind } from './hangup.js';
import { hoursKind } from './hours.js';
import { httpKind } from './http.js';
import type { NodeKind } from './kind.js';
import { languageKind } from './language.js';
import { ifKind, setKind, switchKind } from './logic.js';
import { menuKind } from './menu.js';
import { playKind } from './play.js';
import { queueKind } from './queue.js';
import { sayKind } from './say.js';
import { transferKind } from './transfer.js';
import { callbackKind, voicemailKind } from './voicemail.js';

export const NODE_KINDS: { readonly [K in FlowNodeType]: NodeKind<K> } = {
  play: playKind,
  say: sayKind,
  menu: menuKind,
  collect: collectKind,
  set: setKind,
  if: ifKind,
  switch: switchKind,
  http: httpKind,
  hours: hoursKind,
  language: languageKind,
  queue: queueKind,
  transfer: transferKind,
  voicemail: voicemailKind,
  callback: callbackKind,
  hangup: hangupKind,
  goto: gotoKind,
  call: callKind,
  return: returnKind,
};

export const NODE_TYPES = Object.keys(NODE_KINDS) as FlowNodeType[];

export function isNodeType(s: string): s is FlowNodeType {
  return Object.prototype.hasOwnProperty.call(NODE_KINDS, s);
}
