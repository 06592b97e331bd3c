/** Naming of the event log's day files: one file per UTC day, `events-YYYY-MM-DD.jsonl`. */

export const DAY_MS = 86_400_000;
const DAY_FILE = /^events-(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The UTC day (YYYY-MM-DD) an instant falls in. */
export function utcDayOf(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

export function dayFileName(day: string): string {
  return `events-${day}.jsonl`;
}

/** The day of a file name, or undefined when the name is not a day file. */
export function dayOfFileName(name: string): string | undefined {
  const m = DAY_FILE.exec(name);
  if (!m?.[1]) return undefined;
  // Reject names like events-2024-13-45.jsonl that match the pattern but are not a calendar day.
  const startMs = Date.parse(`${m[1]}T00:00:00.000Z`);
  return Number.isFinite(startMs) && utcDayOf(startMs) === m[1] ? m[1] : undefined;
}

/** Start of a UTC day in ms since the epoch. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}
