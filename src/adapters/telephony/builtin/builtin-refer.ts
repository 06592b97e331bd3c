/**
 * Blind transfer by REFER inside a call (RFC 3515): the phone (an agent's softphone pressing "transfer") asks us
 * to send the call to the Refer-To target. We check the request, accept it (202), tell the phone the transfer is
 * under way (NOTIFY "SIP/2.0 100 Trying", subscription active), hand it to the app, and send the app's outcome as
 * the final NOTIFY ("SIP/2.0 200 OK" or the refusal's status; subscription terminated).
 *
 *   REFER ──► one Refer-To, no Replaces? ──no──► 400 / 501        (attended transfer is not taken)
 *             a listener?               ──no──► 603
 *             202 Accepted, NOTIFY 100 ──► app ──done──► NOTIFY 200 | NOTIFY <status>
 */
import type { Logger } from 'pino';
import type { TransferRequest } from '../../../ports/call-control.js';
import type { Dialog } from './sip/dialog.js';
import type { IncomingRequest } from './sip/incoming-request.js';
import { reasonPhrase } from './sip/message.js';
import type { SipStack } from './sip/sip-stack.js';
import { parseNameAddr, unescapeUser } from './sip/uri.js';

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

export interface ReferContext {
  stack: SipStack;
  log: Logger;
}

/** Answers an in-dialog REFER and returns the request for the app, or undefined when it was refused. */
export function acceptRefer(req: IncomingRequest, dialog: Dialog, ctx: ReferContext, hasListener: boolean): TransferRequest | undefined {
  const check = checkRefer(req.request.headers.getAll('refer-to'));
  if (!check.ok) {
    ctx.log.info({ status: check.status, reason: check.reason }, 'REFER refused');
    req.respond(check.status, { reason: check.reason });
    return undefined;
  }
  if (!hasListener) {
    ctx.log.info({ referTo: check.referTo }, 'REFER refused: this call cannot be transferred');
    req.respond(603);
    return undefined;
  }
  req.respond(202);
  const id = req.request.headers.get('cseq')?.trim().split(/\s+/)[0] ?? '1';
  const notify = (fragment: string, state: string): void => {
    const body = Buffer.from(`${fragment}\r\n`);
    const request = dialog.createRequest('NOTIFY', {
      body,
      contentType: 'message/sipfrag;version=2.0',
      headers: [
        ['Event', `refer;id=${id}`],
        ['Subscription-State', state],
      ],
    });
    ctx.stack.sendRequest(request, dialog.destination(), {
      onResponse: () => undefined,
      onTimeout: () => ctx.log.warn('REFER NOTIFY timed out'),
      onTransportError: () => ctx.log.warn('REFER NOTIFY could not be sent'),
    });
  };
  notify('SIP/2.0 100 Trying', 'active;expires=60');
  ctx.log.info({ referTo: check.referTo, target: check.target }, 'REFER accepted: blind transfer requested');
  let reported = false;
  return {
    target: check.target,
    referTo: check.referTo,
    done(outcome) {
      if (reported || dialog.state === 'terminated') return;
      reported = true;
      const status = outcome.ok ? 200 : outcome.sipStatus;
      notify(`SIP/2.0 ${status} ${reasonPhrase(status)}`, 'terminated;reason=noresource');
    },
  };
}
