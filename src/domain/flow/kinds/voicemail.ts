/** `voicemail` and `callback`: leave a message, or ask to be called back. Both continue at `next`. */
import { VOICEMAIL_LIMITS } from '../model.js';
import { BEEP_FILE } from '../say/index.js';
import { f, TOKEN_PATTERN } from '../spec.js';
import type { NodeKind } from './kind.js';

export const voicemailKind: NodeKind<'voicemail'> = {
  type: 'voicemail',
  doc: 'Plays prompts and a tone, then records a message into a mailbox until the terminator key, maxSec or hang-up.',
  fields: [
    f.string('mailbox', 'mailbox name: recordings go to <dataDir>/voicemail/<mailbox>/', { required: true, pattern: TOKEN_PATTERN, what: 'a word like after-hours (letters, digits, "_", "-", ".")' }),
    f.prompts('prompts', 'played before recording ("leave a message after the tone")'),
    f.boolean('beep', 'a short tone before recording starts', true),
    f.number('maxSec', 'longest message', { min: VOICEMAIL_LIMITS.minSec, max: VOICEMAIL_LIMITS.maxSec, integer: true, unit: 'seconds' }, { default: VOICEMAIL_LIMITS.defaultMaxSec }),
    f.key('terminator', 'key that ends the message (null: none)', { default: '#', nullable: true }),
    f.target('next', 'node after the message (not reached when the caller hangs up)', { required: true }),
  ],
  decode(r, id) {
    const beep = r.bool('beep');
    // The tone is a file like any prompt: the loader checks it exists.
    if (beep) r.ctx.promptUses.push({ nodeId: id, prompt: { kind: 'file', file: BEEP_FILE }, pos: r.entry('beep')?.value.pos ?? r.anchor });
    return {
      type: 'voicemail',
      id,
      mailbox: r.str('mailbox') ?? '',
      prompts: r.prompts('prompts'),
      beep,
      maxSec: r.num('maxSec') ?? VOICEMAIL_LIMITS.defaultMaxSec,
      terminator: r.dtmf('terminator') ?? null,
      next: r.target('next') ?? '',
    };
  },
};

export const callbackKind: NodeKind<'callback'> = {
  type: 'callback',
  doc: 'Records a callback request (event callback.requested) for a number, by default the caller\'s, then continues at next.',
  fields: [
    f.template('number', 'number to call back (default ${caller}); usually collected with check: cn-mobile'),
    f.id('queue', 'queue whose agents should call back'),
    f.target('next', 'node to continue at', { required: true }),
  ],
  decode(r, id) {
    return {
      type: 'callback',
      id,
      number: r.template('number') ?? { parts: [{ expr: { k: 'name', path: ['caller'], offset: 0, length: 6 }, offset: 2 }] },
      queue: r.str('queue') ?? null,
      next: r.target('next') ?? '',
    };
  },
};
