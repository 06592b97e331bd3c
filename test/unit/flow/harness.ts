/**
 * A scripted call for interpreter tests: keeps the state, remembers the current play and timer ids from the
 * commands, and records every step so a test can replay the same inputs.
 */
import { expect } from 'vitest';
import { startFlow, stepFlow, type FlowCommand, type FlowContext, type FlowInput, type FlowState, type FlowStep } from '../../../src/domain/flow/interpreter.js';
import type { Flow } from '../../../src/domain/flow/model.js';

export const CTX = { callId: 'c-1', from: '13800000000', to: '4001234567', promptsDir: '/srv/prompts' };

export class ScriptedCall {
  state: FlowState;
  last: FlowStep;
  readonly inputs: FlowInput[] = [];
  readonly steps: FlowStep[] = [];
  /** Play id of the most recent play command (stale once another play or a stop-play followed). */
  playId = 0;
  timerId = '';

  constructor(
    readonly flow: Flow,
    ctx: FlowContext = CTX,
  ) {
    this.last = startFlow(flow, ctx);
    this.state = this.last.state;
    this.track(this.last);
  }

  send(input: FlowInput): FlowStep {
    this.inputs.push(input);
    this.last = stepFlow(this.flow, this.state, input);
    this.state = this.last.state;
    this.track(this.last);
    return this.last;
  }

  playDone(outcome: 'done' | 'interrupted' | 'stopped' = 'done'): FlowStep {
    return this.send({ kind: 'play-finished', playId: this.playId, outcome });
  }

  press(digit: string, source: 'rfc4733' | 'sip-info' = 'rfc4733'): FlowStep {
    return this.send({ kind: 'digit', digit, source });
  }

  timeout(): FlowStep {
    return this.send({ kind: 'timer', timerId: this.timerId });
  }

  /** Presses each key of `keys` in turn; returns the commands of all the steps. */
  keys(keys: string): FlowCommand[] {
    return [...keys].flatMap((k) => this.press(k).commands);
  }

  /** The id of the request the flow waits on. */
  get requestId(): string {
    const p = this.state.pending;
    if (!p) throw new Error(`no pending request at ${this.state.nodeId} (${this.state.phase})`);
    return p.id;
  }

  private track(step: FlowStep): void {
    this.steps.push(step);
    for (const c of step.commands) {
      if (c.kind === 'play') this.playId = c.playId;
      if (c.kind === 'start-timer') this.timerId = c.timerId;
    }
  }
}

/** Commands in a compact form that reads like a call log: `play welcome`, `emit menu.entered main-menu#1`. */
export function brief(commands: readonly FlowCommand[]): string[] {
  return commands.map((c) => {
    switch (c.kind) {
      case 'play':
        return `play ${c.files.map((f) => f.replace(/^\/srv\/prompts\/(zh\/|say\/)?/, '').replace(/\.wav$/, '')).join(',')}${c.bargeIn ? '' : ' (no barge-in)'}`;
      case 'stop-play':
        return 'stop-play';
      case 'start-timer':
        return `start-timer ${c.ms}`;
      case 'cancel-timer':
        return 'cancel-timer';
      case 'emit': {
        const e = c.event;
        if (e.type === 'menu.entered') return `menu.entered ${e.nodeId}#${e.attempt}`;
        if (e.type === 'menu.failed') return `menu.failed ${e.nodeId}#${e.attempt} ${e.kind}`;
        if (e.type === 'digits.received') return `digits.received ${e.nodeId} ${e.digits} ${e.source}`;
        if (e.type === 'http.completed') return `http.completed ${e.nodeId} ${e.outcome}${e.httpStatus !== undefined ? ` ${e.httpStatus}` : ''}`;
        if (e.type === 'call.transferred') return `call.transferred ${e.target} ${e.to} ${e.outcome}${e.reason ? ` ${e.reason}` : ''}`;
        if (e.type === 'callback.requested') return `callback.requested ${e.number}${e.queueId ? ` ${e.queueId}` : ''}`;
        return `emit ${e.type}`;
      }
      case 'enqueue': {
        const attrs = [c.skills?.length ? `skills=${c.skills.join('+')}` : '', c.callerClass ? `class=${c.callerClass}` : ''].filter((x) => x !== '');
        return `enqueue ${c.queueId} p${c.priority} from ${c.nodeId}${attrs.length ? ` ${attrs.join(' ')}` : ''}`;
      }
      case 'hangup':
        return `hangup ${c.cause}`;
      case 'http':
        return `http ${c.method} ${c.url}${c.body !== null ? ` ${c.body}` : ''}`;
      case 'transfer':
        return `transfer ${c.target.kind === 'agent' ? `agent ${c.target.agentId}` : `external ${c.target.name} ${c.target.number}`}`;
      case 'record-start':
        return `record-start ${c.mailbox} max ${c.maxMs}`;
      case 'record-stop':
        return 'record-stop';
      case 'cancel-request':
        return 'cancel-request';
    }
  });
}

export function expectIgnored(step: FlowStep, before: FlowState, reason: FlowStep['ignored']): void {
  expect(step.ignored).toBe(reason);
  expect(step.commands).toEqual([]);
  expect(step.state).toBe(before);
}
