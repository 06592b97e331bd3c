/**
 * Walks every row of the menu transition table (phase × input), each guard branch included, through the
 * public interpreter API. A row added to the table without a case here fails the coverage test.
 */
import { describe, expect, it } from 'vitest';
import type { MediaInputKind as FlowInputKind } from '../../../src/domain/flow/runtime/node-runtime.js';
import { MENU_TABLE, type MenuAction, type MenuPhase } from '../../../src/domain/flow/runtime/menu.js';
import { PLAY_TABLE } from '../../../src/domain/flow/runtime/play.js';
import { QUEUE_TABLE } from '../../../src/domain/flow/runtime/queue.js';
import { brief, expectIgnored, ScriptedCall } from './harness.js';
import { flowFromYaml } from './support.js';

const flow = flowFromYaml(`
id: table
version: "1"
language: en
start: menu
nodes:
  menu:
    type: menu
    prompts: [menu]
    maxAttempts: 2
    timeoutSec: 4
    invalidPrompts: [invalid]
    timeoutPrompts: [no-input]
    options: { "1": { goto: done } }
    onFail: failed
  done: { type: hangup, cause: chosen }
  failed: { type: hangup, cause: gave-up }
`);

/** Multi-key entries (digitLength 3), an exit prompt, a single attempt. */
const keyed = flowFromYaml(`
id: table2
version: "1"
language: en
start: menu
nodes:
  menu:
    type: menu
    prompts: [menu]
    digitLength: 3
    interDigitTimeoutSec: 2
    maxAttempts: 1
    exitPrompts: [sorry]
    options: { "12": { goto: twelve }, "123": { goto: one-two-three } }
    onFail: failed
  twelve: { type: hangup, cause: twelve }
  one-two-three: { type: hangup, cause: one-two-three }
  failed: { type: hangup, cause: gave-up }
`);

/** A call to the keyed menu with "1" typed (waiting for more keys), or already in its exit prompt. */
function keyedIn(phase: 'menu-digits' | 'menu-exit'): ScriptedCall {
  const call = new ScriptedCall(keyed);
  call.playDone();
  if (phase === 'menu-digits') call.press('1');
  else call.timeout();
  expect(call.state.phase).toBe(phase);
  return call;
}

/** Brings a new call to a phase of the menu at attempt 1, or at the last attempt (2). */
function callIn(phase: MenuPhase, lastAttempt = false): ScriptedCall {
  const call = new ScriptedCall(flow);
  if (lastAttempt) {
    call.press('9'); // attempt 1 fails
    call.playDone(); // invalid prompt ends → attempt 2
  }
  if (phase !== 'menu-prompt') call.playDone(); // menu prompt ends
  if (phase === 'menu-feedback') call.press('9');
  expect(call.state.phase).toBe(phase);
  expect(call.state.attempt).toBe(lastAttempt ? 2 : 1);
  return call;
}

interface Case {
  name: string;
  run(): void;
}
type Cell = `${MenuPhase} × ${FlowInputKind}`;

