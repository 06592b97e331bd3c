/**
 * Evaluates a parsed expression against a call's values. Total: it never throws and never loops (the tree
 * is finite and there are no user-defined functions), whatever the variables hold.
 *
 * Values are text, numbers, true/false and null. Digits a caller typed are text, so comparisons and `+`
 * read numeric text as numbers where that is what an author means:
 *   - `==` / `!=`: a number and numeric text compare as numbers (`count == 3` with count "3" is true);
 *   - `<` `<=` `>` `>=`: numbers when both read as numbers, else text order (so `now.time >= '09:00'` works);
 *   - `+`: adds when one side is a number and the other reads as one, else joins text (`'A-' + order_id`);
 *   - `-` `*` `/` `%`: numbers, or null (also for a division by zero);
 *   - truthiness: null, false, 0 and '' are false.
 */
import { FUNCTIONS, toNumber, toText } from './functions.js';
import type { Expr, ExprValue } from './parser.js';

export interface ExprEnv {
  /** The value of a name such as `order_status` or `now.hour`; undefined reads as null. */
  lookup(path: readonly string[]): ExprValue | undefined;
}

export function evaluate(expr: Expr, env: ExprEnv): ExprValue {
  switch (expr.k) {
    case 'lit':
      return expr.value;
    case 'name':
      return env.lookup(expr.path) ?? null;
    case 'list':
      // Lists only exist on the right of `in` (the checker enforces it); alone they read as their length.
      return expr.items.length;
    case 'unary': {
      const v = evaluate(expr.arg, env);
      if (expr.op === '!') return !truthy(v);
      const n = toNumber(v);
      return n === null ? null : -n;
    }
    case 'cond':
      return truthy(evaluate(expr.test, env)) ? evaluate(expr.then, env) : evaluate(expr.else, env);
    case 'call': {
      const fn = FUNCTIONS[expr.fn];
      if (!fn) return null;
      return fn.impl(expr.args.map((a) => evaluate(a, env)));
    }
    case 'binary':
      return binary(expr, env);
  }
}

function binary(expr: Extract<Expr, { k: 'binary' }>, env: ExprEnv): ExprValue {
  const { op } = expr;
  if (op === '&&') return truthy(evaluate(expr.left, env)) && truthy(evaluate(expr.right, env));
  if (op === '||') return truthy(evaluate(expr.left, env)) || truthy(evaluate(expr.right, env));
  const a = evaluate(expr.left, env);
  if (op === 'in' || op === 'not in') {
    const items = expr.right.k === 'list' ? expr.right.items.map((i) => evaluate(i, env)) : [evaluate(expr.right, env)];
    const found = items.some((b) => looseEquals(a, b));
    return op === 'in' ? found : !found;
  }
  const b = evaluate(expr.right, env);
  switch (op) {
    case '==':
      return looseEquals(a, b);
    case '!=':
      return !looseEquals(a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compare(a, b, op);
    case '+': {
      const x = toNumber(a);
      const y = toNumber(b);
      if (x !== null && y !== null && (typeof a === 'number' || typeof b === 'number')) return x + y;
      return toText(a) + toText(b);
    }
    default:
      return arithmetic(op, toNumber(a), toNumber(b));
  }
}

function arithmetic(op: '-' | '*' | '/' | '%', x: number | null, y: number | null): ExprValue {
  if (x === null || y === null) return null;
  if ((op === '/' || op === '%') && y === 0) return null;
  const r = op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y;
  return Number.isFinite(r) ? r : null;
}

export function truthy(v: ExprValue): boolean {
  return v !== null && v !== false && v !== 0 && v !== '';
}

export function looseEquals(a: ExprValue, b: ExprValue): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    return x !== null && y !== null && x === y && (typeof a === 'string' || typeof b === 'string');
  }
  return false;
}

function compare(a: ExprValue, b: ExprValue, op: '<' | '<=' | '>' | '>='): boolean {
  if (a === null || b === null) return false;
  const x = toNumber(a);
  const y = toNumber(b);
  let c: number;
  if (x !== null && y !== null) c = x - y;
  else {
    const s = toText(a);
    const t = toText(b);
    c = s < t ? -1 : s > t ? 1 : 0;
  }
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}
