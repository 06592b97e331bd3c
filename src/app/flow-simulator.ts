/**
 * Walks a flow without SIP for `hotline flow try`: the same interpreter as live calls, with virtual time,
 * prompts shown as text, keys from a script (or asked for), HTTP answers from a fixture (or real requests),
 * and a transcript of everything that happened, ending with the outcome (queue and attributes, transfer,
 * hang-up).
 *
 * Scripted keys come in groups ("1,123456#,,2"): each time the flow waits for the caller, the next group is
 * typed; an empty group, or no group left, lets the wait time out. A group that leaves an entry unfinished
 * (no terminator) is ended by its inter-digit timeout.
 */
import type { EventDraft } from '../domain/metrics/events.js';
import type { FlowCommand, FlowInput, HttpResult, RoutingAttributes } from '../domain/flow/commands.js';
import { startFlow, stepFlow, type FlowState, type FlowStep } from '../domain/flow/interpreter.js';
import type { Flow } from '../domain/flow/model.js';
import { maskValue } from '../domain/flow/runtime/mask.js';
import { sayInventory, SAY_LANGUAGES, type SayLanguage } from '../domain/flow/say/index.js';
import type { ExprValue } from '../domain/flow/expr/parser.js';
import type { HttpDip } from './flow-http.js';

export type SimLine =
  | { atMs: number; kind: 'enter'; nodes: string[] }
  | { atMs: number; kind: 'prompt'; nodeId: string; items: Array<{ file: string; text: string | null }>; bargeIn: boolean }
  | { atMs: number; kind: 'keys'; nodeId: string; keys: string }
  | { atMs: number; kind: 'timeout'; nodeId: string; afterMs: number }
  | { atMs: number; kind: 'http'; nodeId: string; method: string; url: string; outcome: string; status?: number; error?: string }
  | { atMs: number; kind: 'record'; nodeId: string; mailbox: string; stop: 'key' | 'max' }
  | { atMs: number; kind: 'transfer'; nodeId: string; target: string; outcome: string }
  | { atMs: number; kind: 'event'; event: EventDraft };

type SimLineDraft = SimLine extends infer L ? (L extends SimLine ? Omit<L, 'atMs'> : never) : never;

export type SimOutcome =
  | ({ kind: 'queue'; queue: string; priority: number } & RoutingAttributes)
  | { kind: 'transfer'; target: string }
  | { kind: 'hangup'; cause: string }
  /** The script ran out while the flow still waited (interactive: the user ended it). */
  | { kind: 'stopped'; reason: string };

export interface SimResult {
  readonly flow: { id: string; version: string };
  readonly caller: string;
  readonly dialed: string;
  readonly startedAt: string;
  readonly lines: SimLine[];
  readonly path: string[];
  /** Final variables; sensitive ones masked to their last 4 characters. */
  readonly variables: Record<string, ExprValue>;
  readonly outcome: SimOutcome;
}

export interface SimOptions {
  flow: Flow;
  caller: string;
  dialed: string;
  startMs: number;
  promptsDir: string;
  /** Start in this language instead of the flow's default. */
  language?: string;
  /** Key groups to type, in order; undefined with `ask`: interactive. */
  digits?: string[];
  /** Asks the user for the next keys ('' lets the wait time out; null ends the simulation). */
  ask?: (nodeId: string, what: string) => Promise<string | null>;
  http: HttpDip;
  /** `<promptsDir>`-relative file → transcript (prompts/transcripts.json). */
  transcripts?: Readonly<Record<string, string>>;
  /** What a transfer to an agent or external number does. */
  transferOutcome?: 'connected' | 'failed';
  /** Estimated playing time of a file, for the clock of the transcript. */
  durationMs?: (file: string) => number;
  /** Inputs at most, so a flow that loops on timeouts cannot run forever. */
  maxInputs?: number;
  /** Called with each line as it happens (interactive printing). */
  onLine?: (line: SimLine) => void;
}

const DEFAULT_MAX_INPUTS = 500;

export async function simulateFlow(opts: SimOptions): Promise<SimResult> {
  return new Simulation(opts).run();
}

