/**
 * Life of one call leg of the built-in adapter, as data. Inbound legs start in `offered` (the INVITE is
 * in, 100 Trying sent); outbound legs are created `active` once their 2xx is ACKed.
 *
 *   offered --answer--> preparing --mediaReady--> answering --ack--> active
 *     |                   |                          |   \              |
 *     | reject, cancel,   | cancel, localHangup,     |    localHangup   | bye, localHangup,
 *     | answerTimeout,    | mediaFailed              |        v         | ackTimeout (re-INVITE)
 *     | localHangup       |                          |   byePending     |
 *     v                   v        bye, ackTimeout   |   | ack, ackTimeout, bye
 *   ended <-------------------------------------------+---+--------------+
 *
 * "Final" responses (480/486/487/488 ...) answer the INVITE while no 2xx went out; once a 2xx went out,
 * only a BYE ends the call, and not before the ACK came or 64*T1 passed (§15: no BYE before the ACK).
 * `release` is the app-visible end (media destroyed, onHangup fired); `dropDialog` forgets the dialog.
 */
import type { Table } from './sip/transaction/tables.js';

export type LegState = 'offered' | 'preparing' | 'answering' | 'byePending' | 'active' | 'ended';

export type LegEvent =
  | 'answer'
  | 'reject'
  | 'cancel'
  | 'answerTimeout'
  | 'mediaReady'
  | 'mediaFailed'
  | 'ack'
  | 'ackTimeout'
  | 'bye'
  | 'localHangup';

export type LegAction =
  | 'stopAnswerTimer'
  | 'prepareMedia'
  | 'sendFinal'
  | 'send2xx'
  | 'stop2xx'
  | 'sendBye'
  | 'release'
  | 'dropDialog';

export const LEG_TABLE: Table<LegState, LegEvent, LegAction> = {
  offered: {
    answer: { next: 'preparing', actions: ['stopAnswerTimer', 'prepareMedia'] },
    reject: { next: 'ended', actions: ['stopAnswerTimer', 'sendFinal', 'release'] },
    cancel: { next: 'ended', actions: ['stopAnswerTimer', 'sendFinal', 'release'] },
    answerTimeout: { next: 'ended', actions: ['sendFinal', 'release'] },
    localHangup: { next: 'ended', actions: ['stopAnswerTimer', 'sendFinal', 'release'] },
  },
  preparing: {
    mediaReady: { next: 'answering', actions: ['send2xx'] },
    mediaFailed: { next: 'ended', actions: ['sendFinal', 'release'] },
    reject: { next: 'ended', actions: ['sendFinal', 'release'] },
    cancel: { next: 'ended', actions: ['sendFinal', 'release'] },
    localHangup: { next: 'ended', actions: ['sendFinal', 'release'] },
  },
  answering: {
    ack: { next: 'active', actions: ['stop2xx'] },
    ackTimeout: { next: 'ended', actions: ['sendBye', 'release', 'dropDialog'] },
    bye: { next: 'ended', actions: ['stop2xx', 'release', 'dropDialog'] },
    localHangup: { next: 'byePending', actions: ['release'] },
    cancel: { next: 'answering', actions: [] }, // the 2xx crossed the CANCEL: too late (§9.2)
  },
  byePending: {
    ack: { next: 'ended', actions: ['stop2xx', 'sendBye', 'dropDialog'] },
    ackTimeout: { next: 'ended', actions: ['sendBye', 'dropDialog'] },
    bye: { next: 'ended', actions: ['stop2xx', 'dropDialog'] },
    localHangup: { next: 'byePending', actions: [] }, // idempotent
    cancel: { next: 'byePending', actions: [] },
  },
  active: {
    bye: { next: 'ended', actions: ['release', 'dropDialog'] },
    localHangup: { next: 'ended', actions: ['sendBye', 'release', 'dropDialog'] },
    ackTimeout: { next: 'ended', actions: ['sendBye', 'release', 'dropDialog'] },
    ack: { next: 'active', actions: [] }, // a retransmitted ACK
    cancel: { next: 'active', actions: [] },
  },
  ended: {
    localHangup: { next: 'ended', actions: [] }, // idempotent
    ack: { next: 'ended', actions: [] },
    cancel: { next: 'ended', actions: [] },
    answerTimeout: { next: 'ended', actions: [] },
  },
};
