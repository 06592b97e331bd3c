/**
 * `collect`: reads digits into a variable, with length limits, a terminator key, first-digit and
 * inter-digit timeouts, validation (a regex and/or a named check), retries, read-back and confirmation.
 */
import { compileRegex } from '../expr/functions.js';
import { COLLECT_LIMITS, MENU_LIMITS, NAMED_CHECKS, type CollectConfirm, type NamedCheck } from '../model.js';
import { FlowProblemCodes as C } from '../problems.js';
import { f, objectSchema, type FieldSpec } from '../spec.js';
import type { FieldReader } from '../fields.js';
import type { NodeKind } from './kind.js';

const secRule = { min: MENU_LIMITS.minTimeoutSec, max: MENU_LIMITS.maxTimeoutSec, integer: false, unit: 'seconds' };
const lengthRule = { min: 1, max: COLLECT_LIMITS.maxLength, integer: true };

const CONFIRM_SPECS: readonly FieldSpec[] = [
  f.prompts('prompts', 'played before the read-back, e.g. "you entered"'),
  f.prompts('question', 'played after it, e.g. "press 1 to confirm, 2 to re-enter"', { required: true, nonEmpty: true }),
  f.key('confirmKey', 'key that accepts the value', { default: '1' }),
  f.key('reenterKey', 'key that asks for the value again', { default: '2' }),
  f.number('timeoutSec', 'wait for the answer; no answer asks for the value again', secRule, { default: MENU_LIMITS.defaultTimeoutSec }),
];

export const collectKind: NodeKind<'collect'> = {
  type: 'collect',
  doc: 'Reads digits into a variable, validates them (regex or named check), with retries, read-back and confirmation.',
  fields: [
    f.variable('into', 'variable that receives the digits', { required: true }),
    f.prompts('prompts', 'asks for the digits'),
    f.number('minLength', 'fewest digits accepted', lengthRule, { default: 1 }),
    f.number('maxLength', 'most digits read; reaching it ends the entry', lengthRule, { default: COLLECT_LIMITS.defaultMaxLength }),
    f.key('terminator', 'key that ends the entry early (null: none)', { default: '#', nullable: true }),
    f.number('firstDigitTimeoutSec', 'wait for the first digit after the prompts', secRule, { default: COLLECT_LIMITS.defaultFirstDigitSec }),
    f.number('interDigitTimeoutSec', 'wait for each next digit; then the entry ends', secRule, { default: COLLECT_LIMITS.defaultInterDigitSec }),
    f.string('pattern', 'regular expression the whole value must match, e.g. ^[0-9]{8}$'),
    f.enum('check', 'a named check: luhn (card numbers) or cn-mobile (Chinese mobile numbers)', NAMED_CHECKS),
    f.number('retries', 'attempts after the first one', { min: 0, max: COLLECT_LIMITS.maxRetries, integer: true }, { default: COLLECT_LIMITS.defaultRetries }),
    f.prompts('invalidPrompts', 'played after a value that fails validation'),
    f.prompts('timeoutPrompts', 'played after no digits'),
    f.boolean('readBack', 'speak the digits back before going on', false),
    f.custom('confirm', 'ask "press 1 to confirm, 2 to re-enter" after the read-back', objectSchema(CONFIRM_SPECS)),
    f.boolean('sensitive', 'mask the value to its last 4 digits in events and logs', false),
    f.target('next', 'node to continue at with a valid value', { required: true }),
    f.target('onFail', 'where to go after the last retry (default: hang up, cause collect-failed)'),
  ],
  decode(r, id) {
    const into = r.str('into') ?? '';
    const minLength = r.num('minLength') ?? 1;
    const maxLength = r.num('maxLength') ?? COLLECT_LIMITS.defaultMaxLength;
    if (r.has('minLength') && r.has('maxLength') && minLength > maxLength) {
      r.problems.add(C.OUT_OF_RANGE, r.entry('minLength')!.value.pos, `node "${id}": "minLength" (${minLength}) is more than "maxLength" (${maxLength})`);
    }
    const terminator = r.dtmf('terminator') ?? null;
    const pattern = r.str('pattern') ?? null;
    if (pattern !== null && compileRegex(pattern) === null) {
      r.problems.add(C.BAD_REGEX, r.entry('pattern')!.value.pos, `node "${id}": invalid regular expression ${JSON.stringify(pattern)}`);
    }
    const sensitive = r.bool('sensitive');
    if (into !== '') r.assigns(into, r.entry('into')!.value.pos, sensitive);
    return {
      type: 'collect',
      id,
      into,
      prompts: r.prompts('prompts'),
      minLength,
      maxLength,
      terminator,
      firstDigitTimeoutSec: r.num('firstDigitTimeoutSec') ?? COLLECT_LIMITS.defaultFirstDigitSec,
      interDigitTimeoutSec: r.num('interDigitTimeoutSec') ?? COLLECT_LIMITS.defaultInterDigitSec,
      pattern,
      check: r.oneOf<NamedCheck>('check') ?? null,
      retries: r.num('retries') ?? COLLECT_LIMITS.defaultRetries,
      invalidPrompts: r.prompts('invalidPrompts'),
      timeoutPrompts: r.prompts('timeoutPrompts'),
      readBack: r.bool('readBack'),
      confirm: decodeConfirm(r, id),
      sensitive,
      next: r.target('next') ?? '',
      onFail: r.target('onFail') ?? null,
    };
  },
};

function decodeConfirm(r: FieldReader, id: string): CollectConfirm | null {
  const e = r.entry('confirm');
  if (!e) return null;
  if (e.value.kind !== 'map') {
    r.wrongType('confirm', e.value, 'a map with "question" (and prompts, confirmKey, reenterKey, timeoutSec)');
    return null;
  }
  const c = r.sub(e.value, 'confirm', e.keyPos, CONFIRM_SPECS);
  c.rejectUnknown();
  const confirmKey = c.dtmf('confirmKey') ?? '1';
  const reenterKey = c.dtmf('reenterKey') ?? '2';
  if (confirmKey === reenterKey) {
    r.problems.add(C.BAD_VALUE, (c.entry('reenterKey') ?? c.entry('confirmKey') ?? e).value.pos, `node "${id}": confirm: "confirmKey" and "reenterKey" must differ`);
  }
  return {
    prompts: c.prompts('prompts'),
    question: c.prompts('question'),
    confirmKey,
    reenterKey,
    timeoutSec: c.num('timeoutSec') ?? MENU_LIMITS.defaultTimeoutSec,
  };
}