class Simulation {
  private state!: FlowState;
  private nowMs: number;
  private readonly lines: SimLine[] = [];
  private readonly path: string[] = [];
  private readonly digits: string[] | undefined;
  private playId: number | null = null;
  private timer: { id: string; ms: number } | null = null;
  /** Results the world owes the flow, delivered before anything else. */
  private readonly owed: FlowInput[] = [];
  private outcome: SimOutcome | null = null;
  private inputs = 0;
  /** Mailbox of the recording in progress. */
  private recording: string | null = null;

  constructor(private readonly opts: SimOptions) {
    this.nowMs = opts.startMs;
    this.digits = opts.digits ? [...opts.digits] : undefined;
  }

  async run(): Promise<SimResult> {
    const { flow } = this.opts;
    const step = startFlow(flow, {
      callId: 'try',
      from: this.opts.caller,
      to: this.opts.dialed,
      promptsDir: this.opts.promptsDir,
      startedAtMs: this.opts.startMs,
      ...(this.opts.language ? { language: this.opts.language } : {}),
    });
    await this.apply(step);
    while (this.outcome === null) {
      if (this.inputs++ >= (this.opts.maxInputs ?? DEFAULT_MAX_INPUTS)) {
        this.outcome = { kind: 'stopped', reason: `more than ${this.opts.maxInputs ?? DEFAULT_MAX_INPUTS} inputs; the flow may loop` };
        break;
      }
      await this.next();
    }
    return {
      flow: { id: flow.id, version: flow.version },
      caller: this.opts.caller,
      dialed: this.opts.dialed,
      startedAt: new Date(this.opts.startMs).toISOString(),
      lines: this.lines,
      path: this.path,
      variables: this.shownVariables(),
      outcome: this.outcome,
    };
  }

  /** Decides the next input: an owed result, the end of a prompt, the caller's keys, or a timeout. */
  private async next(): Promise<void> {
    const owed = this.owed.shift();
    if (owed) return this.send(owed);
    if (this.playId !== null) {
      const playId = this.playId;
      return this.send({ kind: 'play-finished', playId, outcome: 'done' });
    }
    if (this.timer === null) {
      this.outcome = { kind: 'stopped', reason: `the flow waits at "${this.state.nodeId}" for nothing the simulator can give` };
      return;
    }
    if (this.state.entry !== '') return this.fireTimer();
    const keys = await this.keys();
    if (keys === null) {
      this.outcome = { kind: 'stopped', reason: 'ended by the user' };
      return;
    }
    if (keys === '') return this.fireTimer();
    this.line({ kind: 'keys', nodeId: this.state.nodeId, keys });
    for (const digit of keys) {
      if (this.outcome) return;
      await this.send({ kind: 'digit', digit, source: 'rfc4733' });
      // Keys typed into a prompt that barges in end it; the rest of the group goes to what follows.
      this.nowMs += 300;
    }
  }

  private async keys(): Promise<string | null> {
    if (this.digits) return this.digits.length > 0 ? this.digits.shift()! : '';
    if (this.opts.ask) return this.opts.ask(this.state.nodeId, this.state.phase);
    return '';
  }

  private async fireTimer(): Promise<void> {
    const t = this.timer!;
    this.nowMs += t.ms;
    if (this.state.phase !== 'voicemail-recording') this.line({ kind: 'timeout', nodeId: this.state.nodeId, afterMs: t.ms });
    await this.send({ kind: 'timer', timerId: t.id });
  }

  private async send(input: FlowInput): Promise<void> {
    const before = this.state;
    const step = stepFlow(this.opts.flow, this.state, { ...input, atMs: this.nowMs });
    if (input.kind === 'play-finished') this.playId = null;
    if (input.kind === 'timer') this.timer = null;
    // A recording ends by its terminator key or its maximum length: show it once, with how.
    if (before.phase === 'voicemail-recording' && step.state.phase !== 'voicemail-recording' && this.recording) {
      this.line({ kind: 'record', nodeId: before.nodeId, mailbox: this.recording, stop: input.kind === 'digit' ? 'key' : 'max' });
      this.recording = null;
    }
    await this.apply(step);
  }

