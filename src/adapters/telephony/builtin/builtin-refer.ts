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
import type { SipStack } from './sip/sip-stack.js';
import { checkRefer, referEventId, SIPFRAG, transferUnderWay } from '../refer.js';

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
  const id = referEventId(req.request.headers.get('cseq'));
  const notify = (fragment: string, state: string): void => {
    const request = dialog.createRequest('NOTIFY', {
      body: Buffer.from(fragment),
      contentType: SIPFRAG,
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
  ctx.log.info({ referTo: check.referTo, target: check.target }, 'REFER accepted: blind transfer requested');
  return transferUnderWay(check, notify, () => dialog.state !== 'terminated');
}
