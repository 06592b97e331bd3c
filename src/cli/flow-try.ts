/**
 * `hotline flow try <file|flow-id> [--lang zh|en] [--caller N] [--dialed N] [--at ISO] [--digits "1,123456#"]
 * [--http-fixture file.json] [--transfer connected|failed] [--json]`: walks a flow in the terminal without SIP
 * (app/flow-simulator.ts) and prints the prompts as text, the keys, the path, the variables and the outcome.
 * Keys come from --digits, else from the terminal when there is one, else every wait times out.
 */
import { statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { SystemClock } from '../adapters/clock/system-clock.js';
import { formatFlowError } from '../adapters/flows/flow-errors.js';
import { loadFlowDir, loadFlowFile } from '../adapters/flows/flow-loader.js';
import { FetchHttpDip, type HttpDip } from '../app/flow-http.js';
import { FixtureHttpDip, parseFixture } from '../app/flow-http-fixture.js';
import { simulateFlow, type SimLine, type SimResult } from '../app/flow-simulator.js';
import type { Flow } from '../domain/flow/model.js';
import { wallTime } from '../domain/flow/time/wall-clock.js';
import { flowLocations, shownPath } from './flow-locations.js';

export interface FlowTryOptions {
  lang?: string;
  caller?: string;
  dialed?: string;
  at?: string;
  digits?: string;
  httpFixture?: string;
  transfer?: string;
  json?: boolean;
  promptsDir?: string;
  flowsDir?: string;
}

export interface FlowTryIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Interactive keys (a terminal); undefined: none. */
  ask?: (question: string) => Promise<string | null>;
}

class TryError extends Error {}

