/**
 * `menu`: a greeting, then an entry of one or more keys. Options map a key or a digit string to an action
 * (goto a node, back to the previous menu, top to the first one); patterns match entries by regular
 * expression. A menu needs a way out (an entry or an exit target), otherwise a caller could only fail out.
 */
import { compileRegex } from '../expr/functions.js';
import type { FieldReader } from '../fields.js';
import { DTMF_KEYS, isDtmfKey, MENU_LIMITS, type MenuOption, type MenuPattern } from '../model.js';
import { FlowProblemCodes as C } from '../problems.js';
import { f, type FieldSpec, type JsonSchema } from '../spec.js';
import type { SourceNode, SourcePos } from '../source.js';
import type { NodeKind } from './kind.js';

const secRule = { min: MENU_LIMITS.minTimeoutSec, max: MENU_LIMITS.maxTimeoutSec, integer: false, unit: 'seconds' };
const countRule = { min: MENU_LIMITS.minAttempts, max: MENU_LIMITS.maxAttempts, integer: true };

const ACTION_SCHEMA: JsonSchema = {
  oneOf: [
    { type: 'object', required: ['goto'], additionalProperties: false, properties: { goto: { type: 'string' } } },
    { type: 'object', required: ['back'], additionalProperties: false, properties: { back: { const: true } } },
    { type: 'object', required: ['top'], additionalProperties: false, properties: { top: { const: true } } },
  ],
};

const OPTION_SPECS: readonly FieldSpec[] = [
  f.target('goto', 'node to continue at'),
  f.boolean('back', 'back to the menu visited before this one', false),
  f.boolean('top', 'back to the first menu of the call', false),
];

const PATTERN_SPECS: readonly FieldSpec[] = [
  f.string('regex', 'a regular expression matched against the whole entry, e.g. ^8[0-9]{3}$', { required: true }),
  ...OPTION_SPECS,
  f.variable('into', 'variable that receives the digits entered'),
];

export const menuKind: NodeKind<'menu'> = {
  type: 'menu',
  doc: 'Plays a greeting and reads an entry of one or more keys; routes by exact key, digit string or regular expression.',
  fields: [
    f.prompts('prompts', 'the long greeting: first attempt of the first visit'),
    f.prompts('shortPrompts', 'the short greeting: later attempts and visits (default: the long one)'),
    f.prompts('invalidPrompts', 'played after an entry that matches nothing'),
    f.prompts('timeoutPrompts', 'played after no entry'),
    f.prompts('exitPrompts', 'played when the menu gives up, before its exit target'),
    f.number('timeoutSec', 'no-input timeout after the greeting', secRule, { default: MENU_LIMITS.defaultTimeoutSec }),
    f.number('interDigitTimeoutSec', 'wait for the next key of a multi-key entry', secRule, { default: MENU_LIMITS.defaultInterDigitSec }),
    f.number('digitLength', 'keys read at most for one entry (default: the longest option)', { min: 1, max: MENU_LIMITS.maxDigitLength, integer: true }),
    f.number('maxAttempts', 'attempts in all before onFail (default 3 unless maxFailures or maxTimeouts is set)', countRule),
    f.number('maxFailures', 'invalid entries before onMaxFailures', countRule),
    f.number('maxTimeouts', 'timeouts before onMaxTimeouts', countRule),
    f.custom('options', 'entries by exact key or digit string: "1": { goto: sales }, "9": { back: true }, "0": { top: true }', {
      type: 'object',
      propertyNames: { pattern: '^[0-9*#]{1,16}$' },
      additionalProperties: ACTION_SCHEMA,
    }),
    f.custom('patterns', 'entries by regular expression, tried in order after options', {
      type: 'array',
      items: {
        type: 'object',
        required: ['regex'],
        additionalProperties: false,
        properties: { regex: { type: 'string' }, goto: { type: 'string' }, back: { const: true }, top: { const: true }, into: { type: 'string' } },
      },
    }),
    f.target('onFail', 'where to go when a limit is reached (default: hang up, cause menu-failed)'),
    f.target('onMaxFailures', 'where to go after maxFailures invalid entries (default: onFail)'),
    f.target('onMaxTimeouts', 'where to go after maxTimeouts timeouts (default: onFail)'),
  ],
  decode(r, id) {
    const prompts = r.prompts('prompts');
    const shortPrompts = r.prompts('shortPrompts');
    const invalidPrompts = r.prompts('invalidPrompts');
    const timeoutPrompts = r.prompts('timeoutPrompts');
    const exitPrompts = r.prompts('exitPrompts');
    const timeoutSec = r.num('timeoutSec') ?? MENU_LIMITS.defaultTimeoutSec;
    const interDigitTimeoutSec = r.num('interDigitTimeoutSec') ?? MENU_LIMITS.defaultInterDigitSec;
    const split = r.has('maxFailures') || r.has('maxTimeouts');
    const maxAttempts = r.num('maxAttempts') ?? (split ? null : MENU_LIMITS.defaultAttempts);
    const maxFailures = r.num('maxFailures') ?? maxAttempts ?? MENU_LIMITS.defaultAttempts;
    const maxTimeouts = r.num('maxTimeouts') ?? maxAttempts ?? MENU_LIMITS.defaultAttempts;
    const { options, written, longestKey } = decodeOptions(r);
    const patterns = decodePatterns(r);
    const writtenDigitLength = r.num('digitLength');
    const digitLength = writtenDigitLength ?? Math.max(1, longestKey);
    if (writtenDigitLength === undefined && patterns.length > 0 && !r.has('digitLength')) {
      r.problems.add(C.MISSING_FIELD, r.entry('patterns')!.keyPos, `node "${id}": patterns need "digitLength" (how many keys to read at most)`);
    }
    if (writtenDigitLength !== undefined) {
      for (const e of r.mapField('options')?.entries ?? []) {
        if (e.key.length > writtenDigitLength && [...e.key].every(isDtmfKey)) {
          r.problems.add(C.BAD_OPTION_KEY, e.keyPos, `node "${id}": option key "${e.key}" has ${e.key.length} keys but digitLength is ${writtenDigitLength}`);
        }
      }
    }
    const onFail = r.target('onFail') ?? null;
    const onMaxFailures = r.target('onMaxFailures') ?? null;
    const onMaxTimeouts = r.target('onMaxTimeouts') ?? null;
    const exits = ['onFail', 'onMaxFailures', 'onMaxTimeouts'].some((k) => r.has(k));
    if (written === 0 && !r.has('patterns') && !exits) {
      r.problems.add(C.MENU_NO_EXIT, r.anchor, `node "${id}": menu has no way out; add "options" (key → { goto: node }) or an "onFail" target`);
    }
    return {
      type: 'menu',
      id,
      prompts,
      shortPrompts,
      invalidPrompts,
      timeoutPrompts,
      exitPrompts,
      timeoutSec,
      interDigitTimeoutSec,
      digitLength,
      maxAttempts,
      maxFailures,
      maxTimeouts,
      options,
      patterns,
      onFail,
      onMaxFailures,
      onMaxTimeouts,
    };
  },
};

