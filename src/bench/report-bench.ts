/**
 * `npm run bench -- report [--json] [--events N]`: folds a generated event log of at least 5 million events
 * (a month of a busy centre: IVR, queue, ringing, agent state and wrap-up events, as the engine writes them)
 * from disk into the 30-minute interval report, and prints `{ "events", "eventsPerSec" }`.
 *
 * The log is generated once into the OS temp directory and reused by later runs (its generation is not
 * timed). What is timed is what `hotline report --interval 30m --format json` runs after reading its
 * options (runReport: read, fold, render), on this process's one JS thread.
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dayFileName, utcDayOf } from '../adapters/event-log/day-files.js';
import { runReport } from '../cli/report-command.js';
import { stampEvent, type EventDraft } from '../domain/metrics/events.js';
import type { Report } from '../domain/metrics/report.js';

const DEFAULT_EVENTS = 5_000_000;
const START_MS = Date.parse('2024-04-01T00:00:00+08:00');
const QUEUES = ['sales', 'support', 'billing', 'vip'];
const AGENTS = Array.from({ length: 32 }, (_, i) => String(1001 + i));

export async function reportBench(opts: { json: boolean; args: string[] }): Promise<{ events: number; eventsPerSec: number }> {
  const i = opts.args.indexOf('--events');
  const wanted = i >= 0 ? Number(opts.args[i + 1]) : DEFAULT_EVENTS;
  if (!Number.isInteger(wanted) || wanted <= 0) throw new Error('--events must be a positive whole number');
  const dir = path.join(tmpdir(), `hotline-bench-report-v3-${wanted}`);
  const log = (s: string): void => {
    if (!opts.json) process.stdout.write(`${s}\n`);
  };
  if (!existsSync(path.join(dir, 'COMPLETE'))) {
    log(`generating ${wanted.toLocaleString('en')} events into ${dir} (once; reused by later runs) …`);
    await generateLog(dir, wanted);
  }

  // Every line of the log is an event; the generator recorded how many it wrote.
  const lines = Number((await readFile(path.join(dir, 'COMPLETE'), 'utf8')).trim());
  let output = '';
  const warnings: string[] = [];
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const code = await runReport({
    eventsDir: dir,
    slThresholdSec: 20,
    interval: { kind: 'minutes', minutes: 30 },
    timeZone: 'Asia/Shanghai',
    format: 'json',
    out: (s) => (output = s),
    warn: (s) => warnings.push(s),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const eventsPerSec = Math.round(lines / seconds);
  if (code !== 0 || warnings.length > 0) throw new Error(`report failed (exit ${code}): ${warnings.join('; ')}`);
  const report = JSON.parse(output) as Report;
  log(`folded ${lines.toLocaleString('en')} events (${report.total.offered.toLocaleString('en')} calls offered, ${report.intervals?.length ?? 0} intervals) in ${seconds.toFixed(2)} s: ${eventsPerSec.toLocaleString('en')} events/s`);
  // CPU time includes the GC and file-read threads; on a shared machine it shows what the wall clock hides.
  log(`process CPU time ${cpuSeconds.toFixed(2)} s (${Math.round(lines / cpuSeconds).toLocaleString('en')} events per CPU-second)`);
  return { events: lines, eventsPerSec };
}

/**
 * A month of a busy centre, written in time order as the engine would append it: calls arrive ~7 s apart
 * (about 12,000 a day) into four queues served by 32 agents, the longest-idle agent first; callers whose
 * wait passes their patience abandon. ~14 events per answered call (IVR, queue, ring, agent states,
 * wrap-up), ~6 per abandoned one.
 */
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
  const writer = new DayFileWriter(dir);
  // Events of calls under way, emitted in time order once no later call can precede them.
  const pending = new EventHeap();
  const freeAt = new Map(AGENTS.map((a) => [a, START_MS]));
  for (const agentId of AGENTS) pending.push(START_MS, { type: 'agent.state-changed', agentId, from: 'logged-out', to: 'available' });
  let t = START_MS;
  let n = 0;
  while (writer.written + pending.size < total) {
    t += Math.floor(random() * 14_000) + 1;
    while (pending.size > 0 && pending.peekTs() <= t) await writer.write(pending.pop());
    const callId = `c${(n++).toString(36)}`;
    const queueId = QUEUES[Math.floor(random() * QUEUES.length)] ?? 'sales';
    const from = `138${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    pending.push(t, { type: 'call.offered', callId, from, to: '4008208820', flowId: 'main', flowVersion: '3' });
    pending.push(t + 200, { type: 'menu.entered', callId, flowId: 'main', nodeId: 'welcome', attempt: 1 });
    pending.push(t + 6000, { type: 'digits.received', callId, nodeId: 'welcome', digits: '1', source: 'rfc4733' });
    const joined = t + 6500;
    pending.push(joined, { type: 'queue.joined', callId, queueId, position: 1, priority: 0 });
    let agentId = AGENTS[0] ?? '1001';
    for (const a of AGENTS) if ((freeAt.get(a) ?? 0) < (freeAt.get(agentId) ?? 0)) agentId = a;
    const ringMs = 1000 + Math.floor(random() * 8000);
    const offered = Math.max(joined, freeAt.get(agentId) ?? 0);
    const answered = offered + ringMs;
    const patienceMs = -Math.log(1 - random()) * 90_000;
    if (answered - joined > patienceMs) {
      const waitMs = Math.floor(patienceMs);
      pending.push(joined + waitMs, { type: 'call.abandoned', callId, queueId, waitMs, whileRinging: false, position: 1 });
      pending.push(joined + waitMs, { type: 'call.ended', callId, hungUpBy: 'caller', cause: 'abandon', queueId, durationMs: 6500 + waitMs });
      continue;
    }
    const talkMs = 30_000 + Math.floor(random() * 300_000);
    const ended = answered + talkMs;
    freeAt.set(agentId, ended + 10_005);
    pending.push(offered, { type: 'agent.state-changed', agentId, from: 'available', to: 'reserved', callId });
    pending.push(offered, { type: 'agent.offered', callId, queueId, agentId, attempt: 1 });
    pending.push(offered + 5, { type: 'agent.state-changed', agentId, from: 'reserved', to: 'ringing', callId });
    pending.push(offered + 80, { type: 'agent.ringing', callId, agentId });
    pending.push(answered, { type: 'agent.state-changed', agentId, from: 'ringing', to: 'on-call', callId });
    pending.push(answered, { type: 'call.answered', callId, queueId, agentId, waitMs: answered - joined, ringMs });
    pending.push(ended, { type: 'call.ended', callId, hungUpBy: random() < 0.5 ? 'caller' : 'agent', cause: 'normal', queueId, agentId, talkMs, durationMs: ended - t });
    pending.push(ended + 5, { type: 'agent.state-changed', agentId, from: 'on-call', to: 'wrap-up', callId });
    pending.push(ended + 10_005, { type: 'agent.state-changed', agentId, from: 'wrap-up', to: 'available', callId });
    pending.push(ended + 10_005, { type: 'agent.wrapup-ended', agentId, callId, wrapupMs: 10_000 });
  }
  while (pending.size > 0) await writer.write(pending.pop());
  await writer.close();
  await writeFile(path.join(dir, 'COMPLETE'), `${writer.written}\n`);
}

/** Appends stamped events to their UTC day file, as JsonlEventLog lays them out. */
class DayFileWriter {
  written = 0;
  private out: WriteStream | undefined;
  private day = '';
  private buffer = '';

  constructor(private readonly dir: string) {}

  async write(e: { ts: number; draft: EventDraft }): Promise<void> {
    const day = utcDayOf(e.ts);
    if (day !== this.day) {
      await this.flush();
      if (this.out) await closeStream(this.out);
      this.out = createWriteStream(path.join(this.dir, dayFileName(day)), { flags: 'a' });
      this.day = day;
    }
    this.buffer += `${JSON.stringify(stampEvent(e.draft, e.ts))}\n`;
    this.written++;
    if (this.buffer.length > 1 << 20) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.out) await closeStream(this.out);
  }

  private async flush(): Promise<void> {
    const stream = this.out;
    if (!stream || this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
}

/** A binary min-heap of events by time (ties in push order). */
class EventHeap {
  private readonly items: Array<{ ts: number; seq: number; draft: EventDraft }> = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peekTs(): number {
    return this.items[0]?.ts ?? Number.POSITIVE_INFINITY;
  }

  push(ts: number, draft: EventDraft): void {
    const items = this.items;
    items.push({ ts, seq: this.seq++, draft });
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { ts: number; draft: EventDraft } {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (!top || !last) throw new Error('pop from an empty heap');
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(l, m)) m = l;
        if (r < items.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    return !!x && !!y && (x.ts < y.ts || (x.ts === y.ts && x.seq < y.seq));
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    const x = items[a];
    const y = items[b];
    if (x && y) [items[a], items[b]] = [y, x];
  }
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
