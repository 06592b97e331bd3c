/**
 * Mandarin readings built from recorded fragments (prompts/say/zh/<name>.wav). Numbers 0-99 are recorded
 * whole (二十三 sounds natural, 二-十-三 does not); larger numbers add 百/千/万/亿 with the 零 rules of
 * spoken Chinese: one 零 for a run of zeros between digits (一千零五, 十万零五百), 两 for 2 before a unit
 * (两百, 两千, 两万, 两亿, 两点, 两小时), 一十 inside a number (一百一十) but 十 at its start (十五).
 */
import type { Currency } from '../model.js';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Fragment name → text, for the recording script and the load-time check that every fragment exists. */
export function zhInventory(): Record<string, string> {
  const out: Record<string, string> = {};
  for (let n = 0; n < 100; n++) out[`n${n}`] = zhUnder100Text(n);
  Object.assign(out, {
    yao: '幺',
    liang: '两',
    bai: '百',
    qian: '千',
    wan: '万',
    yi: '亿',
    dian: '点',
    fu: '负',
    star: '星号',
    hash: '井号',
    yuan: '元',
    jiao: '角',
    fen: '分',
    zheng: '整',
    'cur-USD': '美元',
    'cur-EUR': '欧元',
    'cur-HKD': '港元',
    nian: '年',
    yue: '月',
    ri: '日',
    lingchen: '凌晨',
    shangwu: '上午',
    zhongwu: '中午',
    xiawu: '下午',
    wanshang: '晚上',
    xiaoshi: '小时',
    fenzhong: '分钟',
    miao: '秒',
  });
  return out;
}

function zhUnder100Text(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** Digit by digit, as phone and order numbers are read: 1 is 幺 (clearer than 一 on a phone line). */
export function zhDigits(text: string): string[] {
  return [...text].map((c) => (c === '1' ? 'yao' : c === '*' ? 'star' : c === '#' ? 'hash' : `n${c}`));
}

/** A non-negative integer below 10^12. */
export function zhInteger(n: number): string[] {
  if (n === 0) return ['n0'];
  const groups: Array<[number, string | null]> = [
    [Math.floor(n / 1e8), 'yi'],
    [Math.floor(n / 1e4) % 1e4, 'wan'],
    [n % 1e4, null],
  ];
  const out: string[] = [];
  let started = false;
  let gap = false;
  for (const [g, unit] of groups) {
    if (g === 0) {
      if (started) gap = true;
      continue;
    }
    // A zero group, or a group below 1000 after a higher one, is bridged by one 零: 一万零五, 一亿零五百万.
    if (started && (gap || g < 1000)) out.push('n0');
    if (g === 2 && unit !== null) out.push('liang');
    else out.push(...zhGroup(g, started));
    if (unit) out.push(unit);
    started = true;
    gap = false;
  }
  return out;
}

/** 1..9999 within a number; `leading` when a higher group (万, 亿) was said before it. */
function zhGroup(g: number, leading: boolean): string[] {
  const out: string[] = [];
  let pendingZero = false;
  for (const [d, unit] of [
    [Math.floor(g / 1000), 'qian'],
    [Math.floor(g / 100) % 10, 'bai'],
  ] as const) {
    if (d === 0) {
      if (out.length > 0) pendingZero = true;
      continue;
    }
    if (pendingZero) out.push('n0');
    pendingZero = false;
    out.push(d === 2 ? 'liang' : `n${d}`, unit);
  }
  const r = g % 100;
  if (r === 0) return out;
  if (pendingZero || (out.length > 0 && r < 10)) out.push('n0');
  if (r >= 10 && r < 20 && (out.length > 0 || leading)) out.push('n1');
  out.push(`n${r}`);
  return out;
}

/** Any finite number: 负, the integer part, 点 and the decimals digit by digit. */
export function zhNumber(n: number): string[] {
  const out: string[] = n < 0 ? ['fu'] : [];
  const [intPart, frac = ''] = Math.abs(n).toFixed(6).replace(/\.?0+$/, '').split('.');
  out.push(...zhInteger(Number(intPart)));
  if (frac !== '') out.push('dian', ...[...frac].map((d) => `n${d}`));
  return out;
}

/** 两 before a measure word when the count is exactly 2 (两小时, 两分钟). */
function zhCount(n: number): string[] {
  return n === 2 ? ['liang'] : zhInteger(n);
}

export function zhAmount(amount: number, currency: Currency): string[] {
  const out: string[] = amount < 0 ? ['fu'] : [];
  const cents = Math.round(Math.abs(amount) * 100);
  const yuan = Math.floor(cents / 100);
  if (currency !== 'CNY') {
    out.push(...zhNumber(cents / 100), `cur-${currency}`);
    return out;
  }
  const jiao = Math.floor(cents / 10) % 10;
  const fen = cents % 10;
  if (yuan > 0 || cents === 0) out.push(...zhInteger(yuan), 'yuan');
  if (jiao === 0 && fen === 0) {
    if (yuan > 0) out.push('zheng');
    return out;
  }
  if (jiao > 0) out.push(`n${jiao}`, 'jiao');
  else if (yuan > 0) out.push('n0');
  if (fen > 0) out.push(`n${fen}`, 'fen');
  return out;
}

export function zhDate(year: number, month: number, day: number): string[] {
  return [...[...String(year)].map((d) => `n${d}`), 'nian', `n${month}`, 'yue', `n${day}`, 'ri'];
}

export function zhTime(hour: number, minute: number): string[] {
  const period = hour < 6 ? 'lingchen' : hour < 12 ? 'shangwu' : hour === 12 ? 'zhongwu' : hour < 18 ? 'xiawu' : 'wanshang';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  const out = [period, ...(h12 === 2 ? ['liang'] : [`n${h12}`]), 'dian'];
  if (minute === 0) out.push('zheng');
  else out.push(...(minute < 10 ? ['n0', `n${minute}`] : [`n${minute}`]), 'fen');
  return out;
}

export function zhDuration(totalSec: number): string[] {
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor(totalSec / 60) % 60;
  const s = totalSec % 60;
  const out: string[] = [];
  if (h > 0) out.push(...zhCount(h), 'xiaoshi');
  if (m > 0) out.push(...zhCount(m), 'fenzhong');
  if (s > 0 || out.length === 0) out.push(...zhCount(s), 'miao');
  return out;
}
