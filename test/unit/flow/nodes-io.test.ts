/** Nodes that wait on the app: http, transfer, voicemail; and hours with a holiday calendar. */
import { describe, expect, it } from 'vitest';
import { HTTP_GUARD_MARGIN_MS, httpBudgetMs } from '../../../src/domain/flow/runtime/http.js';
import { TRANSFER_GUARD_MS } from '../../../src/domain/flow/runtime/transfer.js';
import { RECORDING_SAVE_GUARD_MS } from '../../../src/domain/flow/runtime/voicemail.js';
import { withCalendars } from '../../../src/domain/flow/validate.js';
import { brief, CTX, expectIgnored, ScriptedCall } from './harness.js';
import { flowFromYaml } from './support.js';

const http = flowFromYaml(`
id: dip
version: "1"
language: zh
start: ask
variables:
  token: { value: s3cret, sensitive: true }
nodes:
  ask: { type: collect, into: order_id, maxLength: 6, next: lookup }
  lookup:
    type: http
    method: POST
    url: "http://127.0.0.1:8090/orders/\${order_id}?from=\${caller}&note=\${'a b/c'}"
    headers: { Authorization: "Bearer \${token}" }
    body: { order: "\${order_id}", count: "\${len(order_id)}", tags: [ivr, "\${language}"], flag: true }
    timeoutSec: 2
    retries: 2
    map:
      status: status
      eta: shipping.eta
      first_item: items.0.name
      missing: no.such.path
      items_json: items
    statusInto: http_status
    next: say-status
    onError: sorry
  say-status: { type: play, prompts: [order-status], next: bye }
  sorry: { type: play, prompts: [sorry], next: bye }
  bye: { type: hangup }
`);

function atLookup(): ScriptedCall {
  const call = new ScriptedCall(http);
  call.keys('123456');
  expect(call.state.phase).toBe('http-waiting');
  return call;
}

describe('http', () => {
  it('renders URL (expressions percent-encoded), headers and a JSON body; starts a guard timer over the whole budget', () => {
    const call = atLookup();
    const cmd = call.last.commands.find((c) => c.kind === 'http');
    expect(cmd).toEqual({
      kind: 'http',
      requestId: 'c-1:lookup:1',
      nodeId: 'lookup',
      method: 'POST',
      url: 'http://127.0.0.1:8090/orders/123456?from=13800000000&note=a%20b%2Fc',
      headers: { Authorization: 'Bearer s3cret', 'content-type': 'application/json', accept: 'application/json' },
      body: '{"order":"123456","count":6,"tags":["ivr","zh"],"flag":true}',
      timeoutMs: 2000,
      retries: 2,
    });
    expect(httpBudgetMs(2000, 2)).toBe(2000 * 3 + 250 + 500);
    expect(brief(call.last.commands).at(-1)).toBe(`start-timer ${httpBudgetMs(2000, 2) + HTTP_GUARD_MARGIN_MS}`);
  });

  it('maps a JSON answer into variables and goes to next', () => {
    const call = atLookup();
    const step = call.send({
      kind: 'http-result',
      requestId: call.requestId,
      outcome: 'ok',
      status: 200,
      body: { status: 'shipped', shipping: { eta: '2026-11-25' }, items: [{ name: 'kettle' }] },
      attempts: 1,
      elapsedMs: 35,
    });
    expect(brief(step.commands)).toEqual(['cancel-timer', 'http.completed lookup ok 200', 'play order-status']);
    expect(call.state.variables).toMatchObject({
      status: 'shipped',
      eta: '2026-11-25',
      first_item: 'kettle',
      missing: null,
      items_json: '[{"name":"kettle"}]',
      http_status: 200,
    });
  });

  it('an error result goes to onError with the status kept', () => {
    const call = atLookup();
    const step = call.send({ kind: 'http-result', requestId: call.requestId, outcome: 'error', status: 404, error: 'HTTP 404', attempts: 1, elapsedMs: 12 });
    expect(brief(step.commands)).toEqual(['cancel-timer', 'http.completed lookup error 404', 'play sorry']);
    expect(call.state.variables['http_status']).toBe(404);
  });

  it('the guard timer gives up: cancel-request, timeout event, onError; a late result is stale', () => {
    const call = atLookup();
    const requestId = call.requestId;
    expect(brief(call.timeout().commands)).toEqual(['cancel-request', 'http.completed lookup timeout', 'play sorry']);
    expect(call.state.variables['http_status']).toBe(0);
    const before = call.state;
    expectIgnored(call.send({ kind: 'http-result', requestId, outcome: 'ok', status: 200, body: {}, attempts: 3, elapsedMs: 9000 }), before, 'stale-request');
  });

  it('keys pressed while waiting are kept as type-ahead', () => {
    const call = atLookup();
    call.press('9');
    expect(call.state.typeAhead).toEqual([{ digit: '9', source: 'rfc4733' }]);
  });
});

