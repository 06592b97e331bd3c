/**
 * The working copy of one step: node runtimes read and change the state and queue commands through it.
 * It lives only inside one `startFlow`/`stepFlow` call, so the interpreter stays a pure function.
 */
import type { EventDraft } from '../../metrics/events.js';
import type { FlowCommand, IgnoreReason, RoutingAttributes } from '../commands.js';
import type { ExprEnv } from '../expr/evaluate.js';
import type { ExprValue } from '../expr/parser.js';
import { templateValue } from '../expr/template.js';
import type { Flow, PromptRef } from '../model.js';
import { resolvePromptPath } from '../prompts.js';
import { fragmentFile, sayFragments, sayLanguageOf } from '../say/index.js';
import type { FlowPhase, FlowState, PendingRequest, TypedDigit } from '../state.js';
import { wallTime } from '../time/wall-clock.js';
import { maskValue } from './mask.js';

/** Type-ahead kept at most; a caller leaning on a key must not grow the state without bound. */
export const MAX_TYPE_AHEAD = 16;

export class StepBuilder {
  readonly commands: FlowCommand[] = [];
  /** Node to enter next, set by `goto`; the interpreter enters it after the current action returns. */
  next: string | null = null;
  ignored: IgnoreReason | null = null;
  readonly entered: string[] = [];

  constructor(
    readonly flow: Flow,
    public state: FlowState,
  ) {}

  update(patch: Partial<FlowState>): void {
    this.state = { ...this.state, ...patch };
  }

  phase(phase: FlowPhase): void {
    this.update({ phase });
  }

  /** What expressions see: variables, the call, the flow and the time in the flow's time zone. */
  env(): ExprEnv {
    const { state, flow } = this;
    let wall: ReturnType<typeof wallTime> | undefined;
    const now = (): ReturnType<typeof wallTime> => (wall ??= wallTime(state.clockMs, flow.timezone));
    return {
      lookup(path) {
        if (path.length === 1) {
          const [name] = path as [string];
          if (name === 'caller') return state.call.from;
          if (name === 'dialed') return state.call.to;
          if (name === 'call_id') return state.call.callId;
          if (name === 'language') return state.language;
          return Object.hasOwn(state.variables, name) ? state.variables[name] : undefined;
        }
        const key = path.join('.');
        switch (key) {
          case 'flow.id':
            return flow.id;
          case 'flow.version':
            return flow.version;
          case 'now.date':
            return now().date;
          case 'now.time':
            return `${String(now().hour).padStart(2, '0')}:${String(now().minute).padStart(2, '0')}`;
          case 'now.year':
            return now().year;
          case 'now.month':
            return now().month;
          case 'now.day':
            return now().day;
          case 'now.hour':
            return now().hour;
          case 'now.minute':
            return now().minute;
          case 'now.weekday':
            return now().weekday;
          default:
            return undefined;
        }
      },
    };
  }

  setVariable(name: string, value: ExprValue): void {
    this.update({ variables: { ...this.state.variables, [name]: value } });
  }

  /** A value as events and logs may show it: masked to its last 4 characters when the variable is sensitive. */
  shown(variable: string, value: string): string {
    return this.flow.variables[variable]?.sensitive ? maskValue(value) : value;
  }

  /** The files that play prompts in the call's language (spoken values expanded into their fragments). */
  files(prompts: readonly PromptRef[]): string[] {
    const { promptsDir } = this.state.call;
    const out: string[] = [];
    for (const p of prompts) {
      if (p.kind !== 'say') {
        out.push(resolvePromptPath(p, promptsDir, this.state.language));
        continue;
      }
      const lang = sayLanguageOf(this.state.language);
      const value = templateValue(p.value, this.env());
      const said = sayFragments({ as: p.as, value, currency: p.currency, language: this.state.language, timezone: this.flow.timezone });
      // A value that cannot be spoken (an HTTP answer without a date ...) is skipped rather than hanging up.
      if (said.ok && lang) out.push(...said.fragments.map((f) => fragmentFile(promptsDir, lang, f)));
    }
    return out;
  }

