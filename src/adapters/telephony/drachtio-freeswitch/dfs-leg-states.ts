/**
 * Life of one call leg of the drachtio-freeswitch adapter, as data. An inbound leg starts `offered` (the
 * INVITE is in; drachtio-server sent 100 Trying); an agent leg starts `active` once its ring was answered and
 * its FreeSWITCH channel took the agent's SDP.
 *
 *   offered --answer--> answering --answered--> active
 *     |                   |                        |
 *     | reject, cancel,   | answerFailed, cancel,  | bye (far end), localHangup,
 *     | answerTimeout,    | reject, localHangup    | mediaGone (FreeSWITCH ended the channel)
 *     | localHangup       |                        |
 *     v                   v                        v
 *   ended <---------------+------------------------+
 *
 * drachtio-server answers a CANCEL (200, then 487 to the INVITE) and retransmits our 2xx until the ACK, so
 * the SIP details the built-in leg table handles (byePending, ackTimeout) are not ours. What stays ours: the
 * final response when we refuse, the BYE when we end an answered leg, and the FreeSWITCH channel.
 * `release` is the app-visible end (onHangup fires once, with who and why).
 */
import type { Table } from '../builtin/sip/transaction/tables.js';

export type DfsLegState = 'offered' | 'answering' | 'active' | 'ended';

export type DfsLegEvent =
  | 'answer'
  | 'answered'
  | 'answerFailed'
  | 'reject'
  | 'cancel'
  | 'answerTimeout'
  | 'bye'
  | 'localHangup'
  | 'mediaGone';

export type DfsLegAction =
  | 'stopAnswerTimer'
  | 'connectMedia'
  | 'sendFinal'
  | 'sendBye'
  | 'releaseChannel'
  | 'release';

export const DFS_LEG_TABLE: Table<DfsLegState, DfsLegEvent, DfsLegAction> = {
  offered: {
    answer: { next: 'answering', actions: ['stopAnswerTimer', 'connectMedia'] },
    reject: { next: 'ended', actions: ['stopAnswerTimer', 'sendFinal', 'release'] },
    cancel: { next: 'ended', actions: ['stopAnswerTimer', 'release'] },
    answerTimeout: { next: 'ended', actions: ['sendFinal', 'release'] },
    localHangup: { next: 'ended', actions: ['stopAnswerTimer', 'sendFinal', 'release'] },
  },
  answering: {
    answered: { next: 'active', actions: [] },
    // The caller's dialog may already exist (2xx sent): sendFinal then sends BYE instead (see the leg).
    answerFailed: { next: 'ended', actions: ['sendFinal', 'releaseChannel', 'release'] },
    reject: { next: 'ended', actions: ['sendFinal', 'releaseChannel', 'release'] },
    cancel: { next: 'ended', actions: ['releaseChannel', 'release'] },
    localHangup: { next: 'ended', actions: ['sendFinal', 'releaseChannel', 'release'] },
  },
  active: {
    bye: { next: 'ended', actions: ['releaseChannel', 'release'] },
    localHangup: { next: 'ended', actions: ['sendBye', 'releaseChannel', 'release'] },
    mediaGone: { next: 'ended', actions: ['sendBye', 'releaseChannel', 'release'] },
    cancel: { next: 'active', actions: [] }, // a CANCEL that crossed our 2xx: too late (§9.2)
  },
  ended: {
    localHangup: { next: 'ended', actions: [] }, // idempotent
    cancel: { next: 'ended', actions: [] },
    bye: { next: 'ended', actions: [] },
    mediaGone: { next: 'ended', actions: [] },
    answerTimeout: { next: 'ended', actions: [] },
    answered: { next: 'ended', actions: [] }, // media came up after the call ended: the leg cleans it up
    answerFailed: { next: 'ended', actions: [] },
  },
};
