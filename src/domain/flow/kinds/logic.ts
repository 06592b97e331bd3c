/**
 * `set`, `if` and `switch`: variables and branching over the expression language (expr/). All three move on
 * at once, so their edges are immediate (a loop made only of them is rejected as a goto loop).
 */
import type { Assignment, SwitchCase } from '../model.js';
import { FlowProblemCodes as C } from '../problems.js';
import { f, VARIABLE_HINT, VARIABLE_PATTERN, type FieldSpec } from '../spec.js';
import type { NodeKind } from './kind.js';

export const setKind: NodeKind<'set'> = {
  type: 'set',
  doc: 'Sets variables from templates ("${count + 1}", "vip", "${caller}"), then continues at next.',
  fields: [
    f.custom('values', 'variable → template; a lone ${...} keeps its type (number, true/false)', {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: VARIABLE_PATTERN.source },
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
    }, { required: true }),
    f.target('next', 'node to continue at', { required: true, immediate: true }),
  ],
  decode(r, id) {
    const values: Assignment[] = [];
    const e = r.entry('values');
    if (!e) r.missing('values');
    else if (e.value.kind !== 'map') r.wrongType('values', e.value, 'a map of variable → value');
    else if (e.value.entries.length === 0) r.bad('values', e.value, 'must set at least one variable');
    else {
      for (const v of e.value.entries) {
        if (!VARIABLE_PATTERN.test(v.key)) {
          r.problems.add(C.BAD_VALUE, v.keyPos, `node "${id}": "${v.key}" is not a variable name (${VARIABLE_HINT})`);
          continue;
        }
        r.assigns(v.key, v.keyPos);
        const node = v.value;
        // A bare number, true/false or null keeps its type: a template of one literal expression.
        const value =
          node.kind === 'scalar' && typeof node.value !== 'string'
            ? { parts: [{ expr: { k: 'lit' as const, value: node.value, offset: 0 }, offset: 0 }] }
            : r.templateOf(`values.${v.key}`, node, false);
        if (value) values.push({ variable: v.key, value });
      }
    }
    return { type: 'set', id, values, next: r.target('next') ?? '' };
  },
};

export const ifKind: NodeKind<'if'> = {
  type: 'if',
  doc: 'Continues at "then" when the condition holds, else at "else".',
  fields: [
    f.expr('condition', "an expression such as \"caller_class == 'vip' && now.hour < 20\"", { required: true }),
    f.target('then', 'node when the condition holds', { required: true, immediate: true }),
    f.target('else', 'node otherwise', { required: true, immediate: true }),
  ],
  decode(r, id) {
    return {
      type: 'if',
      id,
      condition: r.expr('condition') ?? { k: 'lit', value: false, offset: 0 },
      then: r.target('then') ?? '',
      else: r.target('else') ?? '',
    };
  },
};

const CASE_SPECS: readonly FieldSpec[] = [
  f.expr('when', 'a condition', { required: true }),
  f.target('goto', 'node when it holds', { required: true, immediate: true }),
];

export const switchKind: NodeKind<'switch'> = {
  type: 'switch',
  doc: 'Continues at the first case whose condition holds, else at default.',
  fields: [
    f.custom('cases', 'conditions tried in order', {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['when', 'goto'], additionalProperties: false, properties: { when: { type: ['string', 'boolean'] }, goto: { type: 'string' } } },
    }, { required: true }),
    f.target('default', 'node when no case holds', { required: true, immediate: true }),
  ],
  decode(r, id) {
    const cases: SwitchCase[] = [];
    const e = r.entry('cases');
    if (!e) r.missing('cases');
    else if (e.value.kind !== 'seq') {
      r.wrongType('cases', e.value, 'a list of { when: condition, goto: node }');
      r.ctx.lostEdges++;
    } else if (e.value.items.length === 0) r.bad('cases', e.value, 'must list at least one case');
    else {
      e.value.items.forEach((item, i) => {
        const label = `cases[${i}]`;
        if (item.kind !== 'map') {
          r.wrongType(label, item, 'a map like { when: "x == 1", goto: node }');
          r.ctx.lostEdges++;
          return;
        }
        const c = r.sub(item, label, item.pos, CASE_SPECS);
        c.rejectUnknown();
        const when = c.expr('when');
        const target = c.target('goto', `${label}.goto`);
        if (when && target !== undefined) cases.push({ when, goto: target });
      });
    }
    return { type: 'switch', id, cases, default: r.target('default') ?? '' };
  },
};