  /** Starts a playback of prompts resolved for the call's language; returns its play id, or null if silent. */
  play(prompts: readonly PromptRef[], bargeIn: boolean, extraFiles: readonly string[] = []): number | null {
    const files = [...this.files(prompts), ...extraFiles];
    if (files.length === 0) return null;
    const playId = this.state.playSeq + 1;
    this.update({ playSeq: playId, pendingPlayId: playId });
    this.commands.push({ kind: 'play', playId, files, bargeIn });
    return playId;
  }

  /** Stops the pending playback, if any; its play-finished then becomes stale. */
  stopPlay(): void {
    if (this.state.pendingPlayId === null) return;
    this.update({ pendingPlayId: null });
    this.commands.push({ kind: 'stop-play' });
  }

  startTimer(ms: number): string {
    const timerSeq = this.state.timerSeq + 1;
    const timerId = `${this.state.nodeId}#${timerSeq}`;
    this.update({ timerSeq, pendingTimerId: timerId });
    this.commands.push({ kind: 'start-timer', timerId, ms });
    return timerId;
  }

  cancelTimer(): void {
    const timerId = this.state.pendingTimerId;
    if (timerId === null) return;
    this.update({ pendingTimerId: null });
    this.commands.push({ kind: 'cancel-timer', timerId });
  }

  /** Opens a request the flow will wait on; the caller pushes the command that carries the id. */
  openRequest(kind: PendingRequest['kind']): string {
    const requestSeq = this.state.requestSeq + 1;
    const id = `${this.state.call.callId}:${this.state.nodeId}:${requestSeq}`;
    this.update({ requestSeq, pending: { id, kind } });
    return id;
  }

  /** The pending request is answered: the flow no longer waits on it. */
  closeRequest(): void {
    this.update({ pending: null });
  }

  cancelRequest(): void {
    const p = this.state.pending;
    if (!p) return;
    this.update({ pending: null });
    this.commands.push({ kind: 'cancel-request', requestId: p.id });
  }

  emit(event: EventDraft): void {
    this.commands.push({ kind: 'emit', event });
  }

  /** Keeps a key for the next menu; beyond MAX_TYPE_AHEAD keys, newer ones are dropped. */
  pushTypeAhead(d: TypedDigit): void {
    if (this.state.typeAhead.length >= MAX_TYPE_AHEAD) return;
    this.update({ typeAhead: [...this.state.typeAhead, d] });
  }

  /** Takes the oldest type-ahead key, if any. */
  shiftTypeAhead(): TypedDigit | undefined {
    const [first, ...rest] = this.state.typeAhead;
    if (first) this.update({ typeAhead: rest });
    return first;
  }

  goto(nodeId: string): void {
    this.next = nodeId;
  }

  /** Releases what the current node holds (playback, timer, request) before control moves on or the flow ends. */
  release(): void {
    this.stopPlay();
    this.cancelTimer();
    this.cancelRequest();
  }

  enqueue(queueId: string, priority: number, attrs: RoutingAttributes = {}): void {
    this.release();
    this.commands.push({ kind: 'enqueue', queueId, priority, nodeId: this.state.nodeId, ...attrs });
    this.update({ status: 'queued', phase: 'done', typeAhead: [] });
    this.next = null;
  }

  /** The call left the flow for an agent or an external number. */
  transferred(): void {
    this.release();
    this.update({ status: 'transferred', phase: 'done', typeAhead: [] });
    this.next = null;
  }

  hangup(cause: string): void {
    this.release();
    this.commands.push({ kind: 'hangup', cause });
    this.update({ status: 'ended', phase: 'done', typeAhead: [], endCause: cause });
    this.next = null;
  }

  ignore(reason: IgnoreReason): void {
    this.ignored = reason;
  }
}
