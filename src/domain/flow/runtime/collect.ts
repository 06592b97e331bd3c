/**
 * `collect` at run time.
 *
 *   attempt n (menu.entered { attempt })
 *      ├── type-ahead key? ───────────────────────────────────────────► KEY
 *   collect-prompt ──digit── stop-play ──────────────────────────────► KEY
 *      │ play-finished
 *   collect-waiting ──digit──► KEY     ──timer──► FAIL(timeout)
 *   KEY: terminator → DONE; else entry += key; maxLength reached → DONE; else
 *   collect-digits (inter-digit timer) ──digit──► KEY   ──timer──► DONE
 *   DONE: length, pattern and named check hold?
 *         no  → FAIL(invalid)
 *         yes → variable set, digits.received (masked when sensitive), then
 *               confirm? → collect-confirm-prompt (prompts + read-back + question, barge-in)
 *                            ──confirmKey──► next   ──reenterKey / other key / no answer──► FAIL(reenter)
 *               readBack? → collect-readback (not interruptible) ──play-finished──► next
 *               else next
 *   FAIL: menu.failed { kind, attempt }; last attempt (retries + 1)? → onFail (none: hang up collect-failed)
 *         else collect-feedback playing invalid/timeout prompts ──play-finished / digit──► attempt n+1
 */
import type { Template } from '../expr/template.js';
import type { CollectNode, PromptRef } from '../model.js';
import type { TypedDigit } from '../state.js';
import { passesCheck } from './checks.js';
import { maskValue } from './mask.js';
import { compileRegex } from '../expr/functions.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';
import type { StepBuilder } from './step.js';

export type CollectPhase =
  | 'collect-prompt'
  | 'collect-waiting'
  | 'collect-digits'
  | 'collect-feedback'
  | 'collect-confirm-prompt'
  | 'collect-confirm-waiting'
  | 'collect-readback';
export type CollectAction = 'prompt-done' | 'key' | 'timeout' | 'entry-done' | 'feedback-done' | 'key-next-attempt' | 'question-done' | 'answer' | 'no-answer' | 'readback-done' | 'drop-digit' | 'ignore';

export const COLLECT_TABLE: TransitionTable<CollectPhase, CollectAction> = {
  'collect-prompt': { 'play-finished': 'prompt-done', digit: 'key', timer: 'ignore' },
  'collect-waiting': { 'play-finished': 'ignore', digit: 'key', timer: 'timeout' },
  'collect-digits': { 'play-finished': 'ignore', digit: 'key', timer: 'entry-done' },
  'collect-feedback': { 'play-finished': 'feedback-done', digit: 'key-next-attempt', timer: 'ignore' },
  'collect-confirm-prompt': { 'play-finished': 'question-done', digit: 'answer', timer: 'ignore' },
  'collect-confirm-waiting': { 'play-finished': 'ignore', digit: 'answer', timer: 'no-answer' },
  'collect-readback': { 'play-finished': 'readback-done', digit: 'drop-digit', timer: 'ignore' },
};

export const collectRuntime: NodeRuntime<'collect'> = {
  phases: Object.keys(COLLECT_TABLE) as CollectPhase[],
  enter(node, b) {
    b.update({ failures: 0, timeouts: 0, entry: '' });
    startAttempt(node, b);
  },
  onInput(node, b, input) {
    if (input.kind !== 'play-finished' && input.kind !== 'digit' && input.kind !== 'timer') return b.ignore('not-expected');
    switch (COLLECT_TABLE[b.state.phase as CollectPhase][input.kind]) {
      case 'prompt-done':
        waitForFirst(node, b);
        return;
      case 'key':
        if (input.kind !== 'digit') return;
        b.stopPlay();
        b.cancelTimer();
        handleKey(node, b, { digit: input.digit, source: input.source });
        return;
      case 'timeout':
        fail(node, b, 'timeout');
        return;
      case 'entry-done':
        done(node, b);
        return;
      case 'feedback-done':
        startAttempt(node, b);
        return;
      case 'key-next-attempt':
        if (input.kind !== 'digit') return;
        b.stopPlay();
        b.pushTypeAhead({ digit: input.digit, source: input.source });
        startAttempt(node, b);
        return;
      case 'question-done':
        b.phase('collect-confirm-waiting');
        b.startTimer(Math.round((node.confirm?.timeoutSec ?? 5) * 1000));
        return;
      case 'answer':
        if (input.kind !== 'digit') return;
        b.stopPlay();
        b.cancelTimer();
        if (input.digit === node.confirm?.confirmKey) b.goto(node.next);
        else fail(node, b, 'invalid');
        return;
      case 'no-answer':
        fail(node, b, 'timeout');
        return;
      case 'readback-done':
        b.goto(node.next);
        return;
      case 'drop-digit':
        b.ignore('digit-not-accepted');
        return;
      case 'ignore':
        b.ignore('not-expected');
        return;
    }
  },
};

