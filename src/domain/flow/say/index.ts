/**
 * Spoken values: a value and a kind (digits, number, amount, date, time, duration) become the list of
 * recorded fragments that say it in the call's language, played as `<promptsDir>/say/<lang>/<name>.wav`.
 * scripts/make-say-fragments.sh records every fragment of `sayInventory` (src/tools/say-inventory.ts).
 */
import { toNumber, toText } from '../expr/functions.js';
import type { ExprValue } from '../expr/parser.js';
import type { Currency, SayKind } from '../model.js';
import { wallTime } from '../time/wall-clock.js';
import { enAmount, enDate, enDigits, enDuration, enInventory, enNumber, enTime } from './en.js';
import { zhAmount, zhDate, zhDigits, zhDuration, zhInventory, zhNumber, zhTime } from './zh.js';

export const SAY_LANGUAGES = ['zh', 'en'] as const;
export type SayLanguage = (typeof SAY_LANGUAGES)[number];

/** Largest magnitude spoken as a number; beyond it digits are clearer anyway. */
export const MAX_SAY_NUMBER = 999_999_999_999;
/** Longest digit string spoken digit by digit. */
export const MAX_SAY_DIGITS = 64;
/** Longest duration spoken, in seconds (beyond a day, nobody listens to the hours). */
export const MAX_SAY_DURATION_SEC = 99 * 3600;

/** The fragment language for a prompt language: zh, zh-CN and cmn speak zh; en-US speaks en. */
export function sayLanguageOf(language: string): SayLanguage | undefined {
  const base = language.split('-')[0]!;
  if (base === 'zh' || base === 'cmn') return 'zh';
  if (base === 'en') return 'en';
  return undefined;
}

export function sayInventory(lang: SayLanguage): Record<string, string> {
  return lang === 'zh' ? zhInventory() : enInventory();
}

export type SayResult = { ok: true; fragments: string[] } | { ok: false; reason: string };

export interface SayRequest {
  readonly as: SayKind;
  readonly value: ExprValue;
  readonly currency: Currency;
  readonly language: string;
  /** Time zone for date/time values that carry an offset (ISO timestamps). */
  readonly timezone: string;
}

export function sayFragments(req: SayRequest): SayResult {
  const lang = sayLanguageOf(req.language);
  if (!lang) return { ok: false, reason: `no spoken values in language "${req.language}"` };
  const zh = lang === 'zh';
  const text = toText(req.value).trim();
  switch (req.as) {
    case 'digits': {
      if (!/^[0-9*#]+$/.test(text) || text.length > MAX_SAY_DIGITS) return fail(`"${text}" is not a string of keys`);
      return ok(zh ? zhDigits(text) : enDigits(text));
    }
    case 'number': {
      const n = toNumber(req.value);
      if (n === null || Math.abs(n) > MAX_SAY_NUMBER) return fail(`"${text}" is not a number up to ${MAX_SAY_NUMBER}`);
      return ok(zh ? zhNumber(n) : enNumber(n));
    }
    case 'amount': {
      const n = toNumber(req.value);
      if (n === null || Math.abs(n) > MAX_SAY_NUMBER) return fail(`"${text}" is not an amount`);
      return ok(zh ? zhAmount(n, req.currency) : enAmount(n, req.currency));
    }
    case 'date': {
      const d = dateParts(text, req.timezone);
      if (!d) return fail(`"${text}" is not a date (YYYY-MM-DD)`);
      return ok(zh ? zhDate(d.year, d.month, d.day) : enDate(d.year, d.month, d.day));
    }
    case 'time': {
      const t = timeParts(text, req.timezone);
      if (!t) return fail(`"${text}" is not a time (HH:MM)`);
      return ok(zh ? zhTime(t.hour, t.minute) : enTime(t.hour, t.minute));
    }
    case 'duration': {
      const n = toNumber(req.value);
      if (n === null || n < 0 || n > MAX_SAY_DURATION_SEC) return fail(`"${text}" is not a duration in seconds`);
      const sec = Math.round(n);
      return ok(zh ? zhDuration(sec) : enDuration(sec));
    }
  }
}

const ok = (fragments: string[]): SayResult => ({ ok: true, fragments });
const fail = (reason: string): SayResult => ({ ok: false, reason });

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** 'YYYY-MM-DD', or an ISO timestamp with a zone (read in the flow's time zone). */
function dateParts(text: string, timezone: string): { year: number; month: number; day: number } | undefined {
  if (ISO_WITH_ZONE.test(text)) {
    const w = wallTime(Date.parse(text), timezone);
    return { year: w.year, month: w.month, day: w.day };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return { year, month, day };
}

/** 'HH:MM' (24 h), or an ISO timestamp with a zone (read in the flow's time zone). */
function timeParts(text: string, timezone: string): { hour: number; minute: number } | undefined {
  if (ISO_WITH_ZONE.test(text)) {
    const w = wallTime(Date.parse(text), timezone);
    return { hour: w.hour, minute: w.minute };
  }
  const m = /^(?:\d{4}-\d{2}-\d{2}T)?([01]?\d|2[0-3]):([0-5]\d)(?::\d{2})?$/.exec(text);
  if (!m) return undefined;
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** Where a fragment's recording lives. */
export function fragmentFile(promptsDir: string, lang: SayLanguage, name: string): string {
  const dir = promptsDir === '' || promptsDir === '.' ? '' : `${promptsDir.replace(/[\\/]+$/, '')}/`;
  return `${dir}say/${lang}/${name}.wav`;
}

/** The tone played before a voicemail recording (language-neutral), relative to the prompts folder. */
export const BEEP_FILE = 'say/beep.wav';

export function beepFile(promptsDir: string): string {
  const dir = promptsDir === '' || promptsDir === '.' ? '' : `${promptsDir.replace(/[\\/]+$/, '')}/`;
  return `${dir}${BEEP_FILE}`;
}
