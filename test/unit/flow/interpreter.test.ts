/** The flow interpreter walked through the skeleton-400 flow and a few purpose-built ones. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_NODES_PER_STEP, resumeFlow, startFlow, stepFlow } from '../../../src/domain/flow/interpreter.js';
import type { Flow } from '../../../src/domain/flow/model.js';
import { brief, CTX, expectIgnored, ScriptedCall } from './harness.js';
import { bareFlow, flowFromYaml, SKELETON_FLOW } from './support.js';

const hotline = flowFromYaml(readFileSync(SKELETON_FLOW, 'utf8'));

describe('interpreter on skeleton-400', () => {
  it('starts by playing the greeting with barge-in, resolved for the flow language', () => {
    const call = new ScriptedCall(hotline);
    expect(call.last.commands).toEqual([{ kind: 'play', playId: 1, files: ['/srv/prompts/zh/welcome.wav'], bargeIn: true }]);
    expect(call.state).toMatchObject({ status: 'running', nodeId: 'welcome', phase: 'play', pendingPlayId: 1, language: 'zh' });
  });

  it('a key during the greeting goes straight to the queue, without playing the menu', () => {
    const call = new ScriptedCall(hotline);
    expect(brief(call.press('1').commands)).toEqual([
      'stop-play',
      'menu.entered main-menu#1',
      'digits.received main-menu 1 rfc4733',
      'play please-hold (no barge-in)',
    ]);
    // The greeting's own play-finished (interrupted) arrives afterwards and is stale.
    const before = call.state;
    expectIgnored(call.send({ kind: 'play-finished', playId: 1, outcome: 'interrupted' }), before, 'stale-play');
    expect(brief(call.playDone().commands)).toEqual(['enqueue sales p0 from to-sales']);
    expect(call.state.status).toBe('queued');
  });

  it('also reaches the queue when the media reports the interruption before the digit', () => {
    const call = new ScriptedCall(hotline);
    expect(brief(call.playDone('interrupted').commands)).toEqual(['menu.entered main-menu#1', 'play main-menu']);
    expect(brief(call.press('1').commands)).toEqual(['stop-play', 'digits.received main-menu 1 rfc4733', 'play please-hold (no barge-in)']);
  });

  it('key 1 during the menu prompt → sales', () => {
    const call = new ScriptedCall(hotline);
    expect(brief(call.playDone().commands)).toEqual(['menu.entered main-menu#1', 'play main-menu']);
    expect(brief(call.press('1').commands)).toEqual(['stop-play', 'digits.received main-menu 1 rfc4733', 'play please-hold (no barge-in)']);
    expect(call.playDone().commands).toEqual([{ kind: 'enqueue', queueId: 'sales', priority: 0, nodeId: 'to-sales', language: 'zh' }]);
  });

  it('key 2 after the menu prompt → support, and the digit source (SIP INFO) is kept', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    expect(brief(call.playDone().commands)).toEqual(['start-timer 5000']);
    expect(call.state.phase).toBe('menu-waiting');
    expect(brief(call.press('2', 'sip-info').commands)).toEqual([
      'cancel-timer',
      'digits.received main-menu 2 sip-info',
      'play please-hold (no barge-in)',
    ]);
    expect(brief(call.playDone().commands)).toEqual(['enqueue support p0 from to-support']);
  });

  it('emits complete business event drafts', () => {
    const call = new ScriptedCall(hotline);
    const entered = call.playDone().commands[0];
    expect(entered).toEqual({
      kind: 'emit',
      event: { type: 'menu.entered', callId: 'c-1', flowId: 'skeleton-400', nodeId: 'main-menu', attempt: 1 },
    });
    call.playDone();
    const failed = call.timeout().commands[0];
    expect(failed).toEqual({
      kind: 'emit',
      event: { type: 'menu.failed', callId: 'c-1', nodeId: 'main-menu', kind: 'timeout', attempt: 1 },
    });
  });

  it('an invalid key plays the invalid prompt, then the menu again', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    expect(brief(call.press('9').commands)).toEqual(['stop-play', 'menu.failed main-menu#1 invalid', 'play invalid']);
    expect(call.state.phase).toBe('menu-feedback');
    expect(brief(call.playDone().commands)).toEqual(['menu.entered main-menu#2', 'play main-menu']);
    expect(call.state.attempt).toBe(2);
  });

  it('no key three times → no-input prompts, then goodbye, then hang-up', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    const log: string[] = [];
    for (let i = 0; i < 3; i++) {
      log.push(...brief(call.playDone().commands)); // menu prompt ends
      log.push(...brief(call.timeout().commands));
      if (i < 2) log.push(...brief(call.playDone().commands)); // no-input prompt ends
    }
    expect(log).toEqual([
      'start-timer 5000',
      'menu.failed main-menu#1 timeout',
      'play no-input',
      'menu.entered main-menu#2',
      'play main-menu',
      'start-timer 5000',
      'menu.failed main-menu#2 timeout',
      'play no-input',
      'menu.entered main-menu#3',
      'play main-menu',
      'start-timer 5000',
      'menu.failed main-menu#3 timeout',
      'play goodbye',
    ]);
    expect(brief(call.playDone().commands)).toEqual(['hangup normal']);
    expect(call.state).toMatchObject({ status: 'ended', endCause: 'normal', phase: 'done' });
  });

  it('counts invalid keys and timeouts together towards maxAttempts', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    call.press('7'); // attempt 1: invalid
    call.playDone(); // invalid prompt ends → attempt 2
    call.playDone(); // menu prompt ends
    expect(brief(call.timeout().commands)).toEqual(['menu.failed main-menu#2 timeout', 'play no-input']);
    call.playDone(); // → attempt 3
    expect(brief(call.press('#').commands)).toEqual(['stop-play', 'menu.failed main-menu#3 invalid', 'play goodbye']);
    expect(call.state.nodeId).toBe('goodbye');
  });

  it('ignores a stale playId and an unknown timer', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    const before = call.state;
    expectIgnored(call.send({ kind: 'play-finished', playId: 1, outcome: 'done' }), before, 'stale-play');
    expectIgnored(call.send({ kind: 'play-finished', playId: 99, outcome: 'done' }), before, 'stale-play');
    expectIgnored(call.send({ kind: 'timer', timerId: 'main-menu#7' }), before, 'stale-timer');
    call.playDone();
    const timerId = call.timerId;
    call.press('9'); // cancels the timer
    const afterKey = call.state;
    expectIgnored(call.send({ kind: 'timer', timerId }), afterKey, 'stale-timer');
  });

  it('ignores a digit (and everything else) once the call is enqueued', () => {
    const call = new ScriptedCall(hotline);
    call.press('2');
    call.playDone();
    expect(call.state.status).toBe('queued');
    const before = call.state;
    expectIgnored(call.press('1'), before, 'flow-queued');
    expectIgnored(call.timeout(), before, 'flow-queued');
    expectIgnored(call.playDone(), before, 'flow-queued');
  });

  it('resumes a queued call at a node when its queue exits to the flow, keeping its variables and language', () => {
    const call = new ScriptedCall(hotline);
    call.press('2');
    call.playDone();
    const queued = call.state;
    const step = resumeFlow(hotline, queued, 'main-menu', 5_000);
    expect(step.fault).toBeUndefined();
    expect(step.state).toMatchObject({ status: 'running', nodeId: 'main-menu', language: queued.language, variables: queued.variables, clockMs: 5_000 });
    expect(brief(step.commands)[0]).toBe('menu.entered main-menu#1');
    // The resumed flow takes keys again.
    call.state = step.state;
    expect(call.press('1').ignored).toBeUndefined();
  });

  it('refuses to resume a flow that is not queued, and ends the call on a node the flow does not have', () => {
    const call = new ScriptedCall(hotline);
    const running = call.state;
    expect(resumeFlow(hotline, running, 'main-menu').ignored).toBe('flow-running');
    call.press('2');
    call.playDone();
    const bad = resumeFlow(hotline, call.state, 'no-such-node');
    expect(bad.fault?.message).toMatch(/no-such-node/);
    expect(bad.state.status).toBe('ended');
  });

  it('drops keys during the queue prompt (not interruptible)', () => {
    const call = new ScriptedCall(hotline);
    call.press('1');
    const before = call.state;
    expectIgnored(call.press('5'), before, 'digit-not-accepted');
    expect(brief(call.playDone().commands)).toEqual(['enqueue sales p0 from to-sales']);
  });

  it('a key during the invalid/no-input prompt is taken as the next attempt', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    call.press('8');
    expect(brief(call.press('2').commands)).toEqual([
      'stop-play',
      'menu.entered main-menu#2',
      'digits.received main-menu 2 rfc4733',
      'play please-hold (no barge-in)',
    ]);
  });

  it('ignores inputs after the flow hung up', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    for (let i = 0; i < 3; i++) {
      call.press('0');
      if (i < 2) call.playDone();
    }
    call.playDone(); // goodbye ends → hangup
    const before = call.state;
    expectIgnored(call.press('1'), before, 'flow-ended');
  });

  it('replaying the same inputs rebuilds the same states and commands; states survive JSON', () => {
    const call = new ScriptedCall(hotline);
    call.playDone();
    call.press('4', 'sip-info');
    call.playDone();
    call.playDone();
    call.timeout();
    call.press('2');
    call.playDone();

    let step = startFlow(hotline, CTX);
    const replayed = [step];
    for (const input of call.inputs) {
      const revived = JSON.parse(JSON.stringify(step.state)) as typeof step.state;
      step = stepFlow(hotline, revived, input);
      replayed.push(step);
    }
    expect(replayed).toEqual(call.steps);
    expect(call.state.status).toBe('queued');
  });
});

describe('interpreter on purpose-built flows', () => {
  it('a play without barge-in drops keys; they are not kept for the next menu', () => {
    const flow = flowFromYaml(`
id: t
version: "1"
language: en
start: notice
nodes:
  notice: { type: play, prompts: [legal], bargeIn: false, next: menu }
  menu:
    type: menu
    prompts: [menu]
    options: { "1": { goto: bye } }
  bye: { type: hangup, cause: done }
`);
    const call = new ScriptedCall(flow);
    const before = call.state;
    expectIgnored(call.press('1'), before, 'digit-not-accepted');
    expect(brief(call.playDone().commands)).toEqual(['menu.entered menu#1', 'play en/menu']);
  });

  it('a menu without onFail hangs up with cause menu-failed after maxAttempts; a menu without prompts waits at once', () => {
    const flow = flowFromYaml(`
id: t
version: "1"
language: en
start: menu
nodes:
  menu:
    type: menu
    maxAttempts: 2
    timeoutSec: 2.5
    options: { "1": { goto: bye } }
  bye: { type: hangup }
`);
    const call = new ScriptedCall(flow);
    expect(brief(call.last.commands)).toEqual(['menu.entered menu#1', 'start-timer 2500']);
    // No invalid prompts: the next attempt starts at once.
    expect(brief(call.press('5').commands)).toEqual(['cancel-timer', 'menu.failed menu#1 invalid', 'menu.entered menu#2', 'start-timer 2500']);
    expect(brief(call.timeout().commands)).toEqual(['menu.failed menu#2 timeout', 'hangup menu-failed']);
    expect(call.state.endCause).toBe('menu-failed');
  });

  it('an option leading back to the same menu starts again at attempt 1', () => {
    const flow = flowFromYaml(`
id: t
version: "1"
language: en
start: menu
nodes:
  menu:
    type: menu
    prompts: [menu]
    options: { "0": { goto: menu }, "9": { goto: bye } }
  bye: { type: hangup }
`);
    const call = new ScriptedCall(flow);
    call.press('5');
    expect(call.state.attempt).toBe(2);
    call.playDone(); // the replayed menu prompt ends: waiting for a key
    expect(brief(call.press('0').commands)).toEqual(['cancel-timer', 'digits.received menu 0 rfc4733', 'menu.entered menu#1', 'play en/menu']);
    expect(call.state.attempt).toBe(1);
  });

  it('goto moves on at once; { file } prompts resolve below the prompts folder or stay absolute', () => {
    const flow = flowFromYaml(`
id: t
version: "1"
language: en
start: jump
nodes:
  jump: { type: goto, target: q }
  q:
    type: queue
    queue: vip
    priority: 7
    prompts: [{ file: moh/intro.wav }, { file: /opt/audio/x.wav }, hold]
`);
    const call = new ScriptedCall(flow);
    expect(call.last.commands).toEqual([
      { kind: 'play', playId: 1, files: ['/srv/prompts/moh/intro.wav', '/opt/audio/x.wav', '/srv/prompts/en/hold.wav'], bargeIn: false },
    ]);
    expect(brief(call.playDone().commands)).toEqual(['enqueue vip p7 from q']);
  });

  it('hangs up with cause flow-loop when nodes keep moving on without waiting', () => {
    // The validator rejects goto loops; build the flow by hand to exercise the runtime guard.
    const flow: Flow = {
      ...bareFlow('loop'),
      start: 'a',
      nodes: { a: { type: 'goto', id: 'a', target: 'b' }, b: { type: 'goto', id: 'b', target: 'a' } },
    };
    const step = startFlow(flow, CTX);
    expect(step.commands).toEqual([{ kind: 'hangup', cause: 'flow-loop' }]);
    expect(step.state).toMatchObject({ status: 'ended', endCause: 'flow-loop' });
    expect(MAX_NODES_PER_STEP).toBeGreaterThan(10);
  });

  it('turns a state from another flow into a fault and a clean hang-up', () => {
    const call = new ScriptedCall(hotline);
    const other: Flow = { ...hotline, version: '2' };
    const step = stepFlow(other, call.state, { kind: 'digit', digit: '1', source: 'rfc4733' });
    expect(step.fault?.code).toBe('HOTLINE_E_FLOW_STATE');
    expect(brief(step.commands)).toEqual(['stop-play', 'hangup flow-error']);
    expect(step.state.status).toBe('ended');
  });

  it('turns a state in a phase its node never waits in into a fault', () => {
    const call = new ScriptedCall(hotline);
    const bad = { ...call.state, phase: 'menu-waiting' as const };
    const step = stepFlow(hotline, bad, { kind: 'digit', digit: '1', source: 'rfc4733' });
    expect(step.fault?.message).toContain('does not wait in phase "menu-waiting"');
    expect(step.state.endCause).toBe('flow-error');
  });
});