function startAttempt(node: CollectNode, b: StepBuilder): void {
  const attempt = b.state.failures + b.state.timeouts + 1;
  b.update({ attempt, entry: '', entrySource: null });
  b.emit({ type: 'menu.entered', callId: b.state.call.callId, flowId: b.state.flowId, nodeId: node.id, attempt });
  const typed = b.shiftTypeAhead();
  if (typed) {
    handleKey(node, b, typed);
    return;
  }
  b.phase('collect-prompt');
  if (b.play(node.prompts, true) === null) waitForFirst(node, b);
}

function waitForFirst(node: CollectNode, b: StepBuilder): void {
  b.phase('collect-waiting');
  b.startTimer(Math.round(node.firstDigitTimeoutSec * 1000));
}

function handleKey(node: CollectNode, b: StepBuilder, typed: TypedDigit): void {
  if (typed.digit === node.terminator) {
    b.update({ entrySource: typed.source });
    done(node, b);
    return;
  }
  const entry = b.state.entry + typed.digit;
  b.update({ entry, entrySource: typed.source });
  if (entry.length >= node.maxLength) {
    done(node, b);
    return;
  }
  b.phase('collect-digits');
  b.startTimer(Math.round(node.interDigitTimeoutSec * 1000));
}

/** Whether a complete entry is acceptable: length, pattern, named check. */
export function isValidEntry(node: CollectNode, value: string): boolean {
  if (value.length < node.minLength || value.length > node.maxLength) return false;
  if (!/^[0-9*#]*$/.test(value)) return false;
  if (node.pattern !== null && !(compileRegex(node.pattern)?.test(value) ?? false)) return false;
  return node.check === null || passesCheck(node.check, value);
}

function done(node: CollectNode, b: StepBuilder): void {
  const value = b.state.entry;
  b.update({ entry: '' });
  if (!isValidEntry(node, value)) {
    fail(node, b, 'invalid');
    return;
  }
  b.setVariable(node.into, value);
  const shown = node.sensitive ? maskValue(value) : b.shown(node.into, value);
  b.emit({ type: 'digits.received', callId: b.state.call.callId, nodeId: node.id, digits: shown, source: b.state.entrySource ?? 'rfc4733' });
  const readBack: PromptRef[] = node.readBack ? [{ kind: 'say', as: 'digits', value: variableTemplate(node.into), currency: 'CNY' }] : [];
  if (node.confirm) {
    b.phase('collect-confirm-prompt');
    if (b.play([...node.confirm.prompts, ...readBack, ...node.confirm.question], true) === null) {
      b.phase('collect-confirm-waiting');
      b.startTimer(Math.round(node.confirm.timeoutSec * 1000));
    }
    return;
  }
  if (readBack.length > 0) {
    b.phase('collect-readback');
    if (b.play(readBack, false) !== null) return;
  }
  b.goto(node.next);
}

function variableTemplate(name: string): Template {
  return { parts: [{ expr: { k: 'name', path: [name], offset: 0, length: name.length }, offset: 0 }] };
}

function fail(node: CollectNode, b: StepBuilder, kind: 'invalid' | 'timeout'): void {
  const { attempt } = b.state;
  b.update(kind === 'invalid' ? { failures: b.state.failures + 1 } : { timeouts: b.state.timeouts + 1 });
  b.emit({ type: 'menu.failed', callId: b.state.call.callId, nodeId: node.id, kind, attempt });
  if (attempt >= node.retries + 1) {
    if (node.onFail !== null) b.goto(node.onFail);
    else b.hangup('collect-failed');
    return;
  }
  const feedback = kind === 'invalid' ? node.invalidPrompts : node.timeoutPrompts;
  b.phase('collect-feedback');
  if (b.play(feedback, true) === null) startAttempt(node, b);
}
