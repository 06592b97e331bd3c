/**
 * The wallboard in a real browser: headless Chromium loads GET / from the engine and renders, from the live API,
 * every queue (waiting, longest wait, available, SL over the rolling window, abandon rate, estimated wait,
 * staffed) and every agent's state — with agent 1001 registered from a real baresip phone.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../support/engine-process.js';
import type { Baresip } from '../support/baresip.js';
import { makeTone } from '../support/audio.js';
import { renderedDom } from '../support/chromium.js';
import { startReadyAgent } from './acd-e2e-support.js';

let engine: Engine;
let agent: Baresip | undefined;

beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'hotline-tone-'));
  const tone = path.join(work, 'tone.wav');
  await makeTone(tone, 1000, 5);
  engine = await startEngine();
  agent = await startReadyAgent(engine, '1001', tone);
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  await engine?.stop();
});

describe('wallboard in headless Chromium', () => {
  it('renders every queue and agent from the live API', async () => {
    const dom = await renderedDom(`http://127.0.0.1:${engine.httpPort}/`);
    const text = dom.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    for (const name of ['销售咨询 Sales', '售后服务 Support', '贵宾专线 VIP', '投诉建议 Complaints', '人工服务 Operator']) expect(text).toContain(name);
    expect(text).toContain('SL 20s · 15 min');
    expect(text).toMatch(/1001 王芳 Wang Fang available/);
    expect(text).toMatch(/1002 李娜 Li Na logged-out/);
    expect(dom).toContain('<div id="error"></div>');
    // The sales card: nobody waiting, 1001 available and staffed, the estimated wait is zero.
    const sales = text.slice(text.indexOf('销售咨询 Sales'), text.indexOf('售后服务 Support'));
    expect(sales).toMatch(/longest-idle 0 waiting/);
    expect(sales).toMatch(/0:00 est\. wait 预计等待 1 staffed/);
  }, 90_000);
});
