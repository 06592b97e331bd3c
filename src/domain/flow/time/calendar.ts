/**
 * Holiday calendar files: dates the hotline is closed (public holidays) and make-up working days (调休: a
 * weekend day worked in exchange for a bridge day off). Decoded from a positioned source tree, so problems
 * point at file:line:col like flow problems do.
 *
 *   closed:
 *     - { date: 2026-01-01, name: 元旦 }
 *     - { from: 2026-02-15, to: 2026-02-23, name: 春节 }
 *   workdays:
 *     - { date: 2026-02-14, name: 春节调休, as: mon }   # open with Monday's hours (default)
 */
import { FieldReader, newDecodeContext } from '../fields.js';
import type { HolidayCalendar, Weekday } from '../model.js';
import { FlowProblemCodes as C, ProblemList, type FlowProblem } from '../problems.js';
import { describeNode, type SourceNode } from '../source.js';
import { f, type FieldSpec } from '../spec.js';
import { datesBetween, weekdayOf } from './wall-clock.js';

export const WEEKDAY_NAMES: Readonly<Record<string, Weekday>> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A range longer than this is a typo (a wrong year), not a holiday. */
const MAX_RANGE_DAYS = 60;

const CALENDAR_SPECS: readonly FieldSpec[] = [
  f.string('name', 'what the calendar is, e.g. "China 2026"'),
  f.custom('closed', 'dates closed: { date, name } or { from, to, name }', { type: 'array' }),
  f.custom('workdays', 'make-up working days: { date, name, as: mon }', { type: 'array' }),
];
const CLOSED_SPECS: readonly FieldSpec[] = [
  f.string('date', 'one date, YYYY-MM-DD'),
  f.string('from', 'first date of a range'),
  f.string('to', 'last date of a range'),
  f.string('name', 'the holiday'),
];
const WORKDAY_SPECS: readonly FieldSpec[] = [
  f.string('date', 'the date, YYYY-MM-DD', { required: true }),
  f.string('name', 'why it is worked'),
  f.enum('as', 'whose hours apply', Object.keys(WEEKDAY_NAMES), { default: 'mon' }),
];

export type CalendarDecode = { ok: true; calendar: HolidayCalendar } | { ok: false; problems: FlowProblem[] };

export function decodeCalendar(root: SourceNode): CalendarDecode {
  const problems = new ProblemList();
  const ctx = newDecodeContext(problems);
  const closed: Record<string, string> = {};
  const workdays: Record<string, { as: Weekday; name: string }> = {};
  if (root.kind !== 'map') {
    problems.add(C.BAD_CALENDAR, root.pos, `a holiday calendar must be a map with "closed" and "workdays" lists; got ${describeNode(root)}`);
    return { ok: false, problems: problems.sorted() };
  }
  const r = new FieldReader(root, 'calendar', root.pos, ctx, '', CALENDAR_SPECS);
  r.rejectUnknown();
  r.str('name');
  for (const [i, item] of listItems(r, 'closed')) {
    const c = r.sub(item, `closed[${i}]`, item.pos, CLOSED_SPECS);
    c.rejectUnknown();
    const name = c.str('name') ?? 'holiday';
    const one = c.str('date');
    const from = c.str('from');
    const to = c.str('to');
    let dates: string[] = [];
    if (one !== undefined && (from !== undefined || to !== undefined)) {
      problems.add(C.BAD_CALENDAR, item.pos, `calendar: closed[${i}]: give "date" or "from"/"to", not both`);
    } else if (one !== undefined) {
      if (validDate(c, 'date', one)) dates = [one];
    } else if (from !== undefined && to !== undefined) {
      if (validDate(c, 'from', from) && validDate(c, 'to', to)) {
        if (to < from) problems.add(C.BAD_CALENDAR, c.entry('to')!.value.pos, `calendar: closed[${i}]: "to" (${to}) is before "from" (${from})`);
        else {
          dates = datesBetween(from, to, MAX_RANGE_DAYS + 1);
          if (dates.length > MAX_RANGE_DAYS) {
            problems.add(C.BAD_CALENDAR, c.entry('to')!.value.pos, `calendar: closed[${i}]: a range of more than ${MAX_RANGE_DAYS} days; check the year`);
            dates = [];
          }
        }
      }
    } else {
      problems.add(C.MISSING_FIELD, item.pos, `calendar: closed[${i}]: needs "date", or "from" and "to"`);
    }
    for (const d of dates) closed[d] = name;
  }
  for (const [i, item] of listItems(r, 'workdays')) {
    const w = r.sub(item, `workdays[${i}]`, item.pos, WORKDAY_SPECS);
    w.rejectUnknown();
    const date = w.str('date');
    const name = w.str('name') ?? 'make-up working day';
    const as = WEEKDAY_NAMES[w.oneOf<string>('as') ?? 'mon'] ?? 1;
    if (date === undefined || !validDate(w, 'date', date)) continue;
    if (Object.hasOwn(closed, date)) {
      problems.add(C.BAD_CALENDAR, w.entry('date')!.value.pos, `calendar: ${date} is both closed (${closed[date]}) and a working day`);
      continue;
    }
    workdays[date] = { as, name };
  }
  if (problems.count > 0) return { ok: false, problems: problems.sorted() };
  return { ok: true, calendar: { closed, workdays } };
}

function listItems(r: FieldReader, key: string): Array<[number, Extract<SourceNode, { kind: 'map' }>]> {
  const e = r.entry(key);
  if (!e || (e.value.kind === 'scalar' && e.value.value === null)) return [];
  if (e.value.kind !== 'seq') {
    r.wrongType(key, e.value, 'a list');
    return [];
  }
  const out: Array<[number, Extract<SourceNode, { kind: 'map' }>]> = [];
  e.value.items.forEach((item, i) => {
    if (item.kind === 'map') out.push([i, item]);
    else if (item.kind === 'scalar' && typeof item.value === 'string') {
      // A bare date is short for { date: ... }.
      out.push([i, { kind: 'map', pos: item.pos, entries: [{ key: 'date', keyPos: item.pos, value: item }] }]);
    } else r.wrongType(`${key}[${i}]`, item, 'a map like { date: 2026-10-01, name: 国庆节 }');
  });
  return out;
}

function validDate(r: FieldReader, key: string, value: string): boolean {
  if (DATE.test(value) && weekdayOf(value) !== undefined) return true;
  r.problems.add(C.BAD_CALENDAR, r.entry(key)!.value.pos, `${r.subject}: "${key}" must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return false;
}
