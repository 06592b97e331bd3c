/** The menu node's FreeSWITCH-parity features: greetings, digit strings, patterns, back/top, split limits. */
import { describe, expect, it } from 'vitest';
import { brief, ScriptedCall } from './harness.js';
import { flowFromYaml } from './support.js';

const flow = flowFromYaml(`
id: menus
version: "1"
language: en
start: main
variables:
  extension: { sensitive: true }
nodes:
  main:
    type: menu
    prompts: [main-long]
    shortPrompts: [main-short]
    invalidPrompts: [invalid]
    timeoutPrompts: [no-input]
    digitLength: 4
    interDigitTimeoutSec: 3
    options:
      "1": { goto: sales }
      "2": { goto: billing }
      "0": { top: true }
    patterns:
      - { regex: "^8[0-9]{3}$", goto: extension, into: extension }
    maxFailures: 2
    maxTimeouts: 3
    onMaxFailures: operator
    onMaxTimeouts: goodbye
  billing:
    type: menu
    prompts: [billing]
    options:
      "1": { goto: sales }
      "*": { back: true }
      "0": { top: true }
      "9": { goto: billing }
    onFail: operator
  sales: { type: hangup, cause: sales }
  extension: { type: hangup, cause: extension }
  operator: { type: hangup, cause: operator }
  goodbye: { type: hangup, cause: goodbye }
`);

/** A call that chose billing (2, then the inter-digit timeout: main has patterns, so it waits). */
function toBilling(): ScriptedCall {
  const call = new ScriptedCall(flow);
  call.press('2');
  call.timeout();
  expect(call.state.nodeId).toBe('billing');
  return call;
}

describe('menu greetings', () => {
  it('long greeting on the first attempt of the first visit, short greeting after', () => {
    const call = new ScriptedCall(flow);
    expect(brief(call.last.commands)).toEqual(['menu.entered main#1', 'play en/main-long']);
    call.playDone();
    expect(brief(call.timeout().commands)).toEqual(['menu.failed main#1 timeout', 'play en/no-input']);
    expect(brief(call.playDone().commands)).toEqual(['menu.entered main#2', 'play en/main-short']);
  });

  it('a later visit starts at attempt 1 with the short greeting', () => {
    const call = toBilling();
    call.press('*'); // back to main
    expect(brief(call.last.commands)).toEqual([
      'stop-play',
      'digits.received billing * rfc4733',
      'menu.entered main#1',
      'play en/main-short',
    ]);
  });
});

describe('menu entries', () => {
  it('a single key with no longer option is taken at once, even with digitLength 4', () => {
    const call = new ScriptedCall(flow);
    // Patterns exist, so even "1" waits: the entry could be a longer pattern match.
    expect(brief(call.press('1').commands)).toEqual(['stop-play', 'start-timer 3000']);
    expect(brief(call.timeout().commands)).toEqual(['digits.received main 1 rfc4733', 'hangup sales']);
  });

  it('matches a regex pattern after digitLength keys and stores the entry in a sensitive variable (4 keys: masked entirely)', () => {
    const call = new ScriptedCall(flow);
    call.playDone();
    const log = call.keys('8123').map((c) => brief([c])[0]);
    expect(log).toEqual(['cancel-timer', 'start-timer 3000', 'cancel-timer', 'start-timer 3000', 'cancel-timer', 'start-timer 3000', 'cancel-timer', 'digits.received main **** rfc4733', 'hangup extension']);
    expect(call.state.variables['extension']).toBe('8123');
  });

  it('an entry that matches neither an option nor a pattern is invalid', () => {
    const call = new ScriptedCall(flow);
    call.keys('77');
    expect(brief(call.timeout().commands)).toEqual(['menu.failed main#1 invalid', 'play en/invalid']);
  });

  it('menus without patterns take an option at once when no longer option starts with it', () => {
    const call = toBilling();
    expect(brief(call.press('9').commands)).toEqual(['stop-play', 'digits.received billing 9 rfc4733', 'menu.entered billing#1', 'play en/billing']);
  });

  it('top goes to the first menu of the call; back from the first menu replays it', () => {
    const call = toBilling();
    expect(brief(call.press('0').commands).slice(-2)).toEqual(['menu.entered main#1', 'play en/main-short']);
    expect(call.state.menuTrail).toEqual(['main']);
    // "0" at main: top is main itself.
    call.press('0');
    expect(brief(call.timeout().commands)).toEqual(['digits.received main 0 rfc4733', 'menu.entered main#1', 'play en/main-short']);
  });
});

describe('menu limits', () => {
  it('maxFailures invalid entries go to onMaxFailures', () => {
    const call = new ScriptedCall(flow);
    call.keys('5');
    call.timeout(); // attempt 1 invalid
    call.playDone(); // invalid prompt → attempt 2
    call.keys('5');
    expect(brief(call.timeout().commands)).toEqual(['menu.failed main#2 invalid', 'hangup operator']);
  });

  it('maxTimeouts go to onMaxTimeouts; invalid entries and timeouts count apart', () => {
    const call = new ScriptedCall(flow);
    call.playDone();
    call.timeout(); // timeout 1
    call.playDone(); // → attempt 2
    call.keys('5');
    call.timeout(); // invalid 1
    call.playDone(); // → attempt 3
    call.playDone(); // greeting ends
    call.timeout(); // timeout 2
    call.playDone(); // → attempt 4
    call.playDone(); // greeting ends
    expect(brief(call.timeout().commands)).toEqual(['menu.failed main#4 timeout', 'hangup goodbye']);
  });

  it('a digit string option longer than one key', () => {
    const f = flowFromYaml(`
id: ds
version: "1"
language: en
start: m
nodes:
  m:
    type: menu
    options: { "1": { goto: one }, "123": { goto: long } }
    onFail: one
  one: { type: hangup, cause: one }
  long: { type: hangup, cause: long }
`);
    expect(f.nodes['m']).toMatchObject({ digitLength: 3 });
    const call = new ScriptedCall(f);
    call.press('1');
    expect(call.state.phase).toBe('menu-digits');
    call.press('2');
    expect(brief(call.press('3').commands)).toEqual(['cancel-timer', 'digits.received m 123 rfc4733', 'hangup long']);
    const short = new ScriptedCall(f);
    short.press('1');
    expect(brief(short.timeout().commands)).toEqual(['digits.received m 1 rfc4733', 'hangup one']);
  });
});