export async function runFlowTry(target: string, opts: FlowTryOptions, io: FlowTryIo): Promise<number> {
  try {
    return await tryFlow(target, opts, io);
  } catch (err) {
    if (err instanceof TryError) {
      io.err(`hotline flow try: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

async function tryFlow(target: string, opts: FlowTryOptions, io: FlowTryIo): Promise<number> {
  const startMs = opts.at === undefined ? Date.now() : Date.parse(opts.at);
  if (Number.isNaN(startMs)) throw new TryError(`--at: "${opts.at}" is not an ISO 8601 date/time (e.g. 2026-11-23T22:00+08:00)`);
  if (opts.transfer !== undefined && opts.transfer !== 'connected' && opts.transfer !== 'failed') throw new TryError('--transfer must be connected or failed');
  const where = await flowLocations(opts, io.env, io.cwd);
  const flow = await findFlow(target, where.flowsDir, where.promptsDir, io);
  if (!flow) return 1;
  if (opts.lang !== undefined && !flow.languages.includes(opts.lang)) {
    io.err(`warning: flow "${flow.id}" plays in ${flow.languages.join(', ')}; prompts for "${opts.lang}" may be missing`);
  }
  const clock = new SystemClock();
  try {
    const http = opts.httpFixture ? await fixtureDip(path.resolve(io.cwd, opts.httpFixture)) : new FetchHttpDip(clock);
    const dialed = opts.dialed ?? Object.entries(where.numbers).find(([, id]) => id === flow.id)?.[0] ?? '4000000000';
    const interactive = opts.digits === undefined && io.ask !== undefined && !opts.json;
    const result = await simulateFlow({
      flow,
      caller: opts.caller ?? '13800138000',
      dialed,
      startMs,
      promptsDir: where.promptsDir,
      ...(opts.lang ? { language: opts.lang } : {}),
      ...(opts.digits !== undefined ? { digits: opts.digits.split(',').map((g) => g.trim()) } : {}),
      ...(interactive ? { ask: (nodeId: string) => io.ask!(`keys at ${nodeId} (Enter: no key, Ctrl-D: stop)> `) } : {}),
      http,
      transcripts: await readTranscripts(where.promptsDir),
      ...(opts.transfer ? { transferOutcome: opts.transfer as 'connected' | 'failed' } : {}),
      durationMs: wavDuration,
      ...(interactive ? { onLine: (l: SimLine) => io.out(formatLine(l)) } : {}),
    });
    if (opts.json) io.out(JSON.stringify(result, null, 2));
    else {
      io.out(header(result, flow));
      if (!interactive) for (const l of result.lines) io.out(formatLine(l));
      io.out(footer(result));
    }
    return 0;
  } finally {
    clock.close();
  }
}

/** A file path, or a flow id in the flows folder. Problems are printed as file:line:col. */
async function findFlow(target: string, flowsDir: string, promptsDir: string, io: FlowTryIo): Promise<Flow | undefined> {
  const file = path.resolve(io.cwd, target);
  const isFile = await stat(file).then((s) => s.isFile(), () => false);
  if (isFile) {
    const r = await loadFlowFile(file, { promptsDir, checkPrompts: false });
    if (!r.ok) {
      for (const e of r.errors) io.err(formatFlowError({ ...e, file: shownPath(e.file, io.cwd) }));
      return undefined;
    }
    await warnMissingPrompts(file, promptsDir, io);
    return r.flow;
  }
  const dir = await loadFlowDir(flowsDir, { promptsDir, checkPrompts: false });
  const flow = dir.flows.get(target);
  if (!flow) {
    const broken = dir.errors.filter((e) => dir.results.get(e.file)?.ok === false && (dir.results.get(e.file) as { flowId?: string }).flowId === target);
    if (broken.length > 0) for (const e of broken) io.err(formatFlowError({ ...e, file: shownPath(e.file, io.cwd) }));
    else io.err(`hotline flow try: no file "${target}" and no flow with that id in ${shownPath(flowsDir, io.cwd)} (known: ${[...dir.flows.keys()].sort().join(', ') || 'none'})`);
    return undefined;
  }
  await warnMissingPrompts(dir.files.get(target)!, promptsDir, io);
  return flow;
}

/** Missing recordings do not stop a try (the text is shown anyway), but the admin should know. */
async function warnMissingPrompts(file: string, promptsDir: string, io: FlowTryIo): Promise<void> {
  const full = await loadFlowFile(file, { promptsDir });
  if (full.ok) return;
  for (const e of full.errors) if (e.code === 'flow/missing-prompt') io.err(`warning: ${formatFlowError({ ...e, file: shownPath(e.file, io.cwd) })}`);
}

async function fixtureDip(file: string): Promise<HttpDip> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TryError(`--http-fixture: cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    return new FixtureHttpDip(parseFixture(JSON.parse(text) as unknown));
  } catch (err) {
    throw new TryError(`--http-fixture ${file}: ${(err as Error).message}`);
  }
}

async function readTranscripts(promptsDir: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(path.join(promptsDir, 'transcripts.json'), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const durations = new Map<string, number>();

/** 8 kHz 16-bit mono: 16 bytes per millisecond after the 44-byte header; unknown files count 1.5 s. */
function wavDuration(file: string): number {
  let ms = durations.get(file);
  if (ms === undefined) {
    try {
      ms = Math.max(0, Math.round((statSync(file).size - 44) / 16));
    } catch {
      ms = 1500;
    }
    durations.set(file, ms);
  }
  return ms;
}

function clockOf(atMs: number): string {
  return `${(atMs / 1000).toFixed(1).padStart(6)}s`;
}

export function formatLine(l: SimLine): string {
  const t = clockOf(l.atMs);
  switch (l.kind) {
    case 'enter':
      return `${t}  → ${l.nodes.join(' → ')}`;
    case 'prompt':
      return promptRows(l.items)
        .map((row, n) => `${n === 0 ? t : ' '.repeat(t.length)}  ♪ ${row}${n === 0 && !l.bargeIn ? '  (no barge-in)' : ''}`)
        .join('\n');
    case 'keys':
      return `${t}  ⌨ ${l.keys}  (${l.nodeId})`;
    case 'timeout':
      return `${t}  ⏱ no key within ${(l.afterMs / 1000).toFixed(1)} s (${l.nodeId})`;
    case 'http':
      return `${t}  ⇄ ${l.method} ${l.url} → ${l.outcome}${l.status !== undefined ? ` ${l.status}` : ''}${l.error ? ` (${l.error})` : ''}`;
    case 'record':
      return `${t}  ● voicemail recorded in mailbox ${l.mailbox} (${l.stop === 'key' ? 'ended by key' : 'maximum length'})`;
    case 'transfer':
      return `${t}  ☎ transfer to ${l.target}: ${l.outcome}`;
    case 'event': {
      const e = l.event;
      const detail = Object.entries(e)
        .filter(([k]) => k !== 'type' && k !== 'callId')
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      return `${t}  · ${e.type} ${detail}`;
    }
  }
}

/** One row per recording; the fragments of a spoken value are joined into one row of text. */
function promptRows(items: ReadonlyArray<{ file: string; text: string | null }>): string[] {
  const rows: string[] = [];
  let spoken: { lang: string; words: string[] } | undefined;
  const flush = (): void => {
    if (spoken) rows.push(`say/${spoken.lang}  “${spoken.words.join(spoken.lang === 'en' ? ' ' : '')}”`);
    spoken = undefined;
  };
  for (const i of items) {
    const say = /^say\/([a-z]+)\/[^/]+\.wav$/.exec(i.file);
    if (say && i.text !== null) {
      if (spoken && spoken.lang !== say[1]) flush();
      spoken ??= { lang: say[1]!, words: [] };
      spoken.words.push(i.text);
      continue;
    }
    flush();
    rows.push(`${i.file}${i.text !== null ? `  “${i.text}”` : ''}`);
  }
  flush();
  return rows;
}

function header(r: SimResult, flow: Flow): string {
  const w = wallTime(Date.parse(r.startedAt), flow.timezone);
  const local = `${w.date} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
  return `flow ${r.flow.id} version ${r.flow.version} · caller ${r.caller} → ${r.dialed} · ${local} ${flow.timezone}`;
}

function footer(r: SimResult): string {
  const o = r.outcome;
  let outcome: string;
  if (o.kind === 'queue') {
    const attrs = [`priority ${o.priority}`, o.skills?.length ? `skills ${o.skills.join(', ')}` : '', o.callerClass ? `caller class ${o.callerClass}` : '', o.language ? `language ${o.language}` : ''].filter((x) => x !== '');
    outcome = `queue ${o.queue} (${attrs.join(', ')})`;
  } else if (o.kind === 'transfer') outcome = `transferred to ${o.target}`;
  else if (o.kind === 'hangup') outcome = `hang-up, cause ${o.cause}`;
  else outcome = `stopped: ${o.reason}`;
  const vars = Object.entries(r.variables).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return [`path: ${r.path.join(' → ')}`, `variables: ${vars.length ? vars.join(', ') : '(none)'}`, `outcome: ${outcome}`].join('\n');
}

/** Reads keys from the terminal. */
export function terminalAsk(): { ask: (q: string) => Promise<string | null>; close: () => void } {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  let closed = false;
  rl.on('close', () => (closed = true));
  return {
    ask: async (q) => {
      if (closed) return null;
      const answer = await Promise.race([rl.question(q), new Promise<null>((resolve) => rl.once('close', () => resolve(null)))]);
      return answer === null ? null : answer.replace(/[^0-9*#]/g, '');
    },
    close: () => rl.close(),
  };
}
