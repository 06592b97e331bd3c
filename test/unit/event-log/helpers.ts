import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { stampEvent, type EventDraft, type HotlineEvent } from '../../../src/domain/metrics/events.js';
import { readEvents, type ReadEventsOptions } from '../../../src/adapters/event-log/read-events.js';

export interface LogLine {
  level: number;
  msg: string;
  err?: { code?: string; message?: string };
  [key: string]: unknown;
}

/** A pino logger whose JSON lines land in `lines` (synchronously). */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { logger, lines };
}

export function at(iso: string, draft: EventDraft): HotlineEvent {
  return stampEvent(draft, Date.parse(iso));
}

export function joined(iso: string, callId: string, queueId = 'sales'): HotlineEvent {
  return at(iso, { type: 'queue.joined', callId, queueId, position: 1, priority: 0 });
}

export async function collect(dir: string, opts: ReadEventsOptions = {}): Promise<{ events: HotlineEvent[]; warnings: string[] }> {
  const events: HotlineEvent[] = [];
  const warnings: string[] = [];
  for await (const ev of readEvents(dir, { ...opts, onWarning: (w) => warnings.push(w) })) events.push(ev);
  return { events, warnings };
}

/** File descriptors of this process open on something under `dir` (Linux /proc; [] elsewhere). */
export function openFdsUnder(dir: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  const targets: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) targets.push(target);
    } catch {
      // the fd closed between readdir and readlink
    }
  }
  return targets;
}
