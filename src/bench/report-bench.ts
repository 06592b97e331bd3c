/**
 * `npm run bench -- report [--json] [--events N]`: folds a generated event log of at least 5 million events
 * (a month of a busy centre: IVR, queue, ringing, agent state and wrap-up events, as the engine writes them)
 * from disk into the 30-minute interval report, and prints `{ "events", "eventsPerSec" }`.
 *
 * The log is generated once into the OS temp directory and reused by later runs (its generation is not
 * timed). Only the read-and-fold is timed, on this process's one JS thread.
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dayFileName, utcDayOf } from '../adapters/event-log/day-files.js';
import { readEventBatches } from '../adapters/event-log/read-events.js';
import { stampEvent, type EventDraft } from '../domain/metrics/events.js';
import { createReportFold, REPORT_EVENT_FIELDS } from '../domain/metrics/report.js';

const DEFAULT_EVENTS = 5_000_000;
const START_MS = Date.parse('2024-04-01T00:00:00+08:00');
const QUEUES = ['sales', 'support', 'billing', 'vip'];
const AGENTS = Array.from({ length: 60 }, (_, i) => String(1001 + i));

export async function reportBench(opts: { json: boolean; args: string[] }): Promise<{ events: number; eventsPerSec: number }> {
  const i = opts.args.indexOf('--events');
  const wanted = i >= 0 ? Number(opts.args[i + 1]) : DEFAULT_EVENTS;
  if (!Number.isInteger(wanted) || wanted <= 0) throw new Error('--events must be a positive whole number');
  const dir = path.join(tmpdir(), `hotline-bench-report-v2-${wanted}`);
  const log = (s: string): void => {
    if (!opts.json) process.stdout.write(`${s}\n`);
  };
  if (!existsSync(path.join(dir, 'COMPLETE'))) {
    log(`generating ${wanted.toLocaleString('en')} events into ${dir} (once; reused by later runs) …`);
    await generateLog(dir, wanted);
  }

  // Every line of the log is an event; the generator recorded how many it wrote.
  const lines = Number((await readFile(path.join(dir, 'COMPLETE'), 'utf8')).trim());
  const fold = createReportFold({ interval: { kind: 'minutes', minutes: 30 }, timeZone: 'Asia/Shanghai' });
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for await (const batch of readEventBatches(dir, { fields: REPORT_EVENT_FIELDS })) {
    for (const ev of batch) fold.add(ev);
  }
  const report = fold.result();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const eventsPerSec = Math.round(lines / seconds);
  log(`folded ${lines.toLocaleString('en')} events (${report.total.offered.toLocaleString('en')} calls offered, ${report.intervals?.length ?? 0} intervals) in ${seconds.toFixed(2)} s: ${eventsPerSec.toLocaleString('en')} events/s`);
  // CPU time includes the GC and file-read threads; on a shared machine it shows what the wall clock hides.
  log(`process CPU time ${cpuSeconds.toFixed(2)} s (${Math.round(lines / cpuSeconds).toLocaleString('en')} events per CPU-second)`);
  return { events: lines, eventsPerSec };
}

/** A month of calls: ~14 events per answered call, ~8 per abandoned one, spread over day files like the log. */
async function generateLog(dir: string, total: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let rnd = 42;
  const random = (): number => {
    // xorshift32: a fixed, fast sequence, so every run folds the same log.
    rnd ^= rnd << 13;
    rnd ^= rnd >>> 17;
    rnd ^= rnd << 5;
    return (rnd >>> 0) / 4294967296;
  };
  let written = 0;
  let out: WriteStream | undefined;
  let outDay = '';
  let buffer = '';
  const flush = async (): Promise<void> => {
    if (!out || buffer === '') return;
    const stream = out;
    const text = buffer;
    buffer = '';
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  };
  const emit = async (draft: EventDraft, ts: number): Promise<void> => {
    const day = utcDayOf(ts);
    if (day !== outDay) {
      await flush();
      if (out) await closeStream(out);
      out = createWriteStream(path.join(dir, dayFileName(day)), { flags: 'a' });
      outDay = day;
    }
    buffer += `${JSON.stringify(stampEvent(draft, ts))}\n`;
    written++;
    if (buffer.length > 1 << 20) await flush();
  };

  // Calls arrive every ~0.5 s on average; events of one call are written in time order, calls one after
  // another (the day files are in order within a call, almost in order overall, as a real log).
  let t = START_MS;
  let n = 0;
  while (written < total) {
    t += Math.floor(random() * 14_000) + 1; // ~7 s apart: about 12,000 calls a day
    const callId = `c${(n++).toString(36)}`;
    const queueId = QUEUES[Math.floor(random() * QUEUES.length)] ?? 'sales';
    const agentId = AGENTS[Math.floor(random() * AGENTS.length)] ?? '1001';
    const from = `138${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    await emit({ type: 'call.offered', callId, from, to: '4008208820', flowId: 'main', flowVersion: '3' }, t);
    await emit({ type: 'menu.entered', callId, flowId: 'main', nodeId: 'welcome', attempt: 1 }, t + 200);
    await emit({ type: 'digits.received', callId, nodeId: 'welcome', digits: '1', source: 'rfc4733' }, t + 6000);
    const joined = t + 6500;
    await emit({ type: 'queue.joined', callId, queueId, position: 1 + Math.floor(random() * 5), priority: 0 }, joined);
    const waitMs = Math.floor(random() * 60_000);
    if (random() < 0.12) {
      await emit({ type: 'call.abandoned', callId, queueId, waitMs, whileRinging: false, position: 2 }, joined + waitMs);
      await emit({ type: 'call.ended', callId, hungUpBy: 'caller', cause: 'abandon', queueId, durationMs: 6500 + waitMs }, joined + waitMs);
      continue;
    }
    const ringMs = 1000 + Math.floor(random() * 8000);
    const offered = joined + waitMs - ringMs;
    await emit({ type: 'agent.state-changed', agentId, from: 'available', to: 'reserved', callId }, offered);
    await emit({ type: 'agent.offered', callId, queueId, agentId, attempt: 1 }, offered);
    await emit({ type: 'agent.state-changed', agentId, from: 'reserved', to: 'ringing', callId }, offered + 5);
    await emit({ type: 'agent.ringing', callId, agentId }, offered + 80);
    const answered = joined + waitMs;
    await emit({ type: 'agent.state-changed', agentId, from: 'ringing', to: 'on-call', callId }, answered);
    await emit({ type: 'call.answered', callId, queueId, agentId, waitMs, ringMs }, answered);
    const talkMs = 30_000 + Math.floor(random() * 300_000);
    const ended = answered + talkMs;
    await emit({ type: 'call.ended', callId, hungUpBy: random() < 0.5 ? 'caller' : 'agent', cause: 'normal', queueId, agentId, talkMs, durationMs: ended - t }, ended);
    await emit({ type: 'agent.state-changed', agentId, from: 'on-call', to: 'wrap-up', callId }, ended + 5);
    await emit({ type: 'agent.state-changed', agentId, from: 'wrap-up', to: 'available', callId }, ended + 10_005);
    await emit({ type: 'agent.wrapup-ended', agentId, callId, wrapupMs: 10_000 }, ended + 10_005);
  }
  await flush();
  if (out) await closeStream(out);
  await writeFile(path.join(dir, 'COMPLETE'), `${written}\n`);
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
