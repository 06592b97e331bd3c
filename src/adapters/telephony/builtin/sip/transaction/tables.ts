/**
 * The four transaction state machines of RFC 3261 §17 (with the "Accepted" state of RFC 6026 §7), as data.
 * A row says: in this state, on this event, go to `next` and run `actions` in order. An event with no row in
 * the current state is an illegal transition: the transaction logs HOTLINE_E_SIP_TX_ILLEGAL and stays put.
 * Retransmissions that the RFC says to swallow have explicit "absorb" rows (no actions).
 */

export interface Row<S extends string, A extends string> {
  readonly next: S;
  readonly actions: readonly A[];
}

export type Table<S extends string, E extends string, A extends string> = {
  readonly [state in S]: { readonly [event in E]?: Row<S, A> };
};

export function lookup<S extends string, E extends string, A extends string>(
  table: Table<S, E, A>,
  state: S,
  event: E,
): Row<S, A> | undefined {
  return table[state][event];
}

/*
 * INVITE client transaction (§17.1.1, RFC 6026 §7.2)
 *
 *              INVITE sent, start A (UDP) and B
 *                         |
 *            A: resend    v        B or transport error: tell TU
 *          +--------- [calling] ---------------------------------------+
 *          |              |  \  2xx: to TU, start M                    |
 *          +------------->|   +-------------------+                    |
 *                   1xx   v                       v                    |
 *               +--- [proceeding] --2xx--> [accepted] --M--------->+    |
 *   1xx: to TU  +------>  |                  2xx: to TU            |    |
 *                 300-699 |  (from calling too): ACK, to TU, start D |   |
 *                         v                                        v    v
 *          300-699: ACK [completed] ----------D------------> [terminated]
 */
export type IctState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';
export type IctEvent = 'timerA' | 'timerB' | 'timerD' | 'timerM' | '1xx' | '2xx' | '3xx-6xx' | 'transportError';
export type IctAction =
  | 'retransmitRequest'
  | 'startA'
  | 'stopA'
  | 'stopB'
  | 'passToTu'
  | 'sendAck'
  | 'startD'
  | 'startM'
  | 'reportTimeout'
  | 'reportTransportError';

export const INVITE_CLIENT_TABLE: Table<IctState, IctEvent, IctAction> = {
  calling: {
    timerA: { next: 'calling', actions: ['retransmitRequest', 'startA'] },
    timerB: { next: 'terminated', actions: ['stopA', 'reportTimeout'] },
    '1xx': { next: 'proceeding', actions: ['stopA', 'stopB', 'passToTu'] },
    '2xx': { next: 'accepted', actions: ['stopA', 'stopB', 'passToTu', 'startM'] },
    '3xx-6xx': { next: 'completed', actions: ['stopA', 'stopB', 'sendAck', 'passToTu', 'startD'] },
    transportError: { next: 'terminated', actions: ['stopA', 'stopB', 'reportTransportError'] },
  },
  proceeding: {
    '1xx': { next: 'proceeding', actions: ['passToTu'] },
    '2xx': { next: 'accepted', actions: ['passToTu', 'startM'] },
    '3xx-6xx': { next: 'completed', actions: ['sendAck', 'passToTu', 'startD'] },
    transportError: { next: 'terminated', actions: ['reportTransportError'] },
  },
  completed: {
    '1xx': { next: 'completed', actions: [] }, // absorb a late provisional
    '3xx-6xx': { next: 'completed', actions: ['sendAck'] }, // §17.1.1.2: retransmitted final → ACK again
    timerD: { next: 'terminated', actions: [] },
    transportError: { next: 'terminated', actions: ['reportTransportError'] },
  },
  accepted: {
    '1xx': { next: 'accepted', actions: [] },
    '2xx': { next: 'accepted', actions: ['passToTu'] }, // RFC 6026: the TU re-sends its ACK
    '3xx-6xx': { next: 'accepted', actions: [] },
    timerM: { next: 'terminated', actions: [] },
    transportError: { next: 'accepted', actions: [] }, // the ACK is the TU's, not ours
  },
  terminated: {},
};

/*
 * Non-INVITE client transaction (§17.1.2)
 *
 *          request sent, start E (UDP) and F
 *                        |
 *      E: resend, E*=2   v      F or transport error: tell TU
 *        +---------- [trying] ----------------------------------+
 *        +--------------> |  \ 200-699: to TU, start K          |
 *                    1xx  v   +----------------------+          |
 *      E: resend (T2) [proceeding] --200-699-------->|          |
 *      1xx: to TU          | F or transport error    v          v
 *                          +-------------------> [completed] -K-> [terminated]
 */
export type NictState = 'trying' | 'proceeding' | 'completed' | 'terminated';
export type NictEvent = 'timerE' | 'timerF' | 'timerK' | '1xx' | 'final' | 'transportError';
export type NictAction =
  | 'retransmitRequest'
  | 'startE'
  | 'startET2'
  | 'stopE'
  | 'stopF'
  | 'passToTu'
  | 'startK'
  | 'reportTimeout'
  | 'reportTransportError';

