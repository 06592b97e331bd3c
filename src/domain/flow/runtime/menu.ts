/**
 * `menu` at run time (FreeSWITCH-menu parity).
 *
 *   enter / next attempt                                   emits menu.entered { attempt }
 *      │   (long greeting on the first attempt of the first visit, short greeting after)
 *      ├── type-ahead key waiting? ────────────────────────────► KEY
 *      ▼
 *   menu-prompt ──digit── stop-play ───────────────────────────► KEY
 *      │ play-finished
 *      ▼
 *   menu-waiting ─digit── cancel-timer ────────────────────────► KEY
 *      │ timer ─► FAIL(timeout)
 *
 *   KEY:   entry += key; entry complete (digitLength keys, or an option no longer key extends)? → MATCH
 *          else menu-digits (inter-digit timer) ──digit──► KEY   ──timer──► MATCH
 *   MATCH: option for the entry, else the first pattern that matches → digits.received, then
 *          goto target | back (previous menu) | top (first menu); nothing matches → FAIL(invalid)
 *   FAIL:  menu.failed { kind, attempt }; a limit reached (maxFailures, maxTimeouts, maxAttempts)?
 *             → menu-exit playing exitPrompts → exit target (none: hang up, cause menu-failed)
 *          otherwise → menu-feedback playing invalid/timeout prompts (none: next attempt at once)
 *   menu-feedback ──play-finished──► next attempt
 *                 ──digit── stop-play, key becomes type-ahead ──► next attempt (takes it at once)
 *
 * Barge-in is always on for greetings and feedback: callers who know the menu should not wait.
 */
import { compileRegex } from '../expr/functions.js';
import type { MenuNode, MenuOption } from '../model.js';
import type { TypedDigit } from '../state.js';
import type { NodeRuntime, TransitionTable } from './node-runtime.js';
import type { StepBuilder } from './step.js';

export type MenuPhase = 'menu-prompt' | 'menu-waiting' | 'menu-digits' | 'menu-feedback' | 'menu-exit';
export type MenuAction = 'prompt-done' | 'key' | 'timeout' | 'entry-done' | 'feedback-done' | 'key-next-attempt' | 'exit' | 'drop-digit' | 'ignore';

export const MENU_TABLE: TransitionTable<MenuPhase, MenuAction> = {
  'menu-prompt': { 'play-finished': 'prompt-done', digit: 'key', timer: 'ignore' },
  'menu-waiting': { 'play-finished': 'ignore', digit: 'key', timer: 'timeout' },
  'menu-digits': { 'play-finished': 'ignore', digit: 'key', timer: 'entry-done' },
  'menu-feedback': { 'play-finished': 'feedback-done', digit: 'key-next-attempt', timer: 'ignore' },
  'menu-exit': { 'play-finished': 'exit', digit: 'drop-digit', timer: 'ignore' },
};

