/**
 * `menu` at run time.
 *
 *          enter (attempt 1) / next attempt (attempt n+1)          emits menu.entered { attempt }
 *                    │
 *                    ├── type-ahead key waiting? ─────────────────────────► KEY
 *                    ▼
 *              menu-prompt ──digit── stop-play ───────────────────────────► KEY
 *                    │ play-finished
 *                    ▼
 *              menu-waiting ─digit── cancel-timer ────────────────────────► KEY
 *                    │ timer
 *                    ▼
 *                  FAIL(timeout)
 *
 *   KEY:  option for it → digits.received, goto option target
 *         none         → FAIL(invalid)
 *   FAIL: menu.failed { kind, attempt }
 *         attempt = maxAttempts → onFail (no onFail: hang up, cause menu-failed)
 *         otherwise → menu-feedback playing invalid/timeout prompts (none: next attempt at once)
 *   menu-feedback ──play-finished──► next attempt
 *                 ──digit── stop-play, key becomes type-ahead ──► next attempt (takes it at once)
 *
 * Barge-in is always on for menu and feedback prompts: callers who know the menu should not wait.
 */
import { isDtmfKey, type MenuNode } from '../model.js';
import type { TypedDigit } from '../state.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';
import type { StepBuilder } from './step.js';

export type MenuPhase = 'menu-prompt' | 'menu-waiting' | 'menu-feedback';
export type MenuAction = 'prompt-done' | 'key' | 'timeout' | 'feedback-done' | 'key-next-attempt' | 'ignore';

export const MENU_TABLE: TransitionTable<MenuPhase, MenuAction> = {
  'menu-prompt': { 'play-finished': 'prompt-done', digit: 'key', timer: 'ignore' },
  'menu-waiting': { 'play-finished': 'ignore', digit: 'key', timer: 'timeout' },
  'menu-feedback': { 'play-finished': 'feedback-done', digit: 'key-next-attempt', timer: 'ignore' },
};

export const menuRuntime: NodeRuntime<'menu'> = {
  phases: ['menu-prompt', 'menu-waiting', 'menu-feedback'],
  enter(node, b) {
    startAttempt(node, b, 1);
  },
  onInput(node, b, input) {
    const phase = b.state.phase as MenuPhase;
    switch (MENU_TABLE[phase][input.kind]) {
      case 'prompt-done':
        waitForKey(node, b);
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
      case 'feedback-done':
        startAttempt(node, b, b.state.attempt + 1);
        return;
      case 'key-next-attempt':
        if (input.kind !== 'digit') return;
        b.stopPlay();
        b.pushTypeAhead({ digit: input.digit, source: input.source });
        startAttempt(node, b, b.state.attempt + 1);
        return;
      case 'ignore':
        b.ignore('not-expected');
        return;
    }
  },
};

function startAttempt(node: MenuNode, b: StepBuilder, attempt: number): void {
  b.update({ attempt });
  b.emit({ type: 'menu.entered', callId: b.state.call.callId, flowId: b.state.flowId, nodeId: node.id, attempt });
  const typed = b.shiftTypeAhead();
  if (typed) {
    handleKey(node, b, typed);
    return;
  }
  if (node.prompts.length === 0) {
    waitForKey(node, b);
    return;
  }
  b.phase('menu-prompt');
  b.play(node.prompts, true);
}

function waitForKey(node: MenuNode, b: StepBuilder): void {
  b.phase('menu-waiting');
  b.startTimer(Math.round(node.timeoutSec * 1000));
}

function handleKey(node: MenuNode, b: StepBuilder, typed: TypedDigit): void {
  const option = isDtmfKey(typed.digit) ? node.options[typed.digit] : undefined;
  if (!option) {
    fail(node, b, 'invalid');
    return;
  }
  b.emit({
    type: 'digits.received',
    callId: b.state.call.callId,
    nodeId: node.id,
    digits: typed.digit,
    source: typed.source,
  });
  b.goto(option.goto);
}

function fail(node: MenuNode, b: StepBuilder, kind: 'invalid' | 'timeout'): void {
  const { attempt } = b.state;
  b.emit({ type: 'menu.failed', callId: b.state.call.callId, nodeId: node.id, kind, attempt });
  if (attempt >= node.maxAttempts) {
    if (node.onFail !== null) b.goto(node.onFail);
    else b.hangup('menu-failed');
    return;
  }
  const feedback = kind === 'invalid' ? node.invalidPrompts : node.timeoutPrompts;
  if (feedback.length === 0) {
    startAttempt(node, b, attempt + 1);
    return;
  }
  b.phase('menu-feedback');
  b.play(feedback, true);
}
