/**
 * `menu`: prompts, then one key. Options map DTMF keys to targets; a menu needs a way out (an option or
 * `onFail`), otherwise a caller could only ever fail out of it.
 */
import { isDtmfKey, MENU_LIMITS, type DtmfKey, type MenuOption } from '../model.js';
import { FieldReader } from '../fields.js';
import { FlowProblemCodes as C } from '../problems.js';
import type { NodeKind } from './kind.js';

export const menuKind: NodeKind<'menu'> = {
  type: 'menu',
  fields: ['prompts', 'timeoutSec', 'maxAttempts', 'invalidPrompts', 'timeoutPrompts', 'options', 'onFail'],
  decode(r, id) {
    const prompts = r.prompts('prompts', { required: false, nonEmpty: false });
    const timeoutSec =
      r.number('timeoutSec', {
        min: MENU_LIMITS.minTimeoutSec,
        max: MENU_LIMITS.maxTimeoutSec,
        integer: false,
        unit: 'seconds',
      }) ?? MENU_LIMITS.defaultTimeoutSec;
    const maxAttempts =
      r.number('maxAttempts', { min: MENU_LIMITS.minAttempts, max: MENU_LIMITS.maxAttempts, integer: true }) ??
      MENU_LIMITS.defaultAttempts;
    const invalidPrompts = r.prompts('invalidPrompts', { required: false, nonEmpty: false });
    const timeoutPrompts = r.prompts('timeoutPrompts', { required: false, nonEmpty: false });
    const { options, written } = decodeOptions(r);
    const onFail = r.target('onFail', { required: false, immediate: false }) ?? null;
    if (written === 0 && !r.has('onFail')) {
      r.problems.add(
        C.MENU_NO_EXIT,
        r.anchor,
        `node "${id}": menu has no way out; add "options" (key → { goto: node }) or an "onFail" target`,
      );
    }
    return { type: 'menu', id, prompts, timeoutSec, maxAttempts, invalidPrompts, timeoutPrompts, options, onFail };
  },
};

/** Reads `options`; `written` counts entries as written, valid or not, so a bad key is not also "no way out". */
function decodeOptions(r: FieldReader): { options: Partial<Record<DtmfKey, MenuOption>>; written: number } {
  const options: Partial<Record<DtmfKey, MenuOption>> = {};
  const field = r.mapField('options', false);
  if (!field) {
    if (r.has('options')) r.ctx.lostEdges++;
    return { options, written: r.has('options') ? 1 : 0 };
  }
  for (const e of field.value.entries) {
    const label = `options.${e.key}`;
    if (!isDtmfKey(e.key)) {
      r.problems.add(
        C.BAD_OPTION_KEY,
        e.keyPos,
        `${r.subject}: option key ${JSON.stringify(e.key)} is not a DTMF key (one of 0-9, "*", "#"; quote "*" and "#" in YAML)`,
      );
    }
    if (e.value.kind !== 'map') {
      r.wrongType(label, e.value, 'a map like { goto: node }');
      r.ctx.lostEdges++;
      continue;
    }
    const o = new FieldReader(e.value, `${r.subject}: ${label}`, e.keyPos, r.ctx, r.nodeId);
    o.rejectUnknown(['goto']);
    const target = o.target('goto', { required: true, immediate: false, label: `${label}.goto` });
    if (target !== undefined && isDtmfKey(e.key)) options[e.key] = { goto: target };
  }
  return { options, written: field.value.entries.length };
}
