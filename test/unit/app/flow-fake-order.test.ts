/**
 * The fake order service (127.0.0.1, a free port) behind real HTTP requests: the sample flow's order branch
 * walked against it, and the HTTP fixture used by `flow try` kept in step with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../src/adapters/clock/system-clock.js';
import { loadFlowFile } from '../../../src/adapters/flows/flow-loader.js';
import { FetchHttpDip, type HttpDip } from '../../../src/app/flow-http.js';
import { simulateFlow } from '../../../src/app/flow-simulator.js';
import type { Flow } from '../../../src/domain/flow/model.js';
import { startFakeOrderService, type FakeOrderService } from '../../../src/tools/fake-order-service.js';
import { FIXTURES, REPO_ROOT } from '../flow/support.js';

const SAMPLE_BASE = 'http://127.0.0.1:8090';
let service: FakeOrderService;
let flow: Flow;
const clock = new SystemClock();

/** The sample flow calls port 8090; the test's service listens on a free port. */
function onTestPort(inner: HttpDip): HttpDip {
  return { run: (cmd, signal) => inner.run({ ...cmd, url: cmd.url.replace(SAMPLE_BASE, service.url) }, signal) };
}

beforeAll(async () => {
  service = await startFakeOrderService();
  const r = await loadFlowFile(join(REPO_ROOT, 'ivr-flows/hotline-400.yaml'), { promptsDir: join(REPO_ROOT, 'prompts'), checkPrompts: false });
  if (!r.ok) throw new Error('sample flow invalid');
  flow = r.flow;
});

afterAll(async () => {
  await service.close();
  clock.close();
});

async function walk(digits: string, caller: string) {
  return simulateFlow({
    flow,
    caller,
    dialed: '4008208820',
    startMs: Date.parse('2026-11-23T10:00:00+08:00'),
    promptsDir: '/p',
    digits: digits.split(','),
    http: onTestPort(new FetchHttpDip(clock)),
  });
}

describe('fake order service', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the sample flow: a VIP by lookup, a shipped order spoken with its date and amount', async () => {
    const r = await walk('1,4,20261123#,1,0', '13800138000');
    expect(r.path).toContain('welcome-vip');
    expect(r.path).toContain('say-shipped');
    expect(r.variables).toMatchObject({ caller_class: 'vip', order_status: 'shipped', eta: '2026-11-25', amount: 128.5 });
    expect(service.requests).toEqual(expect.arrayContaining(['GET /customers/13800138000', 'GET /orders/20261123']));
  });

  it('answers 404 for an unknown order and 503 for the failing one', async () => {
    expect((await walk('1,4,777777#,1', '13700137000')).path).toContain('order-not-found');
    expect((await walk('1,4,500500#,1', '13700137000')).path).toContain('system-busy');
  });

  it('agrees with the HTTP fixture of `flow try` on every exact URL', async () => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, 'http/hotline-400.json'), 'utf8')) as Record<string, { status?: number; json?: unknown; timeout?: boolean }>;
    for (const [key, answer] of Object.entries(fixture)) {
      if (key.endsWith('*') || answer.timeout) continue;
      const url = key.replace(/^GET /, '').replace(SAMPLE_BASE, service.url);
      const res = await fetch(url);
      expect(res.status, key).toBe(answer.status ?? 200);
      expect(await res.json(), key).toEqual(answer.json);
    }
  });
});