describe('hours', () => {
  const base = flowFromYaml(`
id: hours
version: "1"
language: zh
start: check
nodes:
  check:
    type: hours
    calendar: calendars/cn.yaml
    weekly:
      weekdays: "09:00-12:00, 13:00-18:00"
      fri: "09:00-16:00"
      sat: "10:00-14:00"
      sun: closed
    open: open
    closed: closed
    holiday: holiday
  open: { type: hangup, cause: open }
  closed: { type: hangup, cause: closed }
  holiday: { type: hangup, cause: holiday }
`);
  const flow = withCalendars(base, {
    'calendars/cn.yaml': { closed: { '2026-10-01': '国庆节', '2026-10-02': '国庆节' }, workdays: { '2026-10-11': { as: 1, name: '国庆调休' } } },
  });
  const at = (local: string): string | null => new ScriptedCall(flow, { ...CTX, startedAtMs: Date.parse(`${local}+08:00`) }).state.endCause;

  it('branches by weekday hours in Asia/Shanghai', () => {
    expect(at('2026-11-23T09:00:00')).toBe('open'); // Monday, opening minute
    expect(at('2026-11-23T08:59:00')).toBe('closed');
    expect(at('2026-11-23T12:30:00')).toBe('closed'); // lunch
    expect(at('2026-11-23T17:59:00')).toBe('open');
    expect(at('2026-11-23T18:00:00')).toBe('closed'); // the end is exclusive
    expect(at('2026-11-27T16:30:00')).toBe('closed'); // Friday overrides weekdays
    expect(at('2026-11-28T11:00:00')).toBe('open'); // Saturday
    expect(at('2026-11-29T11:00:00')).toBe('closed'); // Sunday
  });

  it('holidays from the calendar, and make-up working days with Monday hours', () => {
    expect(at('2026-10-01T10:00:00')).toBe('holiday'); // a Thursday, but 国庆节
    expect(at('2026-10-11T10:00:00')).toBe('open'); // a Sunday worked (调休)
    expect(at('2026-10-11T12:30:00')).toBe('closed');
  });

  it('the time zone is the node\'s: 09:00 in Shanghai is 01:00 UTC', () => {
    expect(new ScriptedCall(flow, { ...CTX, startedAtMs: Date.parse('2026-11-23T01:30:00Z') }).state.endCause).toBe('open');
  });
});

const io = flowFromYaml(`
id: io
version: "1"
language: zh
start: menu
externalNumbers:
  legal: "01088886666"
nodes:
  menu:
    type: menu
    options:
      "1": { goto: to-agent }
      "2": { goto: to-legal }
      "3": { goto: to-queue }
      "4": { goto: message }
    onFail: bye
  to-agent:
    type: transfer
    agent: "\${'10' + '01'}"
    prompts: [transferring]
    ringTimeoutSec: 15
    onFail: message
  to-legal:
    type: transfer
    external: legal
  to-queue:
    type: transfer
    queue: complaints
  message:
    type: voicemail
    mailbox: after-hours
    prompts: [leave-message]
    maxSec: 60
    next: thanks
  thanks: { type: play, prompts: [thanks], next: bye }
  bye: { type: hangup }
`);

describe('transfer', () => {
  it('to an agent: prompts (not interruptible), then a transfer command with a guard timer', () => {
    const call = new ScriptedCall(io);
    call.press('1');
    expect(brief(call.last.commands).slice(-1)).toEqual(['play transferring (no barge-in)']);
    expect(brief(call.playDone().commands)).toEqual(['transfer agent 1001', `start-timer ${15_000 + TRANSFER_GUARD_MS}`]);
    const step = call.send({ kind: 'transfer-result', requestId: call.requestId, outcome: 'connected' });
    expect(brief(step.commands)).toEqual(['cancel-timer', 'call.transferred agent 1001 connected']);
    expect(call.state.status).toBe('transferred');
    const before = call.state;
    expectIgnored(call.press('1'), before, 'flow-transferred');
  });

  it('a failed transfer goes to onFail; without onFail the call is hung up', () => {
    const call = new ScriptedCall(io);
    call.press('1');
    call.playDone();
    const step = call.send({ kind: 'transfer-result', requestId: call.requestId, outcome: 'failed', reason: 'busy' });
    expect(brief(step.commands).slice(0, 2)).toEqual(['cancel-timer', 'call.transferred agent 1001 failed busy']);
    expect(call.state.nodeId).toBe('message');
    const legal = new ScriptedCall(io);
    legal.press('2');
    expect(brief(legal.last.commands).slice(-2)).toEqual(['transfer external legal 01088886666', `start-timer ${20_000 + TRANSFER_GUARD_MS}`]);
    expect(brief(legal.timeout().commands)).toEqual(['cancel-request', 'call.transferred external legal failed timeout', 'hangup transfer-failed']);
  });

  it('to a queue: enqueued at once, the flow is over', () => {
    const call = new ScriptedCall(io);
    call.press('3');
    expect(brief(call.last.commands).slice(-2)).toEqual(['call.transferred queue complaints queued', 'enqueue complaints p0 from to-queue']);
    expect(call.state.status).toBe('queued');
  });
});

describe('voicemail', () => {
  it('prompts and the tone, then records until the terminator; waits for the app to close the file', () => {
    const call = new ScriptedCall(io);
    call.press('4');
    expect(brief(call.last.commands).slice(-1)).toEqual(['play leave-message,beep']);
    expect(brief(call.playDone().commands)).toEqual(['record-start after-hours max 60000', 'start-timer 60000']);
    const before = call.state;
    expectIgnored(call.press('5'), before, 'digit-not-accepted');
    expect(brief(call.press('#').commands)).toEqual(['cancel-timer', 'record-stop', `start-timer ${RECORDING_SAVE_GUARD_MS}`]);
    expect(brief(call.send({ kind: 'recording-finished', requestId: call.requestId }).commands)).toEqual(['cancel-timer', 'play thanks']);
  });

  it('a key during the prompt skips to recording; maxSec stops it; a lost confirmation does not hold the call', () => {
    const call = new ScriptedCall(io);
    call.press('4');
    expect(brief(call.press('1').commands)).toEqual(['stop-play', 'record-start after-hours max 60000', 'start-timer 60000']);
    expect(brief(call.timeout().commands)).toEqual(['record-stop', `start-timer ${RECORDING_SAVE_GUARD_MS}`]);
    expect(brief(call.timeout().commands)).toEqual(['cancel-request', 'play thanks']);
  });
});
