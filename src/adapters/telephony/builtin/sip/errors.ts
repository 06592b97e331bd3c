/**
 * Catalogue of the SIP stack's error codes. Parse problems are values (see parser.ts), never throws; these
 * errors are for programming mistakes and for transport failures surfaced to transaction users.
 */
export type SipErrorCode =
  | 'HOTLINE_E_SIP_INTERNAL' // a message built by us lacks a header the stack relies on
  | 'HOTLINE_E_SIP_TRANSPORT' // send failed: socket closed, connection refused, unsupported transport
  | 'HOTLINE_E_SIP_TX_ILLEGAL' // an event arrived in a transaction state with no row for it
  | 'HOTLINE_E_SIP_STACK_STATE' // start/close misuse
  | 'HOTLINE_E_SIP_CALL_STATE'; // a CallLeg operation that the leg's state does not allow

export class SipError extends Error {
  readonly code: SipErrorCode;

  constructor(code: SipErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SipError';
    this.code = code;
  }
}
