/**
 * Precedence-climbing parser for flow expressions. Grammar, loosest first:
 *
 *   expr    := or ('?' expr ':' expr)?
 *   or      := and (('||' | 'or') and)*
 *   and     := not (('&&' | 'and') not)*
 *   not     := ('!' | 'not') not | compare
 *   compare := sum (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in') sum)?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/' | '%') unary)*
 *   unary   := '-' unary | primary
 *   primary := number | string | true | false | null | name ('.' name)* | fn '(' args ')' | '(' expr ')'
 *            | '[' (expr (',' expr)*)? ']'
 *
 * Comparisons do not chain (`a < b < c` is an error, as it is almost always a mistake).
 */
import { tokenize, type ExprSyntaxError, type Token } from './lexer.js';

export type ExprValue = string | number | boolean | null;
export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '&&' | '||' | 'in' | 'not in';

export type Expr =
  | { readonly k: 'lit'; readonly value: ExprValue; readonly offset: number }
  /** A variable or built-in: `order_status`, `now.hour`. `length` spans the whole dotted name. */
  | { readonly k: 'name'; readonly path: readonly string[]; readonly offset: number; readonly length: number }
  | { readonly k: 'list'; readonly items: readonly Expr[]; readonly offset: number }
  | { readonly k: 'unary'; readonly op: '!' | '-'; readonly arg: Expr; readonly offset: number }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly offset: number }
  | { readonly k: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr; readonly offset: number }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly offset: number };

/** Deeper nesting than this is refused: a hand-written condition never needs it, and recursion stays bounded. */
export const MAX_EXPR_DEPTH = 32;

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: ExprSyntaxError };

export function parseExpr(text: string): ParseResult {
  const lexed = tokenize(text);
  if (!lexed.ok) return lexed;
  if (lexed.tokens.length === 1) return { ok: false, error: { offset: 0, message: 'empty expression' } };
  try {
    const p = new Parser(lexed.tokens);
    const expr = p.expr(0);
    const rest = p.peek();
    if (rest.kind !== 'end') p.fail(rest, `unexpected ${describe(rest)} after a complete expression`);
    return { ok: true, expr };
  } catch (err) {
    if (err instanceof ParseFailure) return { ok: false, error: { offset: err.offset, message: err.message } };
    throw err;
  }
}

