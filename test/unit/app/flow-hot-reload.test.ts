/**
 * A reload in the middle of a call, at the app level (the SIP e2e does the same over the network): the live
 * call keeps the version it started with, the next call gets the new one, and call.offered records which.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowRegistry } from '../../../src/adapters/flows/flow-watcher.js';
import { CallRecords } from '../../../src/app/call-records.js';
import { makeEmitter } from '../../../src/app/events.js';
import type { FlowAcd } from '../../../src/app/flow-runner.js';
import { handleInboundCall, type InboundDeps } from '../../../src/app/inbound-call.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { FakeLeg, MemorySink, settle, silentLogger } from '../../support/fakes.js';
import { makePromptsDir, type TempPrompts } from '../flow/support.js';

const flowV = (version: string, queue: string): string =>
  [
    'id: hot',
    `version: "${version}"`,
    'language: zh',
    'start: menu',
    'nodes:',
    '  menu:',
    '    type: menu',
    `    prompts: [menu-v${version}]`,
    `    options: { "1": { goto: q } }`,
    '    onFail: q',
    `  q: { type: queue, queue: ${queue} }`,
    '',
  ].join('\n');

let dir: string;
let prompts: TempPrompts;
let registry: FlowRegistry;
let deps: InboundDeps;
let sink: MemorySink;
let enqueued: Array<[string, string]>;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hotline-hot-'));
  prompts = await makePromptsDir(['zh/menu-v1.wav', 'zh/menu-v2.wav']);
  await writeFile(path.join(dir, 'hot.yaml'), flowV('1', 'sales'));
  registry = new FlowRegistry({ flowsDir: dir, promptsDir: prompts.dir, logger: silentLogger });
  await registry.reload();
  const clock = new ManualClock(0);
  sink = new MemorySink();
  const emit = makeEmitter(sink, clock);
  enqueued = [];
  const acd: FlowAcd = {
    async enqueue(callId, queueId) {
      enqueued.push([callId, queueId]);
    },
    async callerLeft() {},
  };
  deps = { clock, emit, logger: silentLogger, numbers: { '4008208820': 'hot' }, flows: registry, calls: new CallRecords(clock, emit), acd, promptsDir: '/p' };
});

afterEach(async () => {
  await registry.close();
  await prompts.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('hot reload during a call', () => {
  it('the live call keeps version 1; the next call gets version 2', async () => {
    const first = new FakeLeg('l1');
    handleInboundCall(deps, first);
    await settle();
    expect(first.plays[0]).toEqual(['/p/zh/menu-v1.wav']);

    await writeFile(path.join(dir, 'hot.yaml'), flowV('2', 'support'));
    const report = await registry.reload();
    expect(report.swapped).toEqual(['hot']);

    const second = new FakeLeg('l2');
    handleInboundCall(deps, second);
    await settle();
    expect(second.plays[0]).toEqual(['/p/zh/menu-v2.wav']);

    first.press('1');
    second.press('1');
    await settle();
    expect(enqueued.map(([, q]) => q)).toEqual(['sales', 'support']);
    expect(sink.ofType('call.offered').map((e) => e.flowVersion)).toEqual(['1', '2']);
  });

  it('a broken file during a call changes nothing: new calls still get the last good version', async () => {
    await writeFile(path.join(dir, 'hot.yaml'), 'id: hot\nversion: "3"\nlanguage: zh\nstart: nowhere\nnodes: {}\n');
    await registry.reload();
    const leg = new FakeLeg('l3');
    handleInboundCall(deps, leg);
    await settle();
    expect(leg.plays[0]).toEqual(['/p/zh/menu-v1.wav']);
    expect(registry.list()[0]).toMatchObject({
      id: 'hot',
      version: '1',
      lastError: [expect.stringMatching(/hot\.yaml:4:8: flow: "start" names no node: "nowhere"$/), expect.stringMatching(/hot\.yaml:5:8: flow: "nodes" must define at least one node$/)],
    });
  });
});
