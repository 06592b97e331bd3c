/**
 * English readings built from recorded fragments (prompts/say/en/<name>.wav). Numbers 0-99 are recorded
 * whole; larger ones add hundred/thousand/million/billion (US style, no "and" inside numbers). Dates read
 * "November twenty-third, twenty twenty-six"; times "ten thirty p m"; durations "one hour five minutes".
 */
import type { Currency } from '../model.js';

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINAL_ONES = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth', 'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth'];
const ORDINAL_TENS: Readonly<Record<number, string>> = { 2: 'twentieth', 3: 'thirtieth' };

const CURRENCY_WORDS: Readonly<Record<Currency, [one: string, many: string]>> = {
  CNY: ['yuan', 'yuan'],
  USD: ['dollar', 'dollars'],
  EUR: ['euro', 'euros'],
  HKD: ['hk-dollar', 'hk-dollars'],
};

export function enInventory(): Record<string, string> {
  const out: Record<string, string> = {};
  for (let n = 0; n < 100; n++) out[`n${n}`] = under100(n);
  for (let m = 1; m <= 12; m++) out[`month-${m}`] = MONTHS[m - 1]!;
  for (let d = 1; d <= 31; d++) out[`ord-${d}`] = ordinal(d);
  Object.assign(out, {
    hundred: 'hundred',
    thousand: 'thousand',
    million: 'million',
    billion: 'billion',
    point: 'point',
    minus: 'minus',
    and: 'and',
    oh: 'oh',
    star: 'star',
    hash: 'hash',
    yuan: 'yuan',
    dollar: 'dollar',
    dollars: 'dollars',
    euro: 'euro',
    euros: 'euros',
    'hk-dollar': 'Hong Kong dollar',
    'hk-dollars': 'Hong Kong dollars',
    cent: 'cent',
    cents: 'cents',
    am: 'A M',
    pm: 'P M',
    hour: 'hour',
    hours: 'hours',
    minute: 'minute',
    minutes: 'minutes',
    second: 'second',
    seconds: 'seconds',
  });
  return out;
}

function under100(n: number): string {
  if (n < 20) return ONES[n]!;
  const t = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? t : `${t}-${ONES[n % 10]}`;
}

function ordinal(d: number): string {
  if (d < 20) return ORDINAL_ONES[d]!;
  if (d % 10 === 0) return ORDINAL_TENS[d / 10]!;
  return `${TENS[Math.floor(d / 10)]}-${ORDINAL_ONES[d % 10]}`;
}

export function enDigits(text: string): string[] {
  return [...text].map((c) => (c === '*' ? 'star' : c === '#' ? 'hash' : `n${c}`));
}

/** A non-negative integer below 10^12. */
export function enInteger(n: number): string[] {
  if (n === 0) return ['n0'];
  const out: string[] = [];
  for (const [scale, word] of [
    [1e9, 'billion'],
    [1e6, 'million'],
    [1e3, 'thousand'],
  ] as const) {
    const v = Math.floor(n / scale) % 1000;
    if (v > 0) out.push(...hundreds(v), word);
  }
  const rest = n % 1000;
  if (rest > 0) out.push(...hundreds(rest));
  return out;
}

function hundreds(v: number): string[] {
  const out: string[] = [];
  const h = Math.floor(v / 100);
  if (h > 0) out.push(`n${h}`, 'hundred');
  if (v % 100 > 0) out.push(`n${v % 100}`);
  return out;
}

export function enNumber(n: number): string[] {
  const out: string[] = n < 0 ? ['minus'] : [];
  const [intPart, frac = ''] = Math.abs(n).toFixed(6).replace(/\.?0+$/, '').split('.');
  out.push(...enInteger(Number(intPart)));
  if (frac !== '') out.push('point', ...[...frac].map((d) => `n${d}`));
  return out;
}

export function enAmount(amount: number, currency: Currency): string[] {
  const out: string[] = amount < 0 ? ['minus'] : [];
  const cents = Math.round(Math.abs(amount) * 100);
  const major = Math.floor(cents / 100);
  const minor = cents % 100;
  const [one, many] = CURRENCY_WORDS[currency];
  if (major > 0 || minor === 0) out.push(...enInteger(major), major === 1 ? one : many);
  if (minor > 0) {
    // "twelve yuan fifty"; other currencies have cents: "twelve dollars and fifty cents".
    if (currency === 'CNY') out.push(`n${minor}`);
    else out.push(...(major > 0 ? ['and'] : []), `n${minor}`, minor === 1 ? 'cent' : 'cents');
  }
  return out;
}

export function enYear(year: number): string[] {
  if (year >= 2000 && year < 2010) return year === 2000 ? ['n2', 'thousand'] : ['n2', 'thousand', `n${year % 10}`];
  const hi = Math.floor(year / 100);
  const lo = year % 100;
  if (year < 1000 || year > 9999 || hi >= 100) return enInteger(year);
  if (lo === 0) return [`n${hi}`, 'hundred'];
  return lo < 10 ? [`n${hi}`, 'oh', `n${lo}`] : [`n${hi}`, `n${lo}`];
}

export function enDate(year: number, month: number, day: number): string[] {
  return [`month-${month}`, `ord-${day}`, ...enYear(year)];
}

export function enTime(hour: number, minute: number): string[] {
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const out = [`n${h12}`];
  if (minute > 0) out.push(...(minute < 10 ? ['oh', `n${minute}`] : [`n${minute}`]));
  out.push(hour < 12 ? 'am' : 'pm');
  return out;
}

export function enDuration(totalSec: number): string[] {
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor(totalSec / 60) % 60;
  const s = totalSec % 60;
  const out: string[] = [];
  if (h > 0) out.push(...enInteger(h), h === 1 ? 'hour' : 'hours');
  if (m > 0) out.push(...enInteger(m), m === 1 ? 'minute' : 'minutes');
  if (s > 0 || out.length === 0) out.push(...enInteger(s), s === 1 ? 'second' : 'seconds');
  return out;
}
