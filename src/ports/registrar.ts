/**
 * The registrar port, shared by every telephony adapter: the adapter parses REGISTER and hands over what it
 * read; the registrar checks digest auth (RFC 3261 §22, RFC 2617 / 7616 MD5) and keeps the bindings.
 */
import type { AgentContact } from './call-control.js';

export interface RegisterRequest {
  method: 'REGISTER';
  requestUri: string;
  /** User part of the To URI: the address of record being registered, e.g. "1001". */
  aorUser: string;
  aorDomain: string;
  /** The Contact URI, or '*' for remove-all; undefined for a fetch of bindings. */
  contactUri?: string;
  /** Expires from the Contact param or Expires header, in seconds; undefined if neither was given. */
  expiresSec?: number;
  /** Raw Authorization header value, if any. */
  authorization?: string;
  transport: 'udp' | 'tcp';
  sourceHost: string;
  sourcePort: number;
  callId: string;
  cseq: number;
}

export interface RegisterResponse {
  status: number; // 200, 401, 403, 423, 429 ...
  reason: string;
  /** Extra headers to send (WWW-Authenticate, Contact with expires, Retry-After, Min-Expires ...). */
  headers: Array<[name: string, value: string]>;
}

export interface RegistrationChange {
  agentId: string;
  contact: AgentContact | null; // null: unregistered (expired or Expires: 0)
  reason: 'registered' | 'refreshed' | 'unregistered' | 'expired';
}

export interface Registrar {
  handleRegister(req: RegisterRequest): RegisterResponse;
  /** Current binding for an agent, if registered. */
  contactOf(agentId: string): AgentContact | undefined;
  onChange(fn: (change: RegistrationChange) => void): void;
  close(): void;
}