/** Reads `options`; `written` counts entries as written, valid or not, so a bad key is not also "no way out". */
function decodeOptions(r: FieldReader): { options: Record<string, MenuOption>; written: number; longestKey: number } {
  const options: Record<string, MenuOption> = {};
  const e = r.entry('options');
  if (!e) return { options, written: 0, longestKey: 1 };
  if (e.value.kind !== 'map') {
    r.wrongType('options', e.value, 'a map of key → { goto: node }');
    r.ctx.lostEdges++;
    return { options, written: 1, longestKey: 1 };
  }
  let longestKey = 1;
  for (const o of e.value.entries) {
    const label = `options.${o.key}`;
    const keyOk = o.key.length > 0 && o.key.length <= MENU_LIMITS.maxDigitLength && [...o.key].every(isDtmfKey);
    if (!keyOk) {
      r.problems.add(
        C.BAD_OPTION_KEY,
        o.keyPos,
        `${r.subject}: option key ${JSON.stringify(o.key)} is not a DTMF key or digit string (keys ${DTMF_KEYS.join(' ')}; quote "*" and "#" in YAML)`,
      );
    } else longestKey = Math.max(longestKey, o.key.length);
    const option = decodeAction(r, label, o.value, o.keyPos, OPTION_SPECS);
    if (option && keyOk) options[o.key] = option;
  }
  return { options, written: e.value.entries.length, longestKey };
}

function decodeAction(r: FieldReader, label: string, value: SourceNode, anchor: SourcePos, specs: readonly FieldSpec[]): MenuOption | undefined {
  if (value.kind !== 'map') {
    r.wrongType(label, value, 'a map like { goto: node }, { back: true } or { top: true }');
    r.ctx.lostEdges++;
    return undefined;
  }
  const o = r.sub(value, label, anchor, specs);
  o.rejectUnknown();
  const actions = ['goto', 'back', 'top'].filter((k) => o.has(k));
  if (actions.length !== 1) {
    if (actions.length === 0) {
      o.missing('goto');
      r.ctx.lostEdges++;
    } else r.problems.add(C.BAD_VALUE, value.pos, `${o.subject}: give one of goto, back or top, not ${actions.join(' and ')}`);
    return undefined;
  }
  if (actions[0] === 'goto') {
    const target = o.targetOf(`${label}.goto`, o.entry('goto')!.value, false);
    return target === undefined ? undefined : { goto: target };
  }
  const which = actions[0] as 'back' | 'top';
  if (!o.bool(which)) {
    r.problems.add(C.BAD_VALUE, o.entry(which)!.value.pos, `${o.subject}: "${which}" can only be true (leave it out otherwise)`);
    return undefined;
  }
  return which === 'back' ? { back: true } : { top: true };
}

function decodePatterns(r: FieldReader): MenuPattern[] {
  const e = r.entry('patterns');
  if (!e) return [];
  if (e.value.kind !== 'seq') {
    r.wrongType('patterns', e.value, 'a list of { regex, goto }');
    r.ctx.lostEdges++;
    return [];
  }
  const out: MenuPattern[] = [];
  e.value.items.forEach((item, i) => {
    const label = `patterns[${i}]`;
    if (item.kind !== 'map') {
      r.wrongType(label, item, 'a map like { regex: "^8[0-9]{3}$", goto: node }');
      r.ctx.lostEdges++;
      return;
    }
    const p = r.sub(item, label, item.pos, PATTERN_SPECS);
    const regex = p.str('regex');
    if (regex !== undefined && compileRegex(regex) === null) {
      r.problems.add(C.BAD_REGEX, p.entry('regex')!.value.pos, `${p.subject}: invalid regular expression ${JSON.stringify(regex)}`);
    }
    const into = p.str('into') ?? null;
    if (into !== null) p.assigns(into, p.entry('into')!.value.pos);
    const option = decodeAction(r, label, item, item.pos, PATTERN_SPECS);
    if (regex !== undefined && option && compileRegex(regex) !== null) out.push({ regex, option, into });
  });
  return out;
}
