/** Errors of the drachtio-freeswitch adapter, with stable codes (logs and operators match on them). */
export type DfsErrorCode =
  | 'HOTLINE_E_DFS_NOT_RUNNING'
  | 'HOTLINE_E_DFS_CALL_STATE'
  | 'HOTLINE_E_DFS_MEDIA_SERVER'
  | 'HOTLINE_E_DFS_PROMPT_NOT_FOUND'
  | 'HOTLINE_E_DFS_TIMEOUT'
  | 'HOTLINE_E_DFS_LIBRARY';

export class DfsError extends Error {
  constructor(
    readonly code: DfsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DfsError';
  }
}

/** A readable one-liner for logs from whatever a library threw or rejected with. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** The SIP status of a drachtio SipError (createUAC/createUAS rejections), if it is one. */
export function sipStatusOf(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'status' in err) {
    const status = (err as { status: unknown }).status;
    if (typeof status === 'number' && Number.isInteger(status)) return status;
  }
  return undefined;
}