  private async apply(step: FlowStep): Promise<void> {
    this.state = step.state;
    if (step.fault) this.outcome = { kind: 'stopped', reason: step.fault.message };
    if (step.entered?.length) {
      this.path.push(...step.entered);
      this.line({ kind: 'enter', nodes: [...step.entered] });
    }
    for (const cmd of step.commands) await this.carry(cmd);
  }

  private async carry(cmd: FlowCommand): Promise<void> {
    const nodeId = this.state.nodeId;
    switch (cmd.kind) {
      case 'play':
        this.playId = cmd.playId;
        this.line({ kind: 'prompt', nodeId, items: cmd.files.map((file) => ({ file: this.relative(file), text: this.textOf(file) })), bargeIn: cmd.bargeIn });
        this.nowMs += cmd.files.reduce((sum, f) => sum + (this.opts.durationMs?.(f) ?? 1500), 0);
        return;
      case 'stop-play':
        this.playId = null;
        return;
      case 'start-timer':
        this.timer = { id: cmd.timerId, ms: cmd.ms };
        return;
      case 'cancel-timer':
        if (this.timer?.id === cmd.timerId) this.timer = null;
        return;
      case 'emit':
        this.line({ kind: 'event', event: cmd.event });
        return;
      case 'http': {
        const result: HttpResult = await this.opts.http.run(cmd, new AbortController().signal);
        this.nowMs += result.elapsedMs;
        this.line({ kind: 'http', nodeId, method: cmd.method, url: cmd.url, outcome: result.outcome, ...(result.status !== undefined ? { status: result.status } : {}), ...(result.error ? { error: result.error } : {}) });
        this.owed.push(result);
        return;
      }
      case 'transfer': {
        const outcome = this.opts.transferOutcome ?? 'connected';
        const target = cmd.target.kind === 'agent' ? `agent ${cmd.target.agentId}` : `external ${cmd.target.name} (${cmd.target.number})`;
        this.line({ kind: 'transfer', nodeId, target, outcome });
        if (outcome === 'connected') this.outcome = { kind: 'transfer', target };
        this.owed.push({ kind: 'transfer-result', requestId: cmd.requestId, outcome, ...(outcome === 'failed' ? { reason: 'simulated' } : {}) });
        return;
      }
      case 'record-start':
        this.recording = cmd.mailbox;
        return;
      case 'record-stop':
        this.owed.push({ kind: 'recording-finished', requestId: cmd.requestId });
        return;
      case 'cancel-request':
        return;
      case 'enqueue': {
        const { kind: _k, nodeId: _n, queueId, ...rest } = cmd;
        this.outcome = { kind: 'queue', queue: queueId, ...rest };
        return;
      }
      case 'hangup':
        this.outcome = { kind: 'hangup', cause: cmd.cause };
        return;
    }
  }

  private line(l: SimLineDraft): void {
    const line = { atMs: this.nowMs - this.opts.startMs, ...l } as SimLine;
    this.lines.push(line);
    this.opts.onLine?.(line);
  }

  private relative(file: string): string {
    const dir = this.opts.promptsDir.replace(/[\\/]+$/, '');
    return file.startsWith(`${dir}/`) ? file.slice(dir.length + 1) : file;
  }

  /** A transcript from prompts/transcripts.json, the flow's own `prompts:` texts, or the fragment inventory. */
  private textOf(file: string): string | null {
    const rel = this.relative(file);
    const known = this.opts.transcripts?.[rel];
    if (known !== undefined) return known;
    const say = /^say\/([a-z]+)\/(.+)\.wav$/.exec(rel);
    if (say && (SAY_LANGUAGES as readonly string[]).includes(say[1]!)) return sayInventory(say[1] as SayLanguage)[say[2]!] ?? null;
    if (rel === 'say/beep.wav') return '(beep)';
    const named = /^([^/]+)\/(.+)\.wav$/.exec(rel);
    if (named) return this.opts.flow.transcripts[named[2]!]?.[named[1]!] ?? null;
    return null;
  }

  private shownVariables(): Record<string, ExprValue> {
    const out: Record<string, ExprValue> = {};
    for (const [name, value] of Object.entries(this.state.variables)) {
      out[name] = this.opts.flow.variables[name]?.sensitive && value !== null ? maskValue(String(value)) : value;
    }
    return out;
  }
}
