/** Reads a REGISTER (RFC 3261 §10.2) into the registrar port's RegisterRequest. */
import type { RegisterRequest } from '../../../ports/registrar.js';
import { addressOf, callIdOf, cseqOf, type SipRequest } from './sip/message.js';
import type { PeerAddress } from './sip/transport/sip-transport.js';
import { parseNameAddr, unescapeUser } from './sip/uri.js';

export type RegisterReadResult = { ok: true; request: RegisterRequest } | { ok: false; reason: string };

function parseSeconds(text: string | null | undefined): number | undefined {
  if (typeof text !== 'string' || !/^\s*\d{1,10}\s*$/.test(text)) return undefined;
  return Number(text.trim());
}

export function readRegister(req: SipRequest, source: PeerAddress): RegisterReadResult {
  const to = addressOf(req, 'to');
  if (to.sipUri === null || to.sipUri.user === undefined) return { ok: false, reason: 'To must be a sip: URI with a user' };
  const contacts = req.headers.getAll('contact');
  let contactUri: string | undefined;
  let contactExpires: number | undefined;
  if (contacts.length > 0) {
    if (contacts.includes('*')) {
      if (contacts.length > 1) return { ok: false, reason: 'Contact * must be alone' };
      contactUri = '*';
    } else {
      // One binding per agent: the first Contact wins (documented in the registrar).
      const first = parseNameAddr(contacts[0]!);
      if (first === null) return { ok: false, reason: 'Malformed Contact' };
      contactUri = first.uri;
      contactExpires = parseSeconds(first.params.get('expires'));
    }
  }
  // §10.2.1.1: a Contact's expires parameter takes precedence over the Expires header.
  const expiresSec = contactExpires ?? parseSeconds(req.headers.get('expires'));
  const request: RegisterRequest = {
    method: 'REGISTER',
    requestUri: req.uri,
    aorUser: unescapeUser(to.sipUri.user),
    aorDomain: to.sipUri.host,
    transport: source.transport,
    sourceHost: source.host,
    sourcePort: source.port,
    callId: callIdOf(req),
    cseq: cseqOf(req).seq,
  };
  if (contactUri !== undefined) request.contactUri = contactUri;
  if (expiresSec !== undefined) request.expiresSec = expiresSec;
  const authorization = req.headers.get('authorization');
  if (authorization !== undefined) request.authorization = authorization;
  return { ok: true, request };
}
