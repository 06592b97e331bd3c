/** Nodes that decide at once: set, if, switch, language, call/return, callback, and queue attributes. */
import { describe, expect, it } from 'vitest';
import { startFlow } from '../../../src/domain/flow/interpreter.js';
import type { Flow } from '../../../src/domain/flow/model.js';
import { brief, CTX, ScriptedCall } from './harness.js';
import { bareFlow, flowFromYaml } from './support.js';

const flow = flowFromYaml(`
id: logic
version: "1"
language: zh
start: init
variables:
  tries: 0
  caller_class: new
  card: { value: "", sensitive: true }
nodes:
  init:
    type: set
    values:
      tries: \${tries + 1}
      greeting: "hello \${caller}"
      vip_number: \${startsWith(caller, '139')}
    next: route
  route:
    type: switch
    cases:
      - { when: "vip_number", goto: vip }
      - { when: "now.hour >= 20 || now.hour < 8", goto: night }
    default: pick-lang
  vip:
    type: set
    values: { caller_class: vip }
    next: pick-lang
  night:
    type: set
    values: { caller_class: returning }
    next: pick-lang
  pick-lang:
    type: menu
    prompts: [choose-language]
    options:
      "1": { goto: to-queue }
      "2": { goto: english }
      "3": { goto: verify }
      "4": { goto: callback }
    onFail: to-queue
  english:
    type: language
    language: en
    next: to-queue
  verify:
    type: call
    sub: check-card
    next: after-verify
  check-card:
    type: if
    condition: "len(card) == 0 and tries < 5"
    then: ask-card
    else: verified
  ask-card:
    type: set
    values: { card: "6222020000000000" }
    next: verified
  verified:
    type: return
  after-verify:
    type: say
    as: digits
    value: \${last(card, 4)}
    next: to-queue
  callback:
    type: callback
    number: \${card}
    queue: sales
    next: bye
  to-queue:
    type: queue
    queue: sales
    priority: "\${caller_class == 'vip' ? 80 : 10}"
    skills: [mandarin, "lang_\${language}", ""]
    callerClass: \${caller_class}
  bye: { type: hangup }
`);

describe('set, switch, if', () => {
  it('sets variables in order, typed; switch takes the first case that holds', () => {
    const call = new ScriptedCall(flow, { ...CTX, from: '13912345678' });
    expect(call.state.variables).toMatchObject({ tries: 1, greeting: 'hello 13912345678', vip_number: true, caller_class: 'vip' });
    expect(call.last.entered).toEqual(['init', 'route', 'vip', 'pick-lang']);
    call.press('1');
    expect(brief(call.last.commands).at(-1)).toBe('enqueue sales p80 from to-queue skills=mandarin+lang_zh class=vip');
  });

  it('now.* follows the time of the inputs in the flow time zone (22:00 in Shanghai)', () => {
    const atMs = Date.parse('2026-11-23T22:00:00+08:00');
    const call = new ScriptedCall(flow, { ...CTX, startedAtMs: atMs });
    expect(call.last.entered).toEqual(['init', 'route', 'night', 'pick-lang']);
    expect(call.state.variables['caller_class']).toBe('returning');
  });

  it('default when no case holds; the priority template falls back by value', () => {
    const call = new ScriptedCall(flow, { ...CTX, startedAtMs: Date.parse('2026-11-23T10:00:00+08:00') });
    expect(call.last.entered).toEqual(['init', 'route', 'pick-lang']);
    call.press('1');
    expect(call.last.commands.at(-1)).toEqual({
      kind: 'enqueue',
      queueId: 'sales',
      priority: 10,
      nodeId: 'to-queue',
      skills: ['mandarin', 'lang_zh'],
      callerClass: 'new',
      language: 'zh',
    });
  });
});

describe('language, call/return, callback', () => {
  it('a language node switches the prompts and the routing language for the rest of the call', () => {
    const call = new ScriptedCall(flow);
    call.press('2');
    expect(call.state.language).toBe('en');
    expect(call.last.commands.at(-1)).toMatchObject({ kind: 'enqueue', language: 'en', skills: ['mandarin', 'lang_en'] });
  });

  it('call enters the sub-flow, return continues at the call node\'s next; say reads the value', () => {
    const call = new ScriptedCall(flow);
    call.press('3');
    expect(call.last.entered).toEqual(['verify', 'check-card', 'ask-card', 'verified', 'after-verify']);
    expect(call.state.callStack).toEqual([]);
    expect(brief(call.last.commands).at(-1)).toBe('play zh/n0,zh/n0,zh/n0,zh/n0');
  });

  it('callback records a request; without a number it is the caller\'s', () => {
    const call = new ScriptedCall(flow);
    call.press('4');
    expect(brief(call.last.commands)).toEqual(['stop-play', 'digits.received pick-lang 4 rfc4733', 'callback.requested 13800000000 sales', 'hangup normal']);
  });

  it('callback masks a number from a sensitive variable', () => {
    const f = flowFromYaml(`
id: cb
version: "1"
language: zh
start: ask
nodes:
  ask: { type: collect, into: secret_no, sensitive: true, maxLength: 11, next: cb }
  cb: { type: callback, number: "\${secret_no}", next: bye }
  bye: { type: hangup }
`);
    const call = new ScriptedCall(f);
    call.keys('13912345678');
    expect(brief(call.last.commands).slice(-2)).toEqual(['callback.requested *******5678', 'hangup normal']);
  });

  it('return with an empty stack (a hand-built flow) hangs up with flow-error; deep calls overflow', () => {
    const ret: Flow = { ...bareFlow('r'), start: 'r', nodes: { r: { type: 'return', id: 'r' } } };
    expect(startFlow(ret, CTX).commands).toEqual([{ kind: 'hangup', cause: 'flow-error' }]);
    const deep: Flow = { ...bareFlow('d'), start: 'c', nodes: { c: { type: 'call', id: 'c', sub: 'c', next: 'c' } } };
    expect(startFlow(deep, CTX).commands).toEqual([{ kind: 'hangup', cause: 'flow-stack-overflow' }]);
  });
});
