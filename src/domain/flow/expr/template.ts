/**
 * Text templates: literal text with `${expression}` parts, as in `/orders/${order_id}`. `$${` writes a
 * literal `${`. A template that is exactly one `${...}` keeps the expression's type (a number stays a
 * number), so `priority: ${vip ? 50 : 0}` sets a number.
 */
import type { ExprSyntaxError } from './lexer.js';
import { evaluate, type ExprEnv } from './evaluate.js';
import { toText } from './functions.js';
import { parseExpr, type Expr, type ExprValue } from './parser.js';

export type TemplatePart = { readonly text: string } | { readonly expr: Expr; readonly offset: number };

export interface Template {
  readonly parts: readonly TemplatePart[];
}

export type TemplateParse = { ok: true; template: Template } | { ok: false; error: ExprSyntaxError };

export function parseTemplate(source: string): TemplateParse {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('$${', i)) {
      text += '${';
      i += 3;
      continue;
    }
    if (!source.startsWith('${', i)) {
      text += source[i];
      i++;
      continue;
    }
    const close = findClose(source, i + 2);
    if (close < 0) return { ok: false, error: { offset: i, message: '"${" is not closed: add a "}" (write "$${" for a literal "${")' } };
    const inner = source.slice(i + 2, close);
    const parsed = parseExpr(inner);
    if (!parsed.ok) return { ok: false, error: { offset: i + 2 + parsed.error.offset, message: parsed.error.message } };
    if (text !== '') parts.push({ text });
    text = '';
    parts.push({ expr: parsed.expr, offset: i + 2 });
    i = close + 1;
  }
  if (text !== '') parts.push({ text });
  return { ok: true, template: { parts } };
}

/** Index of the `}` closing an expression starting at `from`, skipping quoted strings; -1 when none. */
function findClose(s: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '}') return i;
  }
  return -1;
}

export function isLiteralTemplate(t: Template): boolean {
  return t.parts.every((p) => 'text' in p);
}

/** Every expression in a template with its offset in the template text. */
export function templateExprs(t: Template): Array<{ expr: Expr; offset: number }> {
  return t.parts.filter((p): p is { expr: Expr; offset: number } => 'expr' in p);
}

/** Renders a template; `encode` is applied to each expression's text (e.g. encodeURIComponent in URLs). */
export function renderTemplate(t: Template, env: ExprEnv, encode: (s: string) => string = (s) => s): string {
  return t.parts.map((p) => ('text' in p ? p.text : encode(toText(evaluate(p.expr, env))))).join('');
}

/** Like renderTemplate, but a template made of one expression keeps that expression's type. */
export function templateValue(t: Template, env: ExprEnv): ExprValue {
  const [only] = t.parts;
  if (t.parts.length === 1 && only && 'expr' in only) return evaluate(only.expr, env);
  return renderTemplate(t, env);
}
