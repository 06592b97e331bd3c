/** The flow expression language: parsing with offsets, total evaluation, load-time name checks, templates. */
import { describe, expect, it } from 'vitest';
import { checkExpr, type NameScope } from '../../../src/domain/flow/expr/check.js';
import { evaluate, type ExprEnv } from '../../../src/domain/flow/expr/evaluate.js';
import { parseExpr, type ExprValue } from '../../../src/domain/flow/expr/parser.js';
import { parseTemplate, renderTemplate, templateValue } from '../../../src/domain/flow/expr/template.js';

const VARS: Record<string, ExprValue> = {
  count: '3',
  order_id: '0012',
  status: 'shipped',
  vip: true,
  empty: '',
  none: null,
  balance: 12.5,
};

const env: ExprEnv = {
  lookup(path) {
    const key = path.join('.');
    if (key === 'caller') return '13800138000';
    if (key === 'now.hour') return 21;
    if (key === 'now.time') return '21:05';
    return Object.hasOwn(VARS, key) ? VARS[key] : undefined;
  },
};

const scope: NameScope = { hasVariable: (n) => Object.hasOwn(VARS, n), allNames: () => Object.keys(VARS) };

function ev(text: string): ExprValue {
  const p = parseExpr(text);
  if (!p.ok) throw new Error(`${p.error.offset}: ${p.error.message}`);
  return evaluate(p.expr, env);
}

function syntaxError(text: string): [number, string] {
  const p = parseExpr(text);
  if (p.ok) throw new Error('parsed');
  return [p.error.offset, p.error.message];
}

function problems(text: string): Array<[number, string]> {
  const p = parseExpr(text);
  if (!p.ok) throw new Error(p.error.message);
  return checkExpr(p.expr, scope).map((x) => [x.offset, x.message]);
}

describe('evaluation', () => {
  const cases: Array<[string, ExprValue]> = [
    ["status == 'shipped'", true],
    ["status != 'shipped'", false],
    ['count == 3', true],
    ["count == '3'", true],
    ['count + 1', 4],
    ["'A-' + order_id", 'A-0012'],
    ['order_id + order_id', '00120012'],
    ['balance * 2', 25],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['-count', -3],
    ['10 % 4', 2],
    ['1 / 0', null],
    ["'x' - 1", null],
    ['now.hour >= 20 && vip', true],
    ["now.time >= '09:00' and now.time < '21:00'", false],
    ['not vip or count > 2', true],
    ['!empty', true],
    ['none == null', true],
    ['none < 3', false],
    ["status in ['pending', 'shipped']", true],
    ["status not in ['pending', 'shipped']", false],
    ['count in [1, 2, 3]', true],
    ["vip ? 'vip' : 'normal'", 'vip'],
    ["empty ? 'a' : none ? 'b' : 'c'", 'c'],
    ["startsWith(caller, '138')", true],
    ["matches(caller, '^1[3-9][0-9]{9}$')", true],
    ['len(order_id)', 4],
    ['last(caller, 4)', '8000'],
    ["substr(caller, 0, 3)", '138'],
    ["coalesce(none, empty, 'fallback')", 'fallback'],
    ['isEmpty(empty) && isEmpty(none)', true],
    ['number(order_id) + 1', 13],
    ['round(balance)', 13],
    ['max(count, 7)', 7],
    ["upper('ab') + lower('CD')", 'ABcd'],
    ['unknown_at_runtime', null],
    ["'it\\'s'", "it's"],
  ];
  for (const [text, expected] of cases) {
    it(`${text} → ${JSON.stringify(expected)}`, () => expect(ev(text)).toEqual(expected));
  }
});

