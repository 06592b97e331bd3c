/**
 * The working copy of one step: node runtimes read and change the state and queue commands through it.
 * It lives only inside one `startFlow`/`stepFlow` call, so the interpreter stays a pure function.
 */
import type { EventDraft } from '../../metrics/events.js';
import type { FlowCommand, IgnoreReason } from '../commands.js';
import type { Flow, PromptRef } from '../model.js';
import { resolvePromptPath } from '../prompts.js';
import type { FlowPhase, FlowState, TypedDigit } from '../state.js';

/** Type-ahead kept at most; a caller leaning on a key must not grow the state without bound. */
export const MAX_TYPE_AHEAD = 16;

export class StepBuilder {
  readonly commands: FlowCommand[] = [];
  /** Node to enter next, set by `goto`; the interpreter enters it after the current action returns. */
  next: string | null = null;
  ignored: IgnoreReason | null = null;

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

  /** Starts a playback of prompts resolved for the call's language; returns its play id. */
  play(prompts: readonly PromptRef[], bargeIn: boolean): number {
    const playId = this.state.playSeq + 1;
    const { promptsDir } = this.state.call;
    const files = prompts.map((p) => resolvePromptPath(p, promptsDir, this.state.language));
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

  /** Releases what the current node holds (playback, timer) before control moves on or the flow ends. */
  release(): void {
    this.stopPlay();
    this.cancelTimer();
  }

  enqueue(queueId: string, priority: number): void {
    this.release();
    this.commands.push({ kind: 'enqueue', queueId, priority, nodeId: this.state.nodeId });
    this.update({ status: 'queued', phase: 'done', typeAhead: [] });
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
