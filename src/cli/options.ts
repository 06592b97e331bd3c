/** Parsers for command-line option values: each throws commander's InvalidArgumentError with a clear reason. */
import { InvalidArgumentError } from 'commander';

export function parseSeconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds ≥ 0');
  return n;
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a number > 0');
  return n;
}

export function parseNonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number ≥ 0');
  return n;
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

/** A share written as 0.8 or 80 %: values above 1 are read as percent. */
export function parseShare(value: string): number {
  const text = value.trim().replace(/%$/, '');
  let n = Number(text);
  if (text === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a share like 0.8 (or 80%)');
  if (n > 1 || value.trim().endsWith('%')) n /= 100;
  if (n > 1) throw new InvalidArgumentError('must be at most 1 (100 %)');
  return n;
}

/** Repeatable, comma-separated list option: `--queue sales,support --queue vip`. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...(previous ?? []), ...items];
}

export function oneOf<T extends string>(label: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new RangeError(`${label} must be one of ${allowed.join(', ')}, got "${value}"`);
}
