/**
 * REGISTER through drachtio-server, handled by the application's Registrar (the same digest rules, nonces,
 * throttle and bindings as with the built-in engine). drachtio hands us the request as received; we read it
 * with the built-in engine's parser and readRegister (RFC 3261 §10.2), so both adapters translate a REGISTER
 * identically, and answer with what the Registrar decided.
 */
import type { Logger } from 'pino';
import type { Registrar, RegisterRequest, RegisterResponse } from '../../../ports/registrar.js';
import { parseSipMessage } from '../builtin/sip/parser.js';
import { readRegister } from '../builtin/register-request.js';
import { describeError } from './errors.js';
import type { SrfRequest, SrfResponse } from './types.js';

export type RegisterTranslation = { ok: true; request: RegisterRequest } | { ok: false; status: number; reason: string };

/** drachtio's protocol name → the transports agents may register over ('udp' | 'tcp'). */
export function transportOf(protocol: string | undefined): 'udp' | 'tcp' | undefined {
  const p = (protocol ?? '').toLowerCase();
  if (p === 'udp' || p === 'tcp') return p;
  return undefined;
}

/** Reads a REGISTER as drachtio delivers it into the registrar port's RegisterRequest. */
export function translateRegister(req: Pick<SrfRequest, 'raw' | 'protocol' | 'source_address' | 'source_port'>): RegisterTranslation {
  const transport = transportOf(req.protocol);
  if (transport === undefined) return { ok: false, status: 400, reason: `Bad Request (transport ${req.protocol} not supported for agents)` };
  const parsed = parseSipMessage(Buffer.from(req.raw ?? '', 'utf8'));
  if (!parsed.ok || parsed.message.kind !== 'request') return { ok: false, status: 400, reason: 'Bad Request (unreadable REGISTER)' };
  const read = readRegister(parsed.message, { transport, host: req.source_address, port: Number(req.source_port) });
  if (!read.ok) return { ok: false, status: 400, reason: `Bad Request (${read.reason})` };
  return { ok: true, request: read.request };
}

/** The Registrar's headers as drachtio wants them: one value per name (repeated names joined, §7.3.1). */
export function responseHeaders(res: RegisterResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of res.headers) out[name] = name in out ? `${out[name]}, ${value}` : value;
  return out;
}

export function handleRegister(registrar: Registrar | undefined, req: SrfRequest, res: SrfResponse, log: Logger): void {
  try {
    if (registrar === undefined) {
      res.send(503, { headers: { 'Retry-After': '5' } });
      return;
    }
    const t = translateRegister(req);
    if (!t.ok) {
      res.send(t.status, t.reason);
      return;
    }
    const result = registrar.handleRegister(t.request);
    log.debug({ agentId: t.request.aorUser, status: result.status, source: `${req.protocol}:${req.source_address}:${req.source_port}` }, 'REGISTER answered');
    res.send(result.status, result.reason, { headers: responseHeaders(result) });
  } catch (err) {
    log.error({ err: describeError(err) }, 'REGISTER handling failed');
    try {
      res.send(500);
    } catch {
      // the transaction is gone; nothing more to say
    }
  }
}