const ROWS: Record<Cell, { action: MenuAction; cases: Case[] }> = {
  'menu-prompt × play-finished': {
    action: 'prompt-done',
    cases: [
      {
        name: 'starts the no-input timer',
        run() {
          const call = callIn('menu-prompt');
          expect(brief(call.playDone().commands)).toEqual(['start-timer 4000']);
          expect(call.state.phase).toBe('menu-waiting');
        },
      },
    ],
  },
  'menu-prompt × digit': {
    action: 'key',
    cases: [
      {
        name: 'valid key: stop the prompt, go to the option',
        run() {
          const call = callIn('menu-prompt');
          expect(brief(call.press('1').commands)).toEqual(['stop-play', 'digits.received menu 1 rfc4733', 'hangup chosen']);
        },
      },
      {
        name: 'invalid key: stop the prompt, fail, play the invalid prompt',
        run() {
          const call = callIn('menu-prompt');
          expect(brief(call.press('5').commands)).toEqual(['stop-play', 'menu.failed menu#1 invalid', 'play en/invalid']);
          expect(call.state.phase).toBe('menu-feedback');
        },
      },
      {
        name: 'invalid key at the last attempt: onFail',
        run() {
          const call = callIn('menu-prompt', true);
          expect(brief(call.press('5').commands)).toEqual(['stop-play', 'menu.failed menu#2 invalid', 'hangup gave-up']);
        },
      },
    ],
  },
  'menu-prompt × timer': {
    action: 'ignore',
    cases: [
      {
        name: 'no timer runs while the prompt plays: any timer is stale',
        run() {
          const call = callIn('menu-prompt');
          const before = call.state;
          expectIgnored(call.send({ kind: 'timer', timerId: 'menu#1' }), before, 'stale-timer');
        },
      },
    ],
  },
  'menu-waiting × play-finished': {
    action: 'ignore',
    cases: [
      {
        name: 'the prompt already ended: a play-finished is stale',
        run() {
          const call = callIn('menu-waiting');
          const before = call.state;
          expectIgnored(call.playDone(), before, 'stale-play');
        },
      },
    ],
  },
  'menu-waiting × digit': {
    action: 'key',
    cases: [
      {
        name: 'valid key: cancel the timer, go to the option',
        run() {
          const call = callIn('menu-waiting');
          expect(brief(call.press('1').commands)).toEqual(['cancel-timer', 'digits.received menu 1 rfc4733', 'hangup chosen']);
        },
      },
      {
        name: 'invalid key: cancel the timer, fail, play the invalid prompt',
        run() {
          const call = callIn('menu-waiting');
          expect(brief(call.press('*').commands)).toEqual(['cancel-timer', 'menu.failed menu#1 invalid', 'play en/invalid']);
        },
      },
      {
        name: 'invalid key at the last attempt: onFail',
        run() {
          const call = callIn('menu-waiting', true);
          expect(brief(call.press('*').commands)).toEqual(['cancel-timer', 'menu.failed menu#2 invalid', 'hangup gave-up']);
        },
      },
      {
        name: 'a non-DTMF key (A) counts as invalid',
        run() {
          const call = callIn('menu-waiting');
          expect(brief(call.press('A').commands)).toEqual(['cancel-timer', 'menu.failed menu#1 invalid', 'play en/invalid']);
        },
      },
    ],
  },
  'menu-waiting × timer': {
    action: 'timeout',
    cases: [
      {
        name: 'timeout: fail, play the no-input prompt',
        run() {
          const call = callIn('menu-waiting');
          expect(brief(call.timeout().commands)).toEqual(['menu.failed menu#1 timeout', 'play en/no-input']);
          expect(call.state.phase).toBe('menu-feedback');
        },
      },
      {
        name: 'timeout at the last attempt: onFail',
        run() {
          const call = callIn('menu-waiting', true);
          expect(brief(call.timeout().commands)).toEqual(['menu.failed menu#2 timeout', 'hangup gave-up']);
        },
      },
      {
        name: 'a timer other than the current one is stale',
        run() {
          const call = callIn('menu-waiting');
          const before = call.state;
          expectIgnored(call.send({ kind: 'timer', timerId: `${call.timerId}x` }), before, 'stale-timer');
        },
      },
    ],
  },
  'menu-feedback × play-finished': {
    action: 'feedback-done',
    cases: [
      {
        name: 'next attempt: menu.entered, menu prompt again',
        run() {
          const call = callIn('menu-feedback');
          expect(brief(call.playDone().commands)).toEqual(['menu.entered menu#2', 'play en/menu']);
          expect(call.state).toMatchObject({ phase: 'menu-prompt', attempt: 2 });
        },
      },
    ],
  },
  'menu-feedback × digit': {
    action: 'key-next-attempt',
    cases: [
      {
        name: 'valid key: stop the feedback, next attempt takes the key',
        run() {
          const call = callIn('menu-feedback');
          expect(brief(call.press('1').commands)).toEqual(['stop-play', 'menu.entered menu#2', 'digits.received menu 1 rfc4733', 'hangup chosen']);
        },
      },
      {
        name: 'invalid key: the next attempt fails at once (here the last: onFail)',
        run() {
          const call = callIn('menu-feedback');
          expect(brief(call.press('3').commands)).toEqual(['stop-play', 'menu.entered menu#2', 'menu.failed menu#2 invalid', 'hangup gave-up']);
        },
      },
    ],
  },
  'menu-digits × play-finished': {
    action: 'ignore',
    cases: [
      {
        name: 'the greeting already ended: a play-finished is stale',
        run() {
          const call = keyedIn('menu-digits');
          const before = call.state;
          expectIgnored(call.send({ kind: 'play-finished', playId: 1, outcome: 'done' }), before, 'stale-play');
        },
      },
    ],
  },
  'menu-digits × digit': {
    action: 'key',
    cases: [
      {
        name: 'an entry a longer option extends waits for more keys',
        run() {
          const call = keyedIn('menu-digits');
          expect(brief(call.press('2').commands)).toEqual(['cancel-timer', 'start-timer 2000']);
          expect(call.state.entry).toBe('12');
        },
      },
      {
        name: 'digitLength keys complete the entry at once',
        run() {
          const call = keyedIn('menu-digits');
          call.press('2');
          expect(brief(call.press('3').commands)).toEqual(['cancel-timer', 'digits.received menu 123 rfc4733', 'hangup one-two-three']);
        },
      },
    ],
  },
  'menu-digits × timer': {
    action: 'entry-done',
    cases: [
      {
        name: 'the inter-digit timeout ends the entry: "12" matches',
        run() {
          const call = keyedIn('menu-digits');
          call.press('2', 'sip-info');
          expect(brief(call.timeout().commands)).toEqual(['digits.received menu 12 sip-info', 'hangup twelve']);
        },
      },
      {
        name: 'an entry that matches nothing fails (the last attempt: exit prompt)',
        run() {
          const call = keyedIn('menu-digits');
          expect(brief(call.timeout().commands)).toEqual(['menu.failed menu#1 invalid', 'play en/sorry (no barge-in)']);
          expect(call.state.phase).toBe('menu-exit');
        },
      },
    ],
  },
  'menu-exit × play-finished': {
    action: 'exit',
    cases: [
      {
        name: 'the exit prompt ends: onFail',
        run() {
          const call = keyedIn('menu-exit');
          expect(brief(call.playDone().commands)).toEqual(['hangup gave-up']);
        },
      },
    ],
  },
  'menu-exit × digit': {
    action: 'drop-digit',
    cases: [
      {
        name: 'keys during the exit prompt are dropped',
        run() {
          const call = keyedIn('menu-exit');
          const before = call.state;
          expectIgnored(call.press('1'), before, 'digit-not-accepted');
        },
      },
    ],
  },
  'menu-exit × timer': {
    action: 'ignore',
    cases: [
      {
        name: 'no timer runs during the exit prompt: any timer is stale',
        run() {
          const call = keyedIn('menu-exit');
          const before = call.state;
          expectIgnored(call.send({ kind: 'timer', timerId: call.timerId }), before, 'stale-timer');
        },
      },
    ],
  },
  'menu-feedback × timer': {
    action: 'ignore',
    cases: [
      {
        name: 'no timer runs during feedback: any timer is stale',
        run() {
          const call = callIn('menu-feedback');
          const before = call.state;
          expectIgnored(call.send({ kind: 'timer', timerId: call.timerId }), before, 'stale-timer');
        },
      },
    ],
  },
};

