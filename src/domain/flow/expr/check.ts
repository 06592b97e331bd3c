/**
 * Load-time checks of parsed expressions: every name is a built-in or a variable the flow defines, every
 * function exists and gets the right number of arguments, regex literals compile, and lists appear only
 * after `in`. Problems carry the offset in the expression text so the loader can point at the column.
 */
import { compileRegex, FUNCTIONS } from './functions.js';
import type { Expr } from './parser.js';

export interface ExprProblem {
  readonly offset: number;
  readonly message: string;
}

/** Names every expression can read, with what they hold (docs/flows.md lists the same). */
export const BUILTIN_NAMES: Readonly<Record<string, string>> = {
  caller: "the caller's number (From user part)",
  dialed: 'the dialed number (Request-URI user part)',
  call_id: 'the business call id',
  language: 'the prompt language in use (zh, en ...)',
  'flow.id': 'the flow id',
  'flow.version': 'the flow version label',
  'now.date': "today's date in the flow's time zone, 'YYYY-MM-DD'",
  'now.time': "the time of day in the flow's time zone, 'HH:MM' (24 h)",
  'now.year': 'the year, a number',
  'now.month': 'the month, 1-12',
  'now.day': 'the day of the month, 1-31',
  'now.hour': 'the hour, 0-23',
  'now.minute': 'the minute, 0-59',
  'now.weekday': 'the day of the week, 1 = Monday ... 7 = Sunday',
};

/** First segments that belong to built-ins, so a variable can never shadow one. */
export const RESERVED_ROOTS = new Set(Object.keys(BUILTIN_NAMES).map((n) => n.split('.')[0]!));

export interface NameScope {
  /** Whether a plain (one-segment) variable name is defined somewhere in the flow. */
  hasVariable(name: string): boolean;
  /** Candidates for "did you mean". */
  allNames(): readonly string[];
}

export function checkExpr(expr: Expr, scope: NameScope): ExprProblem[] {
  const out: ExprProblem[] = [];
  walk(expr, scope, out, false);
  return out;
}

function walk(e: Expr, scope: NameScope, out: ExprProblem[], listAllowed: boolean): void {
  switch (e.k) {
    case 'lit':
      return;
    case 'name':
      checkName(e, scope, out);
      return;
    case 'list':
      if (!listAllowed) out.push({ offset: e.offset, message: 'a list [...] can only follow "in"' });
      for (const item of e.items) walk(item, scope, out, false);
      return;
    case 'unary':
      walk(e.arg, scope, out, false);
      return;
    case 'cond':
      walk(e.test, scope, out, false);
      walk(e.then, scope, out, false);
      walk(e.else, scope, out, false);
      return;
    case 'binary': {
      walk(e.left, scope, out, false);
      const isIn = e.op === 'in' || e.op === 'not in';
      if (isIn && e.right.k !== 'list') out.push({ offset: e.right.offset, message: `"${e.op}" needs a list: x in ['a', 'b']` });
      walk(e.right, scope, out, isIn);
      return;
    }
    case 'call':
      checkCall(e, scope, out);
      return;
  }
}

function checkCall(e: Extract<Expr, { k: 'call' }>, scope: NameScope, out: ExprProblem[]): void {
  const fn = FUNCTIONS[e.fn];
  if (!fn) {
    out.push({ offset: e.offset, message: `unknown function ${e.fn}()${hint(e.fn, Object.keys(FUNCTIONS))} (known: ${Object.keys(FUNCTIONS).join(', ')})` });
  } else if (e.args.length < fn.minArgs || e.args.length > fn.maxArgs) {
    const n = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
    out.push({ offset: e.offset, message: `${e.fn}() takes ${n} argument${fn.maxArgs === 1 ? '' : 's'}, got ${e.args.length}` });
  } else {
    for (const i of fn.literalArgs ?? []) {
      const a = e.args[i]!;
      if (a.k !== 'lit' || typeof a.value !== 'string') {
        out.push({ offset: a.offset, message: `argument ${i + 1} of ${e.fn}() must be a quoted text` });
      } else if (e.fn === 'matches' && compileRegex(a.value) === null) {
        out.push({ offset: a.offset, message: `invalid regular expression ${JSON.stringify(a.value)}` });
      }
    }
  }
  for (const a of e.args) walk(a, scope, out, false);
}

function checkName(e: Extract<Expr, { k: 'name' }>, scope: NameScope, out: ExprProblem[]): void {
  const full = e.path.join('.');
  const root = e.path[0]!;
  if (Object.hasOwn(BUILTIN_NAMES, full)) return;
  if (RESERVED_ROOTS.has(root) && e.path.length > 1) {
    const known = Object.keys(BUILTIN_NAMES).filter((n) => n.startsWith(`${root}.`));
    out.push({ offset: e.offset, message: `unknown name "${full}"${hint(full, known)} (known: ${known.join(', ')})` });
    return;
  }
  if (RESERVED_ROOTS.has(root)) {
    const known = Object.keys(BUILTIN_NAMES).filter((n) => n.startsWith(`${root}.`));
    out.push({ offset: e.offset, message: `"${root}" alone is not a value; use one of ${known.join(', ')}` });
    return;
  }
  if (e.path.length > 1) {
    out.push({ offset: e.offset, message: `"${full}": variables have no fields; map the JSON field into its own variable with an http node's "map"` });
    return;
  }
  if (!scope.hasVariable(root)) {
    out.push({
      offset: e.offset,
      message: `unknown variable "${root}"${hint(root, [...scope.allNames(), ...Object.keys(BUILTIN_NAMES)])}; declare it under "variables" or set it in a node`,
    });
  }
}

/** ` (did you mean "x"?)` when a close candidate exists. */
export function hint(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