describe('syntax errors carry the offset of the mistake', () => {
  const cases: Array<[string, number, string]> = [
    ["status == 'shipped", 10, 'string not closed'],
    ['count ==', 8, 'the expression ends too early'],
    ['count === 3', 6, 'write =='],
    ['a < b < c', 6, 'comparisons do not chain'],
    ['(count + 1', 10, 'expected a closing ")"'],
    ['count # 1', 6, 'unexpected character "#"'],
    ['1abc', 0, 'a name cannot start with a digit'],
    ['count 3', 6, 'unexpected "3" after a complete expression'],
    ['', 0, 'empty expression'],
    ['vip ? 1', 7, 'expected the ":"'],
    ["'\\q'", 1, 'unknown escape'],
    ['and x', 0, '"and" needs something before it'],
  ];
  for (const [text, offset, fragment] of cases) {
    it(JSON.stringify(text), () => {
      const [o, m] = syntaxError(text);
      expect(m).toContain(fragment);
      expect(o).toBe(offset);
    });
  }

  it('refuses absurd nesting instead of recursing without bound', () => {
    expect(syntaxError(`${'('.repeat(100)}1${')'.repeat(100)}`)[1]).toContain('nested deeper');
    expect(syntaxError(`${'!'.repeat(100)}vip`)[1]).toContain('nested deeper');
  });
});

describe('load-time checks', () => {
  it('accepts known variables, built-ins and functions', () => {
    expect(problems("vip && startsWith(caller, '1') && now.weekday < 6 && flow.version != ''")).toEqual([]);
  });

  it('reports unknown variables with a hint, at their offset', () => {
    expect(problems("stauts == 'x'")).toEqual([[0, 'unknown variable "stauts" (did you mean "status"?); declare it under "variables" or set it in a node']]);
  });

  it('reports unknown built-in fields and bare roots', () => {
    expect(problems('now.hours > 3')[0]).toEqual([0, expect.stringContaining('unknown name "now.hours" (did you mean "now.hour"?)')]);
    expect(problems('now > 3')[0]![1]).toContain('"now" alone is not a value');
    expect(problems('status.code == 1')[0]![1]).toContain('variables have no fields');
  });

  it('checks functions, arity and regex literals', () => {
    expect(problems('uper(status)')[0]![1]).toContain('unknown function uper() (did you mean "upper"?)');
    expect(problems('len(status, 2)')).toEqual([[0, 'len() takes 1 argument, got 2']]);
    expect(problems("matches(status, '[')")).toEqual([[16, 'invalid regular expression "["']]);
    expect(problems('matches(status, status)')).toEqual([[16, 'argument 2 of matches() must be a quoted text']]);
  });

  it('allows lists only after in', () => {
    expect(problems('[1, 2] == 1')).toEqual([[0, 'a list [...] can only follow "in"']]);
    expect(problems('count in status')).toEqual([[9, '"in" needs a list: x in [\'a\', \'b\']']]);
  });
});

describe('templates', () => {
  function tpl(text: string) {
    const t = parseTemplate(text);
    if (!t.ok) throw new Error(t.error.message);
    return t.template;
  }

  it('renders text and expressions, encoding only the expressions', () => {
    expect(renderTemplate(tpl('/orders/${order_id}?s=${status + " x"}'), env, encodeURIComponent)).toBe('/orders/0012?s=shipped%20x');
    expect(renderTemplate(tpl('cost: $${not} ${balance}'), env)).toBe('cost: ${not} 12.5');
  });

  it('keeps the type of a lone expression', () => {
    expect(templateValue(tpl('${count + 1}'), env)).toBe(4);
    expect(templateValue(tpl('${vip}'), env)).toBe(true);
    expect(templateValue(tpl('n=${count}'), env)).toBe('n=3');
    expect(templateValue(tpl('plain'), env)).toBe('plain');
  });

  it('skips "}" inside quoted strings', () => {
    expect(renderTemplate(tpl("${status == '}' ? 'a' : 'b'}"), env)).toBe('b');
  });

  it('reports errors at their offset in the whole template', () => {
    const bad = parseTemplate('/orders/${order_id +}');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toEqual({ offset: 20, message: 'the expression ends too early' });
    const open = parseTemplate('x ${a');
    expect(open.ok ? null : open.error.offset).toBe(2);
  });
});
