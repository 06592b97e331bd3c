/**
 * A dial (a callback through the trunk) is a ring to a contact that never registered: the trunk's address stands
 * where an agent phone's registration would. Both adapters place dials this way, so a callback rings, answers,
 * fails and cancels exactly like an agent's phone.
 */
import type { DialRequest, RingRequest } from '../../ports/call-control.js';

export function dialAsRing(req: DialRequest): RingRequest {
  const { uri, host, port, transport } = req.target;
  return {
    callId: req.callId,
    agentId: 'callback',
    contact: { aor: uri, contactUri: uri, transport, sourceHost: host, sourcePort: port, expiresAtMs: Number.MAX_SAFE_INTEGER },
    callerNumber: req.fromNumber,
    ...(req.fromName !== undefined ? { callerName: req.fromName } : {}),
  };
}
