/**
 * The error catalogue. Codes are stable (scripts match on them); messages say what a person can do.
 * Inside the core errors are values; edges turn them into HTTP 4xx, SIP 4xx/5xx, or CLI messages.
 */
export const ErrorCodes = {
  AGENT_NOT_FOUND: 'HOTLINE_E_AGENT_NOT_FOUND',
  AGENT_NOT_REGISTERED: 'HOTLINE_E_AGENT_NOT_REGISTERED',
  AGENT_ILLEGAL_TRANSITION: 'HOTLINE_E_AGENT_ILLEGAL_TRANSITION',
  AGENT_STATE_CONFLICT: 'HOTLINE_E_AGENT_STATE_CONFLICT',
  CALLER_ILLEGAL_TRANSITION: 'HOTLINE_E_CALLER_ILLEGAL_TRANSITION',
  OFFER_ILLEGAL_TRANSITION: 'HOTLINE_E_OFFER_ILLEGAL_TRANSITION',
  NOT_READY_REASON_INVALID: 'HOTLINE_E_NOT_READY_REASON_INVALID',
  DISPOSITION_INVALID: 'HOTLINE_E_DISPOSITION_INVALID',
  BAD_REQUEST: 'HOTLINE_E_BAD_REQUEST',
  CONFIG_INVALID: 'HOTLINE_E_CONFIG_INVALID',
  FLOW_INVALID: 'HOTLINE_E_FLOW_INVALID',
  QUEUE_NOT_FOUND: 'HOTLINE_E_QUEUE_NOT_FOUND',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface HotlineError {
  code: ErrorCode;
  message: string;
}

export function hotlineError(code: ErrorCode, message: string): HotlineError {
  return { code, message };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: HotlineError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({ ok: false, error: { code, message } });
