/** `hangup`: ends the call with a cause (default `normal`), which ends up in call.ended. */
import type { NodeKind } from './kind.js';

/** Causes are tokens: they go into events and logs unquoted. */
const CAUSE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const hangupKind: NodeKind<'hangup'> = {
  type: 'hangup',
  fields: ['cause'],
  decode(r, id) {
    const cause = r.matching('cause', false, CAUSE_PATTERN, 'a word like normal or closed (letters, digits, "_", "-", ".")');
    return { type: 'hangup', id, cause: cause ?? 'normal' };
  },
};
