/**
 * DTMF in SIP INFO bodies, the two legacy formats phones send (there is no RFC for either; RFC 6086 §1 notes
 * their use): `application/dtmf-relay` (`Signal=5\r\nDuration=160`) and `application/dtmf` (just `5`).
 */

const DIGIT_RE = /^[0-9*#A-D]$/;
/** Some phones send events as numbers, like RFC 4733 event codes: 10 = *, 11 = #, 12-15 = A-D. */
const EVENT_CODES = '0123456789*#ABCD';

export const DTMF_INFO_TYPES = ['application/dtmf-relay', 'application/dtmf'] as const;

function normalizeDigit(text: string): string | null {
  const t = text.trim().toUpperCase();
  if (DIGIT_RE.test(t)) return t;
  if (/^\d{1,2}$/.test(t)) return EVENT_CODES[Number(t)] ?? null;
  return null;
}

/**
 * The digit carried by an INFO body, `null` when the content type is one of ours but the body is unusable,
 * or `undefined` when the content type is not a DTMF one.
 */
export function dtmfFromInfo(contentType: string | undefined, body: Buffer): string | null | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = body.toString('utf8');
  if (type === 'application/dtmf-relay') {
    const m = /^\s*signal\s*=\s*(\S+)\s*$/im.exec(text);
    return m ? normalizeDigit(m[1]!) : null;
  }
  if (type === 'application/dtmf') return normalizeDigit(text);
  return undefined;
}
