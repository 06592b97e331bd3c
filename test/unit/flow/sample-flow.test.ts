/**
 * The sample deployment (ivr-flows/hotline-400.yaml) walked by the simulator through every branch: each
 * scenario checks its path and outcome, and together they must take every edge of the flow graph.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFlowFile } from '../../../src/adapters/flows/flow-loader.js';
import { FixtureHttpDip, parseFixture } from '../../../src/app/flow-http-fixture.js';
import { simulateFlow, type SimResult } from '../../../src/app/flow-simulator.js';
import type { Flow, FlowNode } from '../../../src/domain/flow/model.js';
import { FIXTURES, REPO_ROOT } from './support.js';

const FILE = join(REPO_ROOT, 'ivr-flows/hotline-400.yaml');
const http = new FixtureHttpDip(parseFixture(JSON.parse(readFileSync(join(FIXTURES, 'http/hotline-400.json'), 'utf8')) as unknown));
let flow: Flow;
const taken = new Set<string>();

beforeAll(async () => {
  const r = await loadFlowFile(FILE, { promptsDir: join(REPO_ROOT, 'prompts'), checkPrompts: false });
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n'));
  flow = r.flow;
});

const MONDAY_10 = '2026-11-23T10:00:00+08:00';
const MONDAY_22 = '2026-11-23T22:00:00+08:00';

async function walk(digits: string, opts: { at?: string; caller?: string; transfer?: 'connected' | 'failed' } = {}): Promise<SimResult> {
  const r = await simulateFlow({
    flow,
    caller: opts.caller ?? '13700137000',
    dialed: '4008208820',
    startMs: Date.parse(opts.at ?? MONDAY_10),
    promptsDir: '/p',
    digits: digits === '' ? [] : digits.split(','),
    http,
    ...(opts.transfer ? { transferOutcome: opts.transfer } : {}),
  });
  for (let i = 1; i < r.path.length; i++) taken.add(`${r.path[i - 1]} → ${r.path[i]}`);
  return r;
}

const spoken = (r: SimResult): string[] => r.lines.flatMap((l) => (l.kind === 'prompt' ? [l.items.map((i) => i.file).join(' + ')] : []));
const events = (r: SimResult, type: string) => r.lines.flatMap((l) => (l.kind === 'event' && l.event.type === type ? [l.event] : []));

describe('sample flow hotline-400, open hours', () => {
  it('a VIP (by lookup) is welcomed as such and queued on the VIP line (ring-all seniors) with priority', async () => {
    const r = await walk('1,1', { caller: '13800138000' });
    expect(r.path).toEqual(['lookup-caller', 'check-hours', 'greet', 'welcome-vip', 'choose-language', 'mandarin', 'main-menu', 'sales-route', 'vip-line']);
    expect(r.outcome).toEqual({ kind: 'queue', queue: 'vip', priority: 80, callerClass: 'vip', language: 'zh' });
    expect(r.variables).toMatchObject({ caller_class: 'vip', customer_name: '王芳' });
  });

  it('an unknown caller in English: support, repairs', async () => {
    const r = await walk('2,2,1');
    expect(r.path).toEqual(['lookup-caller', 'check-hours', 'greet', 'welcome', 'choose-language', 'english', 'main-menu', 'support-menu', 'support-repair']);
    expect(r.outcome).toEqual({ kind: 'queue', queue: 'support', priority: 10, skills: ['repair'], callerClass: 'new', language: 'en' });
    expect(spoken(r)).toContain('en/main-menu-full.wav');
  });

  it('a returning caller: no language key keeps Mandarin; back from the support menu; returns', async () => {
    const r = await walk(',2,*,2,2', { caller: '13900139000' });
    expect(r.path).toEqual(['lookup-caller', 'check-hours', 'greet', 'welcome', 'choose-language', 'main-menu', 'support-menu', 'main-menu', 'support-menu', 'support-returns']);
    expect(r.outcome).toMatchObject({ queue: 'support', skills: ['returns'], callerClass: 'returning', language: 'zh' });
    expect(spoken(r).filter((s) => s.includes('main-menu'))).toEqual(['zh/main-menu-full.wav', 'zh/main-menu-full-short.wav']);
  });

  it('complaints, operator, and the language menu again', async () => {
    expect((await walk('1,3')).outcome).toMatchObject({ queue: 'complaints', priority: 30 });
    const op = await walk('1,9,2,0');
    expect(op.path.slice(-5)).toEqual(['main-menu', 'choose-language', 'english', 'main-menu', 'operator']);
    expect(op.outcome).toMatchObject({ kind: 'queue', queue: 'operator', language: 'en' });
  });

  it('a lookup that times out does not hold the call', async () => {
    const r = await walk('1,1', { caller: '13600136000' });
    expect(r.path.slice(0, 3)).toEqual(['lookup-caller', 'check-hours', 'greet']);
    expect(r.outcome).toMatchObject({ callerClass: 'new' });
  });

  it('three invalid entries go to the operator; three timeouts say goodbye', async () => {
    expect((await walk('1,7,8,6')).path.slice(-2)).toEqual(['main-menu', 'operator']);
    const quiet = await walk('1');
    expect(quiet.path.slice(-3)).toEqual(['main-menu', 'goodbye', 'bye']);
    expect(quiet.outcome).toEqual({ kind: 'hangup', cause: 'normal' });
    expect(events(quiet, 'menu.failed').map((e) => (e as { kind: string }).kind)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  it('the support menu gives up to the operator', async () => {
    expect((await walk('1,2')).path.slice(-2)).toEqual(['support-menu', 'operator']);
  });
});

describe('sample flow: order status by HTTP', () => {
  it('shipped: read back, confirmed, date and amount spoken; then the operator', async () => {
    const r = await walk('1,4,20261123#,1,0');
    expect(r.path).toEqual(['lookup-caller', 'check-hours', 'greet', 'welcome', 'choose-language', 'mandarin', 'main-menu', 'order-status', 'fetch-order', 'order-route', 'say-shipped', 'order-after', 'operator']);
    const said = spoken(r).find((s) => s.startsWith('zh/order-shipped.wav'))!;
    // 二零二六年十一月二十五日, 一百二十八元五角
    const date = ['n2', 'n0', 'n2', 'n6', 'nian', 'n11', 'yue', 'n25', 'ri'].map((f) => `say/zh/${f}.wav`);
    const amount = ['n1', 'bai', 'n28', 'yuan', 'n5', 'jiao'].map((f) => `say/zh/${f}.wav`);
    expect(said).toBe(['zh/order-shipped.wav', ...date, 'zh/order-amount.wav', ...amount].join(' + '));
    expect(r.lines.find((l) => l.kind === 'http' && l.url.includes('/orders/'))).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:8090/orders/20261123', outcome: 'ok', status: 200 });
    expect(r.variables).toMatchObject({ order_id: '20261123', order_status: 'shipped', eta: '2026-11-25', amount: 128.5, order_http: 200 });
  });

  it('processing, then another order (delivered), then the main menu', async () => {
    const r = await walk('1,4,20261124#,1,1,20261120#,1,*,1');
    expect(r.path.slice(7)).toEqual(['order-status', 'fetch-order', 'order-route', 'say-processing', 'order-after', 'order-status', 'fetch-order', 'order-route', 'say-delivered', 'order-after', 'main-menu', 'sales-route', 'sales']);
  });

  it('not found (404) says so; an order status the flow does not know goes to the operator', async () => {
    const missing = await walk('1,4,123456#,1');
    expect(missing.path.slice(-6)).toEqual(['fetch-order', 'order-failed', 'order-not-found', 'order-after', 'goodbye', 'bye']);
    expect(missing.variables['order_http']).toBe(404);
    const odd = await walk('1,4,20261101#,1');
    expect(odd.path.slice(-4)).toEqual(['fetch-order', 'order-route', 'system-busy', 'operator']);
  });

  it('the order service down (503) goes to the operator', async () => {
    const r = await walk('1,4,500500#,1');
    expect(r.path.slice(-4)).toEqual(['fetch-order', 'order-failed', 'system-busy', 'operator']);
    expect(events(r, 'http.completed').at(-1)).toMatchObject({ outcome: 'error', httpStatus: 503 });
  });

  it('re-entering at the confirmation, and three bad order numbers go to the operator', async () => {
    const re = await walk('1,4,20261123#,2,20261124#,1,0');
    expect(re.variables['order_id']).toBe('20261124');
    const bad = await walk('1,4,12#,12#,12#');
    expect(bad.path.slice(-2)).toEqual(['order-status', 'operator']);
    expect(events(bad, 'menu.failed')).toHaveLength(3);
  });
});

describe('sample flow: closed and holidays', () => {
  it('after hours: a callback to the calling number', async () => {
    const r = await walk('1,1', { at: MONDAY_22 });
    expect(r.path).toEqual(['lookup-caller', 'check-hours', 'after-hours', 'after-hours-menu', 'callback-ask', 'callback-caller', 'callback-booked', 'goodbye', 'bye']);
    expect(events(r, 'callback.requested')).toEqual([{ type: 'callback.requested', callId: 'try', nodeId: 'callback-caller', number: '13700137000', queueId: 'sales', language: 'zh' }]);
    expect(spoken(r).find((s) => s.startsWith('zh/callback-this-number'))).toContain('say/zh/yao.wav');
  });

  it('after hours: a callback to another mobile number, read back and confirmed', async () => {
    const r = await walk('1,2,13912345678,1', { at: MONDAY_22 });
    expect(r.path.slice(-5)).toEqual(['callback-number', 'callback-other', 'callback-booked', 'goodbye', 'bye']);
    expect(events(r, 'callback.requested')[0]).toMatchObject({ number: '13912345678' });
  });

  it('after hours: no valid mobile number leads to a voicemail, ended by #', async () => {
    const r = await walk('1,2,12345678901,12345678901,12345678901,#', { at: MONDAY_22 });
    expect(r.path.slice(-4)).toEqual(['callback-number', 'leave-message', 'message-saved', 'bye']);
    expect(r.lines.find((l) => l.kind === 'record')).toMatchObject({ mailbox: 'after-hours', stop: 'key' });
  });

  it('after hours: a voicemail that runs to its maximum; no answer at the menu says goodbye', async () => {
    const vm = await walk('2', { at: MONDAY_22 });
    expect(vm.lines.find((l) => l.kind === 'record')).toMatchObject({ stop: 'max' });
    expect(vm.path.slice(-3)).toEqual(['leave-message', 'message-saved', 'bye']);
    expect((await walk('', { at: MONDAY_22 })).path.slice(-3)).toEqual(['after-hours-menu', 'goodbye', 'bye']);
  });

  it('no answer at the callback question books the calling number', async () => {
    expect((await walk('1', { at: MONDAY_22 })).path.slice(-5)).toEqual(['callback-ask', 'callback-caller', 'callback-booked', 'goodbye', 'bye']);
  });

  it('public holidays from the calendar; a make-up Saturday is open; a normal Saturday evening is closed', async () => {
    expect((await walk('', { at: '2026-10-01T10:00:00+08:00' })).path.slice(0, 4)).toEqual(['lookup-caller', 'check-hours', 'holiday', 'after-hours-menu']);
    expect((await walk('1,1', { at: '2026-10-10T10:00:00+08:00' })).path[2]).toBe('greet');
    expect((await walk('', { at: '2026-11-28T19:00:00+08:00' })).path[2]).toBe('after-hours');
    expect((await walk('1,1', { at: '2026-11-28T11:00:00+08:00' })).path[2]).toBe('greet');
  });
});

/** Every target each node can lead to, from the model (back/top are resolved at run time: not listed). */
function edgesOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'play':
    case 'say':
    case 'language':
    case 'callback':
    case 'voicemail':
    case 'set':
    case 'collect':
      return [node.next, ...(node.type === 'collect' && node.onFail ? [node.onFail] : [])];
    case 'menu':
      return [...Object.values(node.options).flatMap((o) => ('goto' in o ? [o.goto] : [])), ...[node.onFail, node.onMaxFailures, node.onMaxTimeouts].filter((t): t is string => t !== null)];
    case 'if':
      return [node.then, node.else];
    case 'switch':
      return [...node.cases.map((c) => c.goto), node.default];
    case 'http':
      return [node.next, node.onError];
    case 'hours':
      return [node.open, node.closed, node.holiday];
    case 'transfer':
      return node.onFail ? [node.onFail] : [];
    case 'goto':
      return [node.target];
    case 'call':
      return [node.sub];
    case 'queue':
    case 'hangup':
    case 'return':
      return [];
  }
}

describe('sample flow coverage', () => {
  it('the scenarios above take every edge of the flow graph', () => {
    const all = new Set<string>();
    for (const node of Object.values(flow.nodes)) for (const t of edgesOf(node)) all.add(`${node.id} → ${t}`);
    expect([...all].filter((e) => !taken.has(e)).sort()).toEqual([]);
    expect(Object.keys(flow.nodes).filter((id) => ![...taken].some((e) => e.endsWith(`→ ${id}`)) && id !== flow.start)).toEqual([]);
  });
});