export const NON_INVITE_CLIENT_TABLE: Table<NictState, NictEvent, NictAction> = {
  trying: {
    timerE: { next: 'trying', actions: ['retransmitRequest', 'startE'] },
    timerF: { next: 'terminated', actions: ['stopE', 'reportTimeout'] },
    '1xx': { next: 'proceeding', actions: ['passToTu'] },
    final: { next: 'completed', actions: ['stopE', 'stopF', 'passToTu', 'startK'] },
    transportError: { next: 'terminated', actions: ['stopE', 'stopF', 'reportTransportError'] },
  },
  proceeding: {
    timerE: { next: 'proceeding', actions: ['retransmitRequest', 'startET2'] },
    timerF: { next: 'terminated', actions: ['stopE', 'reportTimeout'] },
    '1xx': { next: 'proceeding', actions: ['passToTu'] },
    final: { next: 'completed', actions: ['stopE', 'stopF', 'passToTu', 'startK'] },
    transportError: { next: 'terminated', actions: ['stopE', 'stopF', 'reportTransportError'] },
  },
  completed: {
    '1xx': { next: 'completed', actions: [] }, // absorb retransmissions
    final: { next: 'completed', actions: [] },
    timerK: { next: 'terminated', actions: [] },
  },
  terminated: {},
};

/*
 * INVITE server transaction (§17.2.1, RFC 6026 §7.1)
 *
 *                 INVITE received: 100 Trying, pass to TU
 *                         |
 *   INVITE: resend last   v   TU 2xx: send, start L
 *      +-------------- [proceeding] ------------------> [accepted] --L--+
 *      +-------------->  |  TU 1xx: send                  INVITE: absorb |
 *            TU 300-699: | send, start G (UDP), H        TU 2xx: send    |
 *                        v                               ACK: to TU      |
 *   INVITE: resend,  [completed] --H or transport error: tell TU ----+  |
 *   G: resend, G*=2      | ACK: start I                              v  v
 *                        v                                        [terminated]
 *                   [confirmed] ---I--------------------------------->^
 */
export type IstState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';
export type IstEvent =
  | 'request'
  | 'ack'
  | 'tu1xx'
  | 'tu2xx'
  | 'tu3xx-6xx'
  | 'timerG'
  | 'timerH'
  | 'timerI'
  | 'timerL'
  | 'transportError';
export type IstAction =
  | 'sendResponse'
  | 'resendLastResponse'
  | 'startG'
  | 'stopG'
  | 'startH'
  | 'stopH'
  | 'startI'
  | 'startL'
  | 'passAckToTu'
  | 'reportTimeout'
  | 'reportTransportError';

export const INVITE_SERVER_TABLE: Table<IstState, IstEvent, IstAction> = {
  proceeding: {
    request: { next: 'proceeding', actions: ['resendLastResponse'] },
    tu1xx: { next: 'proceeding', actions: ['sendResponse'] },
    tu2xx: { next: 'accepted', actions: ['sendResponse', 'startL'] },
    'tu3xx-6xx': { next: 'completed', actions: ['sendResponse', 'startG', 'startH'] },
    transportError: { next: 'terminated', actions: ['reportTransportError'] },
  },
  completed: {
    request: { next: 'completed', actions: ['resendLastResponse'] },
    ack: { next: 'confirmed', actions: ['stopG', 'stopH', 'startI'] },
    timerG: { next: 'completed', actions: ['resendLastResponse', 'startG'] },
    timerH: { next: 'terminated', actions: ['stopG', 'reportTimeout'] },
    transportError: { next: 'terminated', actions: ['stopG', 'stopH', 'reportTransportError'] },
  },
  confirmed: {
    request: { next: 'confirmed', actions: [] }, // absorb
    ack: { next: 'confirmed', actions: [] },
    timerI: { next: 'terminated', actions: [] },
  },
  accepted: {
    request: { next: 'accepted', actions: [] }, // RFC 6026 §7.1: absorb INVITE retransmissions
    ack: { next: 'accepted', actions: ['passAckToTu'] },
    tu2xx: { next: 'accepted', actions: ['sendResponse'] }, // the TU's 2xx retransmissions
    timerL: { next: 'terminated', actions: [] },
    transportError: { next: 'accepted', actions: [] }, // the TU notices a missing ACK itself
  },
  terminated: {},
};

/*
 * Non-INVITE server transaction (§17.2.2)
 *
 *                 request received: pass to TU
 *                        |
 *    request: absorb     v      TU 200-699: send, start J
 *        +---------- [trying] ----------------------------+
 *        +-------------> | TU 1xx: send                   |
 *                        v                                v
 *  request: resend  [proceeding] --TU 200-699: send--> [completed] --J--> [terminated]
 *  TU 1xx: send                              request: resend last
 */
export type NistState = 'trying' | 'proceeding' | 'completed' | 'terminated';
export type NistEvent = 'request' | 'tu1xx' | 'tuFinal' | 'timerJ' | 'transportError';
export type NistAction = 'sendResponse' | 'resendLastResponse' | 'startJ' | 'reportTransportError';

export const NON_INVITE_SERVER_TABLE: Table<NistState, NistEvent, NistAction> = {
  trying: {
    request: { next: 'trying', actions: [] },
    tu1xx: { next: 'proceeding', actions: ['sendResponse'] },
    tuFinal: { next: 'completed', actions: ['sendResponse', 'startJ'] },
    transportError: { next: 'terminated', actions: ['reportTransportError'] },
  },
  proceeding: {
    request: { next: 'proceeding', actions: ['resendLastResponse'] },
    tu1xx: { next: 'proceeding', actions: ['sendResponse'] },
    tuFinal: { next: 'completed', actions: ['sendResponse', 'startJ'] },
    transportError: { next: 'terminated', actions: ['reportTransportError'] },
  },
  completed: {
    request: { next: 'completed', actions: ['resendLastResponse'] },
    timerJ: { next: 'terminated', actions: [] },
    transportError: { next: 'terminated', actions: ['reportTransportError'] },
  },
  terminated: {},
};
