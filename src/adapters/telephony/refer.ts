/**
 * Blind transfer by REFER (RFC 3515), what both telephony adapters share: reading the Refer-To of a REFER
 * received in a call, and the message/sipfrag bodies of the NOTIFYs that report the transfer's progress.
 */
import type { TransferRequest } from '../../ports/call-control.js';
import { reasonPhrase } from './builtin/sip/message.js';
import { parseNameAddr, unescapeUser } from './builtin/sip/uri.js';

/** The refer-to target, or why the REFER is refused (status and reason phrase). */
export type ReferCheck = { ok: true; referTo: string; target: string } | { ok: false; status: number; reason: string };

/** Pure: what a REFER asks for. Exactly one Refer-To with a SIP URI; a Replaces header means attended transfer. */
export function checkRefer(referTo: readonly string[]): ReferCheck {
  if (referTo.length !== 1) return { ok: false, status: 400, reason: referTo.length === 0 ? 'Missing Refer-To' : 'One Refer-To Only' };
  const addr = parseNameAddr(referTo[0] as string);
  const uri = addr?.sipUri;
  if (!addr || !uri) return { ok: false, status: 400, reason: 'Bad Refer-To' };
  if (uri.headers !== undefined && /(^|&)replaces=/i.test(uri.headers)) return { ok: false, status: 501, reason: 'Attended Transfer Not Supported' };
  const user = uri.user === undefined ? '' : unescapeUser(uri.user);
  if (user === '') return { ok: false, status: 400, reason: 'Refer-To Has No User' };
  return { ok: true, referTo: addr.uri, target: user };
}

/** Subscription-State of the first NOTIFY (the transfer is under way) and of the last (RFC 3515 §2.4.5). */
export const REFER_ACTIVE = 'active;expires=60';
export const REFER_TERMINATED = 'terminated;reason=noresource';
export const SIPFRAG = 'message/sipfrag;version=2.0';

/** A NOTIFY body: the status line of the transfer's outcome so far, e.g. "SIP/2.0 100 Trying". */
export function sipfrag(status: number): string {
  return `SIP/2.0 ${status} ${reasonPhrase(status)}\r\n`;
}

/** The event id of the NOTIFYs of a REFER: its CSeq number (RFC 3515 §2.4.6). */
export function referEventId(cseq: string | undefined): string {
  return cseq?.trim().split(/\s+/)[0] || '1';
}

/**
 * An accepted REFER (202 already sent): tells the phone the transfer is under way (NOTIFY 100, subscription
 * active) and returns the request for the app, whose one outcome becomes the final NOTIFY while the dialog lives.
 * `notify` sends a NOTIFY with this body and Subscription-State in the REFER's dialog.
 */
export function transferUnderWay(
  accepted: { referTo: string; target: string },
  notify: (body: string, subscriptionState: string) => void,
  dialogAlive: () => boolean,
): TransferRequest {
  notify(sipfrag(100), REFER_ACTIVE);
  let reported = false;
  return {
    target: accepted.target,
    referTo: accepted.referTo,
    done(outcome) {
      if (reported || !dialogAlive()) return;
      reported = true;
      notify(sipfrag(outcome.ok ? 200 : outcome.sipStatus), REFER_TERMINATED);
    },
  };
}
