/**
 * Writes SIP messages (RFC 3261 §7): start line, one header field per line, Content-Length always
 * recomputed from the body (§20.14; mandatory on stream transports, §18.3).
 */
import type { SipMessage } from './message.js';

export function serializeMessage(msg: SipMessage): Buffer {
  const startLine =
    msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  let head = startLine + '\r\n';
  for (const h of msg.headers.list()) {
    if (h.key === 'content-length') continue;
    head += `${h.name}: ${h.value}\r\n`;
  }
  head += `Content-Length: ${msg.body.length}\r\n\r\n`;
  return msg.body.length > 0 ? Buffer.concat([Buffer.from(head, 'utf8'), msg.body]) : Buffer.from(head, 'utf8');
}
