/**
 * Errors the media engine reports to its callers. Each carries a stable code (HOTLINE_E_MEDIA_*) so the SIP side
 * can map them (e.g. no port → 503) and a message an operator can act on. They cross the worker boundary as
 * `{ code, message }` and are rebuilt on the main thread.
 */
export type MediaErrorCode =
  | 'HOTLINE_E_MEDIA_WAV_FORMAT'
  | 'HOTLINE_E_MEDIA_WAV_READ'
  | 'HOTLINE_E_MEDIA_NO_PORT'
  | 'HOTLINE_E_MEDIA_UNKNOWN_SESSION'
  | 'HOTLINE_E_MEDIA_SESSION_EXISTS'
  | 'HOTLINE_E_MEDIA_RECORDING'
  | 'HOTLINE_E_MEDIA_ENGINE_STATE'
  | 'HOTLINE_E_MEDIA_WORKER';

export class MediaError extends Error {
  override readonly name = 'MediaError';

  constructor(
    readonly code: MediaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SerializedMediaError {
  code: MediaErrorCode;
  message: string;
}

export function serializeMediaError(err: unknown): SerializedMediaError {
  if (err instanceof MediaError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'HOTLINE_E_MEDIA_WORKER', message };
}

export function deserializeMediaError(err: SerializedMediaError): MediaError {
  return new MediaError(err.code, err.message);
}