describe('menu transition table', () => {
  it('has a tested row for every phase × input, with the action the table names', () => {
    const cells: string[] = [];
    for (const [phase, row] of Object.entries(MENU_TABLE) as [MenuPhase, Record<FlowInputKind, MenuAction>][]) {
      for (const [kind, action] of Object.entries(row) as [FlowInputKind, MenuAction][]) {
        const cell: Cell = `${phase} × ${kind}`;
        cells.push(cell);
        expect(ROWS[cell]?.action, cell).toBe(action);
      }
    }
    expect(cells.sort()).toEqual(Object.keys(ROWS).sort());
  });

  for (const [cell, { action, cases }] of Object.entries(ROWS)) {
    for (const c of cases) it(`${cell} → ${action}: ${c.name}`, () => c.run());
  }
});

describe('play and queue tables', () => {
  it('name the actions the runtimes implement', () => {
    expect(PLAY_TABLE).toEqual({ play: { 'play-finished': 'next', digit: 'barge-in', timer: 'ignore' } });
    expect(QUEUE_TABLE).toEqual({ 'queue-prompt': { 'play-finished': 'enqueue', digit: 'drop-digit', timer: 'ignore' } });
  });

  it('play × timer and queue-prompt × timer: no timer runs, so any timer is stale', () => {
    const hold = flowFromYaml(`
id: t
version: "1"
language: en
start: p
nodes:
  p: { type: play, prompts: [hi], next: q }
  q: { type: queue, queue: sales, prompts: [hold] }
`);
    const call = new ScriptedCall(hold);
    let before = call.state;
    expectIgnored(call.send({ kind: 'timer', timerId: 'p#1' }), before, 'stale-timer');
    call.playDone();
    expect(call.state.phase).toBe('queue-prompt');
    before = call.state;
    expectIgnored(call.send({ kind: 'timer', timerId: 'q#1' }), before, 'stale-timer');
  });
});
