/** Spoken values: the fragments each value becomes, read back through the fragment texts. */
import { describe, expect, it } from 'vitest';
import type { Currency, SayKind } from '../../../src/domain/flow/model.js';
import { sayFragments, sayInventory, sayLanguageOf, type SayLanguage } from '../../../src/domain/flow/say/index.js';
import type { ExprValue } from '../../../src/domain/flow/expr/parser.js';

function said(lang: SayLanguage, as: SayKind, value: ExprValue, currency: Currency = 'CNY'): string {
  const r = sayFragments({ as, value, currency, language: lang, timezone: 'Asia/Shanghai' });
  if (!r.ok) return `!${r.reason}`;
  const texts = sayInventory(lang);
  for (const f of r.fragments) if (!Object.hasOwn(texts, f)) throw new Error(`fragment ${f} is not in the ${lang} inventory`);
  return r.fragments.map((f) => texts[f]).join(lang === 'zh' ? '' : ' ');
}

describe('zh numbers', () => {
  const cases: Array<[number | string, string]> = [
    [0, '零'],
    [7, '七'],
    [10, '十'],
    [15, '十五'],
    [20, '二十'],
    [99, '九十九'],
    [100, '一百'],
    [105, '一百零五'],
    [110, '一百一十'],
    [115, '一百一十五'],
    [200, '两百'],
    [222, '两百二十二'],
    [1000, '一千'],
    [1005, '一千零五'],
    [1010, '一千零一十'],
    [1050, '一千零五十'],
    [1500, '一千五百'],
    [2000, '两千'],
    [10000, '一万'],
    [10005, '一万零五'],
    [10015, '一万零一十五'],
    [20000, '两万'],
    [100500, '十万零五百'],
    [110000, '十一万'],
    [1234567, '一百二十三万四千五百六十七'],
    [10000000, '一千万'],
    [100000000, '一亿'],
    [200000000, '两亿'],
    [100000001, '一亿零一'],
    [120000000, '一亿两千万'],
    [1002003004, '十亿零两百万三千零四'],
    [-3, '负三'],
    [3.14, '三点一四'],
    ['0.5', '零点五'],
  ];
  for (const [n, text] of cases) it(`${n} → ${text}`, () => expect(said('zh', 'number', n)).toBe(text));
});

describe('en numbers', () => {
  const cases: Array<[number, string]> = [
    [0, 'zero'],
    [13, 'thirteen'],
    [42, 'forty-two'],
    [100, 'one hundred'],
    [101, 'one hundred one'],
    [1000, 'one thousand'],
    [1234, 'one thousand two hundred thirty-four'],
    [1000000, 'one million'],
    [2000300, 'two million three hundred'],
    [1000000001, 'one billion one'],
    [-7, 'minus seven'],
    [2.5, 'two point five'],
  ];
  for (const [n, text] of cases) it(`${n} → ${text}`, () => expect(said('en', 'number', n)).toBe(text));
});

