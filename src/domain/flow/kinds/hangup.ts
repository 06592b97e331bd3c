/** `hangup`: ends the call with a cause (default `normal`), which ends up in call.ended. */
import { f, TOKEN_PATTERN } from '../spec.js';
import type { NodeKind } from './kind.js';

export const hangupKind: NodeKind<'hangup'> = {
  type: 'hangup',
  doc: 'Ends the call with a cause, recorded in call.ended.',
  fields: [f.string('cause', 'why the call ended, a word such as normal or closed (default normal)', { pattern: TOKEN_PATTERN, what: 'a word like normal or closed (letters, digits, "_", "-", ".")' })],
  decode(r, id) {
    return { type: 'hangup', id, cause: r.str('cause') ?? 'normal' };
  },
};
