/**
 * The functions flow expressions may call. Each is total: a wrong type or a missing value gives a neutral
 * result (null, '' or false), never an exception, so a condition cannot crash a call.
 */
import type { ExprValue } from './parser.js';

export interface FunctionDef {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly doc: string;
  /** Arguments that must be string literals, checked at load time (regex sources). */
  readonly literalArgs?: readonly number[];
  readonly impl: (args: readonly ExprValue[]) => ExprValue;
}

export function toText(v: ExprValue): string {
  if (v === null) return '';
  return String(v);
}

/** A number, or null when the value does not read as one ('' and null are not numbers). */
export function toNumber(v: ExprValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

const num = (f: (n: number) => number) => (args: readonly ExprValue[]): ExprValue => {
  const n = toNumber(args[0] ?? null);
  return n === null ? null : f(n);
};

/** Compiled regexes of `matches(x, '...')`, by source; sources come from flow files, so the set is bounded. */
const regexCache = new Map<string, RegExp | null>();

export function compileRegex(source: string): RegExp | null {
  if (regexCache.has(source)) return regexCache.get(source)!;
  let re: RegExp | null;
  try {
    re = new RegExp(source, 'u');
  } catch {
    re = null;
  }
  if (regexCache.size < 10_000) regexCache.set(source, re);
  return re;
}

export const FUNCTIONS: Readonly<Record<string, FunctionDef>> = {
  len: { minArgs: 1, maxArgs: 1, doc: 'length of a text', impl: ([a]) => toText(a ?? null).length },
  lower: { minArgs: 1, maxArgs: 1, doc: 'text in lower case', impl: ([a]) => toText(a ?? null).toLowerCase() },
  upper: { minArgs: 1, maxArgs: 1, doc: 'text in upper case', impl: ([a]) => toText(a ?? null).toUpperCase() },
  trim: { minArgs: 1, maxArgs: 1, doc: 'text without surrounding spaces', impl: ([a]) => toText(a ?? null).trim() },
  startsWith: { minArgs: 2, maxArgs: 2, doc: 'whether a text starts with another', impl: ([a, b]) => toText(a ?? null).startsWith(toText(b ?? null)) },
  endsWith: { minArgs: 2, maxArgs: 2, doc: 'whether a text ends with another', impl: ([a, b]) => toText(a ?? null).endsWith(toText(b ?? null)) },
  contains: { minArgs: 2, maxArgs: 2, doc: 'whether a text contains another', impl: ([a, b]) => toText(a ?? null).includes(toText(b ?? null)) },
  matches: {
    minArgs: 2,
    maxArgs: 2,
    doc: 'whether a text matches a regular expression (a quoted literal)',
    literalArgs: [1],
    impl: ([a, b]) => compileRegex(toText(b ?? null))?.test(toText(a ?? null)) ?? false,
  },
  substr: {
    minArgs: 2,
    maxArgs: 3,
    doc: 'part of a text: substr(text, start, length?)',
    impl: ([a, s, l]) => {
      const text = toText(a ?? null);
      const start = toNumber(s ?? null) ?? 0;
      const len = l === undefined ? text.length : (toNumber(l) ?? 0);
      return text.substr(Math.max(0, Math.trunc(start)), Math.max(0, Math.trunc(len)));
    },
  },
  last: {
    minArgs: 2,
    maxArgs: 2,
    doc: 'the last n characters: last(text, 4)',
    impl: ([a, n]) => {
      const text = toText(a ?? null);
      const k = Math.max(0, Math.trunc(toNumber(n ?? null) ?? 0));
      return k === 0 ? '' : text.slice(-k);
    },
  },
  number: { minArgs: 1, maxArgs: 1, doc: 'a text read as a number (null if it is not one)', impl: ([a]) => toNumber(a ?? null) },
  string: { minArgs: 1, maxArgs: 1, doc: 'a value as text', impl: ([a]) => toText(a ?? null) },
  round: { minArgs: 1, maxArgs: 1, doc: 'nearest integer', impl: num(Math.round) },
  floor: { minArgs: 1, maxArgs: 1, doc: 'integer below', impl: num(Math.floor) },
  ceil: { minArgs: 1, maxArgs: 1, doc: 'integer above', impl: num(Math.ceil) },
  abs: { minArgs: 1, maxArgs: 1, doc: 'absolute value', impl: num(Math.abs) },
  min: { minArgs: 2, maxArgs: 2, doc: 'smaller of two numbers', impl: ([a, b]) => pair(a, b, Math.min) },
  max: { minArgs: 2, maxArgs: 2, doc: 'larger of two numbers', impl: ([a, b]) => pair(a, b, Math.max) },
  isEmpty: { minArgs: 1, maxArgs: 1, doc: 'whether a value is null or empty text', impl: ([a]) => a === null || a === undefined || a === '' },
  coalesce: {
    minArgs: 2,
    maxArgs: 8,
    doc: 'the first value that is neither null nor empty text',
    impl: (args) => args.find((a) => a !== null && a !== '') ?? null,
  },
};

function pair(a: ExprValue | undefined, b: ExprValue | undefined, f: (x: number, y: number) => number): ExprValue {
  const x = toNumber(a ?? null);
  const y = toNumber(b ?? null);
  return x === null || y === null ? null : f(x, y);
}
