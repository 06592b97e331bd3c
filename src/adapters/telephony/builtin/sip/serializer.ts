/**
 * Writes SIP messages (RFC 3261 §7): start line, header fields, Content-Length always recomputed from the
 * body (§20.14; mandatory on stream transports, §18.3). Consecutive values of a list header are written on
 * one line, comma-separated (§7.3.1); Via keeps one line per hop, as most stacks write it.
 */
import { isListHeader } from './headers.js';
import type { SipMessage } from './message.js';

export function serializeMessage(msg: SipMessage): Buffer {
  const startLine =
    msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines: string[] = [startLine];
  let previousKey = '';
  for (const h of msg.headers.list()) {
    if (h.key === 'content-length') continue;
    if (h.key === previousKey && h.key !== 'via' && isListHeader(h.key)) {
      lines[lines.length - 1] += `, ${h.value}`;
    } else {
      lines.push(`${h.name}: ${h.value}`);
    }
    previousKey = h.key;
  }
  lines.push(`Content-Length: ${msg.body.length}`, '', '');
  const head = Buffer.from(lines.join('\r\n'), 'utf8');
  return msg.body.length > 0 ? Buffer.concat([head, msg.body]) : head;
}
