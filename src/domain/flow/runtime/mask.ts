/** Masking of sensitive values (card numbers, ID numbers): only the last 4 characters are kept. */
export function maskValue(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${'*'.repeat(value.length - 4)}${value.slice(-4)}`;
}