class ParseFailure extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  fail(t: Token, message: string): never {
    throw new ParseFailure(t.offset, message);
  }

  expr(depth: number): Expr {
    if (depth > MAX_EXPR_DEPTH) this.fail(this.peek(), `expression nested deeper than ${MAX_EXPR_DEPTH} levels`);
    const test = this.or(depth);
    if (!this.isOp('?')) return test;
    const q = this.next();
    const then = this.expr(depth + 1);
    this.expect(':', 'the ":" of "condition ? then : else"');
    const otherwise = this.expr(depth + 1);
    return { k: 'cond', test, then, else: otherwise, offset: q.offset };
  }

  private or(depth: number): Expr {
    let left = this.and(depth);
    while (this.isOp('||') || this.isWord('or')) {
      const t = this.next();
      left = { k: 'binary', op: '||', left, right: this.and(depth), offset: t.offset };
    }
    return left;
  }

  private and(depth: number): Expr {
    let left = this.not(depth);
    while (this.isOp('&&') || this.isWord('and')) {
      const t = this.next();
      left = { k: 'binary', op: '&&', left, right: this.not(depth), offset: t.offset };
    }
    return left;
  }

  private not(depth: number): Expr {
    if (this.isOp('!') || (this.isWord('not') && !(this.peek(1).kind === 'name' && this.peek(1).text === 'in'))) {
      const t = this.next();
      if (depth > MAX_EXPR_DEPTH) this.fail(t, `expression nested deeper than ${MAX_EXPR_DEPTH} levels`);
      return { k: 'unary', op: '!', arg: this.not(depth + 1), offset: t.offset };
    }
    return this.compare(depth);
  }

  private compare(depth: number): Expr {
    const left = this.sum(depth);
    const t = this.peek();
    let op: BinaryOp | undefined;
    if (t.kind === 'op' && COMPARE.has(t.text)) op = t.text as BinaryOp;
    else if (this.isWord('in')) op = 'in';
    else if (this.isWord('not') && this.peek(1).kind === 'name' && this.peek(1).text === 'in') op = 'not in';
    if (!op) return left;
    this.next();
    if (op === 'not in') this.next();
    const right = this.sum(depth);
    const after = this.peek();
    if ((after.kind === 'op' && COMPARE.has(after.text)) || this.isWord('in')) {
      this.fail(after, 'comparisons do not chain: write "a < b && b < c"');
    }
    return { k: 'binary', op, left, right, offset: t.offset };
  }

  private sum(depth: number): Expr {
    let left = this.product(depth);
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { k: 'binary', op: t.text as BinaryOp, left, right: this.product(depth), offset: t.offset };
    }
    return left;
  }

  private product(depth: number): Expr {
    let left = this.unary(depth);
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.next();
      left = { k: 'binary', op: t.text as BinaryOp, left, right: this.unary(depth), offset: t.offset };
    }
    return left;
  }

  private unary(depth: number): Expr {
    if (this.isOp('-')) {
      const t = this.next();
      if (depth > MAX_EXPR_DEPTH) this.fail(t, `expression nested deeper than ${MAX_EXPR_DEPTH} levels`);
      return { k: 'unary', op: '-', arg: this.unary(depth + 1), offset: t.offset };
    }
    return this.primary(depth);
  }

  private primary(depth: number): Expr {
    const t = this.next();
    if (t.kind === 'number') return { k: 'lit', value: t.value!, offset: t.offset };
    if (t.kind === 'string') return { k: 'lit', value: t.text, offset: t.offset };
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.expr(depth + 1);
      this.expect(')', 'a closing ")"');
      return inner;
    }
    if (t.kind === 'op' && t.text === '[') return this.list(t, depth);
    if (t.kind === 'name') {
      if (t.text === 'true' || t.text === 'false') return { k: 'lit', value: t.text === 'true', offset: t.offset };
      if (t.text === 'null') return { k: 'lit', value: null, offset: t.offset };
      if (['and', 'or', 'not', 'in'].includes(t.text)) this.fail(t, `"${t.text}" needs something before it`);
      if (this.isOp('(')) return this.call(t, depth);
      const path = [t.text];
      let end = t.offset + t.text.length;
      while (this.isOp('.')) {
        this.next();
        const part = this.next();
        if (part.kind !== 'name') this.fail(part, `expected a name after "${path.join('.')}."`);
        path.push(part.text);
        end = part.offset + part.text.length;
      }
      return { k: 'name', path, offset: t.offset, length: end - t.offset };
    }
    if (t.kind === 'end') this.fail(t, 'the expression ends too early');
    return this.fail(t, `unexpected ${describe(t)}`);
  }

  private call(name: Token, depth: number): Expr {
    this.next(); // (
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        args.push(this.expr(depth + 1));
        if (!this.isOp(',')) break;
        this.next();
      }
    }
    this.expect(')', `a closing ")" for ${name.text}(...)`);
    return { k: 'call', fn: name.text, args, offset: name.offset };
  }

  private list(open: Token, depth: number): Expr {
    const items: Expr[] = [];
    if (!this.isOp(']')) {
      for (;;) {
        items.push(this.expr(depth + 1));
        if (!this.isOp(',')) break;
        this.next();
      }
    }
    this.expect(']', 'a closing "]"');
    return { k: 'list', items, offset: open.offset };
  }

  private next(): Token {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === op;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'name' && t.text === word;
  }

  private expect(op: string, what: string): void {
    const t = this.peek();
    if (t.kind === 'op' && t.text === op) {
      this.next();
      return;
    }
    this.fail(t, `expected ${what}, got ${describe(t)}`);
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the expression';
  if (t.kind === 'string') return `the string ${JSON.stringify(t.text)}`;
  return `"${t.text}"`;
}
