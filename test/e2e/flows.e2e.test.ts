/**
 * The flow language over real SIP: the full bilingual sample with an http dip to the fake order service, DTMF by
 * RFC 4733 and SIP INFO; and a hot reload in the middle of a live call (the live call keeps its version, the next
 * call gets the new one). SIPp callers on 127.0.0.1; the flows folder is a copy the test may edit.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import { runSipp } from '../support/sipp.js';
import { sleep, waitFor } from '../support/ports.js';
import { startFakeOrderService, type FakeOrderService } from '../../src/tools/fake-order-service.js';
import type { HotlineEvent } from '../../src/domain/metrics/events.js';

let engine: Engine;
let orders: FakeOrderService;

async function events(): Promise<HotlineEvent[]> {
  const dir = path.join(engine.dataDir, 'events');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const text = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as HotlineEvent);
}

const callOf = (ev: HotlineEvent[], callId: string | undefined) => ev.filter((e) => 'callId' in e && e.callId === callId);

beforeAll(async () => {
  orders = await startFakeOrderService();
  engine = await startEngine({
    // The copy talks to this test's order service, and is open around the clock (the test must not depend on the
    // hour it runs at): weekly hours widened, an empty holiday calendar.
    prepareFlows: async (dir) => {
      const full = path.join(dir, 'hotline-400.yaml');
      const text = (await readFile(full, 'utf8'))
        .replaceAll('http://127.0.0.1:8090/', `${orders.url}/`)
        .replace('weekdays: "09:00-21:00"', 'weekdays: "00:00-24:00"')
        .replace('weekend: "10:00-18:00"', 'weekend: "00:00-24:00"')
        .replace('calendar: calendars/cn-2026.yaml', 'calendar: calendars/none.yaml');
      await writeFile(full, text);
      await writeFile(path.join(dir, 'calendars/none.yaml'), 'name: no holidays (tests)\nclosed: []\nworkdays: []\n');
    },
  });
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await orders?.close();
});

describe('flows over real SIP', () => {
  it('the full sample: VIP lookup, Mandarin, order status by RFC 4733, order number by SIP INFO, http dip', async () => {
    const run = await runSipp({ scenario: 'caller-full-order-status.xml', target: `127.0.0.1:${engine.sipPort}`, service: '4008208821', timeoutSec: 90 });
    expect(run.code, run.stdout + run.errors).toBe(0);
    const ev = await events();
    const callId = ev.find((e) => e.type === 'call.offered' && e.to === '4008208821')?.callId;
    const mine = callOf(ev, callId);
    expect(mine[0]).toMatchObject({ type: 'call.offered', flowId: 'hotline-400', flowVersion: '1' });
    expect(orders.requests).toEqual(['GET /customers/13800138000', 'GET /orders/20261123']);
    const dips = mine.filter((e) => e.type === 'http.completed');
    expect(dips.map((e) => 'outcome' in e && e.outcome)).toEqual(['ok', 'ok']);
    const digits = mine.filter((e): e is Extract<HotlineEvent, { type: 'digits.received' }> => e.type === 'digits.received');
    expect(digits.map((d) => `${d.nodeId}:${d.digits}:${d.source}`)).toEqual(
      expect.arrayContaining(['choose-language:1:rfc4733', 'main-menu:4:rfc4733', 'order-status:20261123:sip-info']),
    );
    expect(mine.at(-1)).toMatchObject({ type: 'call.ended', hungUpBy: 'caller' });
  }, 120_000);

  it('hot reload in the middle of a live call: that call keeps version 1, the next call gets version 2', async () => {
    const file = path.join(engine.flowsDir, 'skeleton-400.yaml');
    const live = runSipp({ scenario: 'caller-slow-key1.xml', target: `127.0.0.1:${engine.sipPort}`, timeoutSec: 60 });
    const liveCallId = await waitFor('the live call', async () => (await events()).filter((e) => e.type === 'call.offered' && e.to === '4008208820').at(-1)?.callId);
    // Version 2 sends key 1 to support instead of sales.
    const v1 = await readFile(file, 'utf8');
    await writeFile(file, v1.replace('version: "1"', 'version: "2"').replace('"1": { goto: to-sales }', '"1": { goto: to-support }').replace('"2": { goto: to-support }', '"2": { goto: to-sales }'));
    await waitFor('version 2 loaded', async () => {
      const r = await engine.api<{ flows: Array<{ id: string; version: string }> }>('GET', '/api/flows');
      return r.body.flows.find((f) => f.id === 'skeleton-400')?.version === '2' || undefined;
    }, 10_000);
    const next = await runSipp({ scenario: 'caller-sales-abandon.xml', target: `127.0.0.1:${engine.sipPort}`, timeoutSec: 60 });
    expect(next.code).toBe(0);
    expect((await live).code).toBe(0);
    const ev = await events();
    const liveEvents = callOf(ev, liveCallId);
    expect(liveEvents[0]).toMatchObject({ type: 'call.offered', flowVersion: '1' });
    expect(liveEvents.find((e) => e.type === 'queue.joined')).toMatchObject({ queueId: 'sales' });
    const nextCallId = ev.filter((e) => e.type === 'call.offered' && e.to === '4008208820').at(-1)?.callId;
    expect(nextCallId).not.toBe(liveCallId);
    const nextEvents = callOf(ev, nextCallId);
    expect(nextEvents[0]).toMatchObject({ type: 'call.offered', flowVersion: '2' });
    expect(nextEvents.find((e) => e.type === 'queue.joined')).toMatchObject({ queueId: 'support' });
  }, 90_000);

  it('a broken edit keeps the last good version running and GET /api/flows says why', async () => {
    const file = path.join(engine.flowsDir, 'skeleton-400.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('version: "2"', 'version: "3"').replace('onFail: goodbye', 'onFail: nowhere'));
    const info = await waitFor('the error reported', async () => {
      const r = await engine.api<{ flows: Array<{ id: string; version: string; lastError?: string[] }> }>('GET', '/api/flows');
      const f = r.body.flows.find((x) => x.id === 'skeleton-400');
      return f?.lastError ? f : undefined;
    }, 10_000);
    expect(info.version).toBe('2');
    expect(info.lastError?.[0]).toMatch(new RegExp(`skeleton-400\\.yaml:\\d+:\\d+: .*nowhere`));
    await sleep(100);
  });
});
