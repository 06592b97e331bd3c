/** The collect node: lengths, terminator, timeouts, validation, retries, read-back, confirmation, masking. */
import { describe, expect, it } from 'vitest';
import { isCnMobile, luhn } from '../../../src/domain/flow/runtime/checks.js';
import { COLLECT_TABLE } from '../../../src/domain/flow/runtime/collect.js';
import { brief, expectIgnored, ScriptedCall } from './harness.js';
import { flowFromYaml } from './support.js';

const flow = flowFromYaml(`
id: collect
version: "1"
language: zh
start: card
nodes:
  card:
    type: collect
    into: card_no
    sensitive: true
    prompts: [enter-card]
    minLength: 12
    maxLength: 19
    check: luhn
    retries: 1
    firstDigitTimeoutSec: 6
    interDigitTimeoutSec: 3
    invalidPrompts: [card-invalid]
    timeoutPrompts: [no-input]
    next: phone
    onFail: operator
  phone:
    type: collect
    into: phone
    prompts: [enter-phone]
    minLength: 11
    maxLength: 11
    check: cn-mobile
    terminator: null
    readBack: true
    confirm:
      prompts: [you-entered]
      question: [confirm-or-reenter]
      timeoutSec: 4
    next: order
  order:
    type: collect
    into: order_id
    prompts: [enter-order]
    pattern: "^9[0-9]{5}$"
    maxLength: 6
    readBack: true
    next: done
  done: { type: hangup, cause: done }
  operator: { type: hangup, cause: operator }
`);

const VALID_CARD = '4111111111111111';

function atPhone(): ScriptedCall {
  const call = new ScriptedCall(flow);
  call.keys(`${VALID_CARD}#`);
  expect(call.state.nodeId).toBe('phone');
  return call;
}

describe('collect', () => {
  it('prompts, then waits for the first digit with its own timeout', () => {
    const call = new ScriptedCall(flow);
    expect(brief(call.last.commands)).toEqual(['menu.entered card#1', 'play enter-card']);
    expect(brief(call.playDone().commands)).toEqual(['start-timer 6000']);
    expect(call.state.phase).toBe('collect-waiting');
  });

  it('reads digits with the inter-digit timer; the terminator ends the entry; sensitive digits are masked', () => {
    const call = new ScriptedCall(flow);
    expect(brief(call.press('4').commands)).toEqual(['stop-play', 'start-timer 3000']);
    call.keys(VALID_CARD.slice(1));
    const step = call.press('#');
    expect(brief(step.commands)).toEqual([
      'cancel-timer',
      'digits.received card ************1111 rfc4733',
      'menu.entered phone#1',
      'play enter-phone',
    ]);
    expect(call.state.variables['card_no']).toBe(VALID_CARD);
  });

  it('an entry failing the Luhn check plays the invalid prompt, then asks again; the last retry goes to onFail', () => {
    const call = new ScriptedCall(flow);
    call.keys('4111111111111112#');
    expect(brief(call.last.commands)).toEqual(['cancel-timer', 'menu.failed card#1 invalid', 'play card-invalid']);
    expect(brief(call.playDone().commands)).toEqual(['menu.entered card#2', 'play enter-card']);
    call.playDone();
    expect(brief(call.timeout().commands)).toEqual(['menu.failed card#2 timeout', 'hangup operator']);
  });

  it('too short is invalid; the inter-digit timeout ends an entry without a terminator', () => {
    const call = new ScriptedCall(flow);
    call.keys('4111');
    expect(brief(call.timeout().commands)).toEqual(['menu.failed card#1 invalid', 'play card-invalid']);
  });

  it('a key during the feedback prompt starts the next attempt with that key', () => {
    const call = new ScriptedCall(flow);
    call.keys('1#');
    expect(brief(call.press('4').commands)).toEqual(['stop-play', 'menu.entered card#2', 'start-timer 3000']);
    expect(call.state.entry).toBe('4');
  });

  it('maxLength ends the entry at once; read-back and confirmation follow', () => {
    const call = atPhone();
    const step = call.keys('13800138000');
    expect(brief(step.slice(-3))).toEqual([
      'cancel-timer',
      'digits.received phone 13800138000 rfc4733',
      'play you-entered,say/zh/yao,say/zh/n3,say/zh/n8,say/zh/n0,say/zh/n0,say/zh/yao,say/zh/n3,say/zh/n8,say/zh/n0,say/zh/n0,say/zh/n0,confirm-or-reenter',
    ].map((s) => s.replace(/say\/zh\//g, 'zh/')));
    expect(call.state.phase).toBe('collect-confirm-prompt');
    expect(brief(call.press('1').commands)).toEqual(['stop-play', 'menu.entered order#1', 'play enter-order']);
  });

  it('"2" at the confirmation asks again; no answer asks again too', () => {
    const call = atPhone();
    call.keys('13800138000');
    call.playDone();
    expect(call.state.phase).toBe('collect-confirm-waiting');
    expect(brief(call.press('2').commands)).toEqual(['cancel-timer', 'menu.failed phone#1 invalid', 'menu.entered phone#2', 'play enter-phone']);
    call.keys('13900139000');
    call.playDone();
    expect(brief(call.timeout().commands)).toEqual(['menu.failed phone#2 timeout', 'menu.entered phone#3', 'play enter-phone']);
  });

  it('a number that is not a Chinese mobile number is invalid', () => {
    const call = atPhone();
    expect(brief(call.keys('12345678901').slice(-3))).toEqual(['menu.failed phone#1 invalid', 'menu.entered phone#2', 'play enter-phone']);
  });

  it('a regex pattern validates; read-back without confirmation plays, then continues', () => {
    const f = { ...flow, start: 'order' };
    const call = new ScriptedCall(f);
    call.keys('812345');
    expect(brief(call.last.commands).slice(0, 2)).toEqual(['cancel-timer', 'menu.failed order#1 invalid']);
    call.playDone();
    call.keys('912345');
    expect(brief(call.last.commands)).toEqual([
      'cancel-timer',
      'digits.received order 912345 rfc4733',
      'play zh/n9,zh/yao,zh/n2,zh/n3,zh/n4,zh/n5 (no barge-in)',
    ]);
    const before = call.state;
    expectIgnored(call.press('5'), before, 'digit-not-accepted');
    expect(brief(call.playDone().commands)).toEqual(['hangup done']);
  });

  it('a collect without onFail hangs up with cause collect-failed', () => {
    const call = new ScriptedCall({ ...flow, start: 'order' });
    for (let i = 0; i < 3; i++) {
      call.playDone();
      call.timeout();
    }
    expect(call.state.endCause).toBe('collect-failed');
  });

  it('has a row for every phase', () => {
    expect(Object.keys(COLLECT_TABLE).sort()).toEqual(
      ['collect-confirm-prompt', 'collect-confirm-waiting', 'collect-digits', 'collect-feedback', 'collect-prompt', 'collect-readback', 'collect-waiting'],
    );
  });
});

describe('named checks', () => {
  it('luhn', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('79927398713')).toBe(true);
    expect(luhn('79927398710')).toBe(false);
    expect(luhn('4111 1111')).toBe(false);
    expect(luhn('0')).toBe(false);
  });

  it('cn-mobile', () => {
    expect(isCnMobile('13800138000')).toBe(true);
    expect(isCnMobile('19912345678')).toBe(true);
    expect(isCnMobile('8613800138000')).toBe(true);
    expect(isCnMobile('12800138000')).toBe(false);
    expect(isCnMobile('1380013800')).toBe(false);
    expect(isCnMobile('01088886666')).toBe(false);
  });
});