describe('digits, amounts, dates, times, durations', () => {
  it('digits: zh reads 1 as 幺, star and hash have words', () => {
    expect(said('zh', 'digits', '13800138000')).toBe('幺三八零零幺三八零零零');
    expect(said('zh', 'digits', '12*#')).toBe('幺二星号井号');
    expect(said('en', 'digits', '4001')).toBe('four zero zero one');
    expect(said('en', 'digits', 'abc')).toBe('!"abc" is not a string of keys');
  });

  it('amounts in yuan, jiao and fen, or in the currency with decimals', () => {
    expect(said('zh', 'amount', 12.5)).toBe('十二元五角');
    expect(said('zh', 'amount', 12.05)).toBe('十二元零五分');
    expect(said('zh', 'amount', 12)).toBe('十二元整');
    expect(said('zh', 'amount', 0.35)).toBe('三角五分');
    expect(said('zh', 'amount', 0)).toBe('零元');
    expect(said('zh', 'amount', '1200.00')).toBe('一千两百元整');
    expect(said('zh', 'amount', 9.9, 'USD')).toBe('九点九美元');
    expect(said('en', 'amount', 12.5)).toBe('twelve yuan fifty');
    expect(said('en', 'amount', 1, 'USD')).toBe('one dollar');
    expect(said('en', 'amount', 21.01, 'USD')).toBe('twenty-one dollars and one cent');
    expect(said('en', 'amount', 0.99, 'EUR')).toBe('ninety-nine cents');
    expect(said('en', 'amount', 3, 'HKD')).toBe('three Hong Kong dollars');
    expect(said('en', 'amount', 'lots')).toBe('!"lots" is not an amount');
  });

  it('dates: zh year digit by digit; en month, ordinal, year in pairs', () => {
    expect(said('zh', 'date', '2026-11-23')).toBe('二零二六年十一月二十三日');
    expect(said('en', 'date', '2026-11-23')).toBe('November twenty-third twenty twenty-six');
    expect(said('en', 'date', '2005-01-01')).toBe('January first two thousand five');
    expect(said('en', 'date', '1999-12-31')).toBe('December thirty-first nineteen ninety-nine');
    expect(said('en', 'date', '1905-03-02')).toBe('March second nineteen oh five');
    // A timestamp with a zone is read in the flow's time zone (here Asia/Shanghai, +8).
    expect(said('zh', 'date', '2026-11-23T20:00:00Z')).toBe('二零二六年十一月二十四日');
    expect(said('zh', 'date', 'soon')).toBe('!"soon" is not a date (YYYY-MM-DD)');
  });

  it('times: zh with the part of the day, 两点, 整; en with a m / p m', () => {
    expect(said('zh', 'time', '14:00')).toBe('下午两点整');
    expect(said('zh', 'time', '09:05')).toBe('上午九点零五分');
    expect(said('zh', 'time', '12:30')).toBe('中午十二点三十分');
    expect(said('zh', 'time', '00:15')).toBe('凌晨十二点十五分');
    expect(said('zh', 'time', '22:45')).toBe('晚上十点四十五分');
    expect(said('en', 'time', '22:45')).toBe('ten forty-five P M');
    expect(said('en', 'time', '09:05')).toBe('nine oh five A M');
    expect(said('en', 'time', '12:00')).toBe('twelve P M');
    expect(said('en', 'time', '2026-11-23T01:30:00Z')).toBe('nine thirty A M');
    expect(said('en', 'time', '25:00')).toBe('!"25:00" is not a time (HH:MM)');
  });

  it('durations from seconds', () => {
    expect(said('zh', 'duration', 3725)).toBe('一小时两分钟五秒');
    expect(said('zh', 'duration', 120)).toBe('两分钟');
    expect(said('zh', 'duration', 0)).toBe('零秒');
    expect(said('en', 'duration', 3661)).toBe('one hour one minute one second');
    expect(said('en', 'duration', 7320)).toBe('two hours two minutes');
    expect(said('en', 'duration', -1)).toBe('!"-1" is not a duration in seconds');
  });

  it('maps prompt languages to fragment languages', () => {
    expect(sayLanguageOf('zh-CN')).toBe('zh');
    expect(sayLanguageOf('cmn')).toBe('zh');
    expect(sayLanguageOf('en-US')).toBe('en');
    expect(sayLanguageOf('yue')).toBeUndefined();
    expect(sayFragments({ as: 'number', value: 1, currency: 'CNY', language: 'fr', timezone: 'UTC' })).toEqual({ ok: false, reason: 'no spoken values in language "fr"' });
  });

  it('refuses numbers too large to read', () => {
    expect(said('zh', 'number', 1e13)).toContain('is not a number up to');
  });

  it('the inventories hold 0-99 and the unit words', () => {
    for (const lang of ['zh', 'en'] as const) {
      const inv = sayInventory(lang);
      for (let n = 0; n < 100; n++) expect(inv[`n${n}`], `${lang} n${n}`).toBeTruthy();
    }
    expect(sayInventory('zh')).toMatchObject({ wan: '万', yi: '亿', n23: '二十三', n10: '十' });
    expect(sayInventory('en')).toMatchObject({ n23: 'twenty-three', 'ord-22': 'twenty-second', 'ord-30': 'thirtieth', 'month-5': 'May' });
  });
});
