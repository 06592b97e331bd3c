/**
 * `hours`: business hours per weekday in a time zone (default Asia/Shanghai), with an optional holiday
 * calendar file. Branches open / closed / holiday at once.
 *
 *   weekly:
 *     weekdays: "09:00-18:00"           # mon-fri
 *     sat: "09:00-12:00, 13:00-17:00"
 *     sun: closed
 */
import type { FieldReader } from '../fields.js';
import { DEFAULT_TIMEZONE, type TimeRange, type Weekday } from '../model.js';
import { FlowProblemCodes as C } from '../problems.js';
import type { SourceNode } from '../source.js';
import { f } from '../spec.js';
import { WEEKDAY_NAMES } from '../time/calendar.js';
import { isValidTimeZone } from '../time/wall-clock.js';
import type { NodeKind } from './kind.js';

const GROUPS: Readonly<Record<string, readonly Weekday[]>> = {
  daily: [1, 2, 3, 4, 5, 6, 7],
  weekdays: [1, 2, 3, 4, 5],
  weekend: [6, 7],
};
const DAY_KEYS = [...Object.keys(GROUPS), ...Object.keys(WEEKDAY_NAMES)];
const RANGE = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)$/;

export const hoursKind: NodeKind<'hours'> = {
  type: 'hours',
  doc: 'Branches on business hours per weekday in a time zone, with a holiday calendar: open, closed or holiday.',
  fields: [
    f.string('timezone', 'IANA time zone (default Asia/Shanghai)', { examples: ['Asia/Shanghai', 'Asia/Hong_Kong', 'Europe/London'] }),
    f.custom('weekly', 'opening hours: daily, weekdays, weekend, or mon..sun (a day overrides its group) → "09:00-18:00", "09:00-12:00, 13:00-18:00" or closed', {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      properties: Object.fromEntries(DAY_KEYS.map((k) => [k, { type: 'string', pattern: '^(closed|[0-2][0-9]:[0-5][0-9]\\s*-\\s*[0-2][0-9]:[0-5][0-9](\\s*,\\s*[0-2][0-9]:[0-5][0-9]\\s*-\\s*[0-2][0-9]:[0-5][0-9])*)$' }])),
    }, { required: true }),
    f.string('calendar', 'holiday calendar file, relative to the flow file (e.g. calendars/cn-2026.yaml)', { pattern: /\.ya?ml$/i, what: 'a .yaml file' }),
    f.target('open', 'node when open', { required: true, immediate: true }),
    f.target('closed', 'node when closed', { required: true, immediate: true }),
    f.target('holiday', 'node on a calendar holiday (default: closed)', { immediate: true }),
  ],
  decode(r, id) {
    const timezone = r.str('timezone') ?? DEFAULT_TIMEZONE;
    if (r.has('timezone') && !isValidTimeZone(timezone)) {
      r.problems.add(C.BAD_HOURS, r.entry('timezone')!.value.pos, `node "${id}": unknown time zone ${JSON.stringify(timezone)} (e.g. Asia/Shanghai)`);
    }
    const calendar = r.str('calendar') ?? null;
    if (calendar !== null) r.ctx.calendarUses.push({ nodeId: id, file: calendar, pos: r.entry('calendar')!.value.pos });
    const closed = r.target('closed') ?? '';
    return {
      type: 'hours',
      id,
      timezone,
      weekly: decodeWeekly(r, id),
      calendar,
      open: r.target('open') ?? '',
      closed,
      holiday: r.target('holiday') ?? closed,
    };
  },
};

function decodeWeekly(r: FieldReader, id: string): Record<Weekday, TimeRange[]> {
  const weekly: Record<Weekday, TimeRange[]> = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
  const e = r.entry('weekly');
  if (!e) {
    r.missing('weekly');
    return weekly;
  }
  if (e.value.kind !== 'map') {
    r.wrongType('weekly', e.value, 'a map of day → hours');
    return weekly;
  }
  // Groups first, then single days, so "weekdays: 9-18" plus "fri: 9-16" means Friday closes early.
  const entries = [...e.value.entries].sort((a, b) => rank(a.key) - rank(b.key));
  for (const day of entries) {
    const days = GROUPS[day.key] ?? (WEEKDAY_NAMES[day.key] ? [WEEKDAY_NAMES[day.key]!] : undefined);
    if (!days) {
      r.problems.add(C.UNKNOWN_FIELD, day.keyPos, `node "${id}": weekly: unknown day "${day.key}" (allowed: ${DAY_KEYS.join(', ')})`);
      continue;
    }
    const ranges = parseRanges(r, id, `weekly.${day.key}`, day.value);
    if (ranges) for (const d of days) weekly[d] = ranges;
  }
  return weekly;
}

function rank(key: string): number {
  return key === 'daily' ? 0 : key in GROUPS ? 1 : 2;
}

function parseRanges(r: FieldReader, id: string, label: string, node: SourceNode): TimeRange[] | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') {
    r.wrongType(label, node, 'hours like "09:00-18:00" or closed');
    return undefined;
  }
  const text = node.value.trim();
  if (text === 'closed') return [];
  const out: TimeRange[] = [];
  for (const piece of text.split(',').map((s) => s.trim())) {
    const m = RANGE.exec(piece);
    const fromMin = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    const toMin = m ? Number(m[3]) * 60 + Number(m[4]) : NaN;
    if (!m || toMin > 24 * 60 || toMin <= fromMin) {
      r.problems.add(C.BAD_HOURS, node.pos, `node "${id}": "${label}": ${JSON.stringify(piece)} is not a time range like 09:00-18:00 (24 h, end after start, at most 24:00)`);
      return undefined;
    }
    const overlap = out.find((o) => fromMin < o.toMin && o.fromMin < toMin);
    if (overlap) {
      r.problems.add(C.BAD_HOURS, node.pos, `node "${id}": "${label}": ranges overlap`);
      return undefined;
    }
    out.push({ fromMin, toMin });
  }
  return out.sort((a, b) => a.fromMin - b.fromMin);
}
