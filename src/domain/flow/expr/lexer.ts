/**
 * Tokens of the flow expression language. The language is tiny on purpose: flow authors write conditions
 * like `caller_class == 'vip' && now.hour < 20`, never programs. No `eval`, no property access on objects,
 * no assignment: a token stream, a precedence parser (parser.ts) and a total evaluator (evaluate.ts).
 */

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The number's value, the string's unescaped text, the name or the operator. */
  readonly text: string;
  readonly value?: number;
  /** 0-based offset of the token's first character in the expression text. */
  readonly offset: number;
}

export interface ExprSyntaxError {
  readonly offset: number;
  readonly message: string;
}

/** Longest first, so `<=` is not read as `<` then `=`. */
const OPERATORS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '%', '!', '?', ':', '(', ')', '[', ']', ',', '.'];

export function tokenize(text: string): { ok: true; tokens: Token[] } | { ok: false; error: ExprSyntaxError } {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (isDigit(c)) {
      const m = /^(?:\d+(?:\.\d+)?)/.exec(text.slice(i))!;
      if (/^[A-Za-z_]/.test(text.slice(i + m[0].length))) {
        return { ok: false, error: { offset: i, message: `a name cannot start with a digit: "${text.slice(i).split(/[^A-Za-z0-9_]/)[0]}"` } };
      }
      tokens.push({ kind: 'number', text: m[0], value: Number(m[0]), offset: i });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'name', text: m[0], offset: i });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      const s = readString(text, i);
      if (!s.ok) return s;
      tokens.push({ kind: 'string', text: s.value, offset: i });
      i = s.end;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) return { ok: false, error: { offset: i, message: `unexpected character ${JSON.stringify(c)}` } };
    if (op === '===' || op === '!==') {
      return { ok: false, error: { offset: i, message: `write ${op.slice(0, 2)} (there is only one kind of equality here)` } };
    }
    tokens.push({ kind: 'op', text: op, offset: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', offset: text.length });
  return { ok: true, tokens };
}

function readString(text: string, start: number): { ok: true; value: string; end: number } | { ok: false; error: ExprSyntaxError } {
  const quote = text[start]!;
  let out = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return { ok: true, value: out, end: i + 1 };
    if (c === '\\') {
      const n = text[i + 1];
      if (n === undefined) break;
      const escaped: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' };
      const e = escaped[n];
      if (e === undefined) return { ok: false, error: { offset: i, message: `unknown escape \\${n} (use \\\\, \\', \\", \\n or \\t)` } };
      out += e;
      i++;
      continue;
    }
    out += c;
  }
  return { ok: false, error: { offset: start, message: `string not closed: add a ${quote}` } };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