export const menuRuntime: NodeRuntime<'menu'> = {
  phases: ['menu-prompt', 'menu-waiting', 'menu-digits', 'menu-feedback', 'menu-exit'],
  enter(node, b) {
    const trail = b.state.menuTrail;
    const at = trail.indexOf(node.id);
    b.update({ menuTrail: at >= 0 ? trail.slice(0, at + 1) : [...trail, node.id], failures: 0, timeouts: 0, entry: '' });
    startAttempt(node, b);
  },
  onInput(node, b, input) {
    const phase = b.state.phase as MenuPhase;
    if (input.kind !== 'play-finished' && input.kind !== 'digit' && input.kind !== 'timer') return b.ignore('not-expected');
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
      case 'entry-done':
        match(node, b, b.state.entrySource ?? 'rfc4733');
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
      case 'exit':
        exit(node, b);
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

function startAttempt(node: MenuNode, b: StepBuilder): void {
  const attempt = b.state.failures + b.state.timeouts + 1;
  const firstVisit = !b.state.menusSeen.includes(node.id);
  b.update({ attempt, entry: '', menusSeen: firstVisit ? [...b.state.menusSeen, node.id] : b.state.menusSeen });
  b.emit({ type: 'menu.entered', callId: b.state.call.callId, flowId: b.state.flowId, nodeId: node.id, attempt });
  const typed = b.shiftTypeAhead();
  if (typed) {
    handleKey(node, b, typed);
    return;
  }
  const greeting = attempt === 1 && firstVisit ? node.prompts : node.shortPrompts.length > 0 ? node.shortPrompts : node.prompts;
  b.phase('menu-prompt');
  if (b.play(greeting, true) === null) waitForKey(node, b);
}

function waitForKey(node: MenuNode, b: StepBuilder): void {
  b.phase('menu-waiting');
  b.startTimer(Math.round(node.timeoutSec * 1000));
}

function handleKey(node: MenuNode, b: StepBuilder, typed: TypedDigit): void {
  const entry = b.state.entry + typed.digit;
  b.update({ entry, entrySource: typed.source });
  if (entry.length >= node.digitLength || isUnambiguous(node, entry)) {
    match(node, b, typed.source);
    return;
  }
  b.phase('menu-digits');
  b.startTimer(Math.round(node.interDigitTimeoutSec * 1000));
}

/** An exact option that no longer option extends, in a menu without patterns: no need to wait for more keys. */
function isUnambiguous(node: MenuNode, entry: string): boolean {
  if (node.patterns.length > 0 || !Object.hasOwn(node.options, entry)) return false;
  return !Object.keys(node.options).some((k) => k.length > entry.length && k.startsWith(entry));
}

function match(node: MenuNode, b: StepBuilder, source: TypedDigit['source']): void {
  const entry = b.state.entry;
  b.update({ entry: '' });
  let option: MenuOption | undefined = Object.hasOwn(node.options, entry) ? node.options[entry] : undefined;
  let shown = entry;
  if (!option) {
    const pattern = node.patterns.find((p) => compileRegex(p.regex)?.test(entry));
    if (pattern) {
      option = pattern.option;
      if (pattern.into !== null) {
        b.setVariable(pattern.into, entry);
        shown = b.shown(pattern.into, entry);
      }
    }
  }
  if (!option) {
    fail(node, b, 'invalid');
    return;
  }
  b.emit({ type: 'digits.received', callId: b.state.call.callId, nodeId: node.id, digits: shown, source });
  if ('goto' in option) b.goto(option.goto);
  else {
    const trail = b.state.menuTrail;
    const target = 'back' in option ? trail[trail.length - 2] : trail[0];
    b.goto(target ?? node.id);
  }
}

function fail(node: MenuNode, b: StepBuilder, kind: 'invalid' | 'timeout'): void {
  const { attempt } = b.state;
  const failures = b.state.failures + (kind === 'invalid' ? 1 : 0);
  const timeouts = b.state.timeouts + (kind === 'timeout' ? 1 : 0);
  b.update({ failures, timeouts, entry: '' });
  b.emit({ type: 'menu.failed', callId: b.state.call.callId, nodeId: node.id, kind, attempt });
  const limit = failures >= node.maxFailures || timeouts >= node.maxTimeouts || (node.maxAttempts !== null && failures + timeouts >= node.maxAttempts);
  if (limit) {
    b.phase('menu-exit');
    if (b.play(node.exitPrompts, false) === null) exit(node, b);
    return;
  }
  const feedback = kind === 'invalid' ? node.invalidPrompts : node.timeoutPrompts;
  b.phase('menu-feedback');
  if (b.play(feedback, true) === null) startAttempt(node, b);
}

/** Where the menu leaves to once a limit is reached: the specific exit of the limit, else onFail. */
function exit(node: MenuNode, b: StepBuilder): void {
  const { failures, timeouts } = b.state;
  const target =
    failures >= node.maxFailures && node.onMaxFailures !== null
      ? node.onMaxFailures
      : timeouts >= node.maxTimeouts && node.onMaxTimeouts !== null
        ? node.onMaxTimeouts
        : node.onFail;
  if (target !== null) b.goto(target);
  else b.hangup('menu-failed');
}
