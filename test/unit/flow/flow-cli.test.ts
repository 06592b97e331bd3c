/** `hotline flow check` and `hotline flow try`, through the functions the CLI registers. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFlowCheck } from '../../../src/cli/flow-check.js';
import { runFlowTry } from '../../../src/cli/flow-try.js';
import type { SimResult } from '../../../src/app/flow-simulator.js';
import { FIXTURES, REPO_ROOT, makePromptsDir, type TempPrompts } from './support.js';

let prompts: TempPrompts;
let work: string;

beforeAll(async () => {
  prompts = await makePromptsDir(['zh/hello.wav', 'zh/welcome.wav', 'zh/main-menu.wav']);
  work = await mkdtemp(path.join(tmpdir(), 'hotline-cli-'));
});

afterAll(async () => {
  await prompts.remove();
  await rm(work, { recursive: true, force: true });
});

function io(cwd = REPO_ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, opts: { env: {}, cwd, out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
}

const good = ['id: alpha', 'version: "1"', 'language: zh', 'start: p', 'nodes:', '  p: { type: play, prompts: [hello], next: h }', '  h: { type: hangup }', ''].join('\n');

describe('hotline flow check', () => {
  it('prints every problem as file:line:col: message (relative to the working directory) and exits 1', async () => {
    const c = io();
    const code = await runFlowCheck([path.join(FIXTURES, 'invalid/unknown-target.yaml'), path.join(FIXTURES, 'invalid/goto-loop.yaml')], { ...c.opts, promptsDir: prompts.dir });
    expect(code).toBe(1);
    expect(c.out).toEqual([
      'test/fixtures/flows/invalid/goto-loop.yaml:12:13: goto loop: a → b → a never waits for the caller; put a play or menu in it',
      'test/fixtures/flows/invalid/unknown-target.yaml:9:11: node "welcome": "next" names no node: "main-menuu" (did you mean "main-menu"?)',
      'test/fixtures/flows/invalid/unknown-target.yaml:14:20: node "main-menu": "options.1.goto" names no node: "sales"',
    ]);
    expect(c.err).toEqual(['3 problems in 2 files']);
  });

  it('checks every flow of a folder and exits 0 when all are valid', async () => {
    const dir = path.join(work, 'ok');
    await cp(path.join(REPO_ROOT, 'test/fixtures/flows/dir'), dir, { recursive: true });
    await rm(path.join(dir, 'b-duplicate.yaml'));
    await rm(path.join(dir, 'd-broken.yaml'));
    await writeFile(path.join(dir, 'e-alpha2.yaml'), good.replace('alpha', 'alpha2'));
    const c = io(work);
    const empty = await makePromptsDir(['zh/hello.wav', 'zh/welcome.wav', 'zh/goodbye.wav', 'zh/main-menu.wav', 'en/welcome.wav', 'en/hello.wav', 'shared/hold.wav']);
    try {
      const code = await runFlowCheck([dir], { ...c.opts, promptsDir: empty.dir });
      expect(c.out).toEqual([]);
      expect(code).toBe(0);
      expect(c.err[0]).toMatch(/^ok: 3 flows \(alpha, alpha2, gamma\)/);
    } finally {
      await empty.remove();
    }
  });

  it('without paths: the configured flows folder, and numbers mapped to flows that are not there', async () => {
    const config = path.join(work, 'config');
    await cp(path.join(REPO_ROOT, 'config'), config, { recursive: true });
    const flows = path.join(work, 'flows');
    await cp(path.join(REPO_ROOT, 'test/fixtures/flows/dir/a-first.yaml'), path.join(flows, 'a.yaml'), { recursive: true });
    const hotline = path.join(config, 'hotline.yaml');
    await writeFile(hotline, (await readFile(hotline, 'utf8')).replace(/^flowsDir: .*$/m, `flowsDir: ${flows}`).replace(/^promptsDir: .*$/m, `promptsDir: ${prompts.dir}`));
    const c = io(work);
    const code = await runFlowCheck([], { ...c.opts, env: { HOTLINE_CONFIG_DIR: config } });
    expect(code).toBe(1);
    expect(c.out.at(-1)).toBe('config/hotline.yaml:1:1: number 4008208820 maps to flow "hotline-400", which is not a valid flow in flows');
  });
});

describe('hotline flow try', () => {
  const sample = path.join(REPO_ROOT, 'ivr-flows/hotline-400.yaml');
  const fixture = path.join(FIXTURES, 'http/hotline-400.json');

  it('--json prints the transcript: prompts, keys, path, variables and the outcome', async () => {
    const c = io();
    const code = await runFlowTry(sample, { json: true, digits: '2,4,20261123#,1,0', at: '2026-11-23T10:00+08:00', httpFixture: fixture, caller: '13800138000', promptsDir: path.join(REPO_ROOT, 'prompts') }, c.opts);
    expect(code).toBe(0);
    const r = JSON.parse(c.out.join('\n')) as SimResult;
    expect(r.flow).toEqual({ id: 'hotline-400', version: '1' });
    expect(r.outcome).toEqual({ kind: 'queue', queue: 'operator', priority: 0, language: 'en' });
    expect(r.path).toContain('say-shipped');
    const first = r.lines.find((l) => l.kind === 'prompt');
    // The VIP greeting comes before the language choice, in the default language, with the flow's own text.
    expect(first).toMatchObject({ items: [{ file: 'zh/welcome-vip.wav', text: '尊敬的会员您好，欢迎致电示例公司服务热线，我们将优先为您服务。' }] });
    const english = r.lines.find((l) => l.kind === 'prompt' && l.items[0]!.file === 'en/main-menu-full.wav');
    expect(english).toMatchObject({ items: [{ text: expect.stringContaining('For sales, press 1') }] });
    // Every prompt of the shipped sample is recorded (a missing one would be a warning here, not a failure).
    expect(c.err.filter((l) => l.includes('not found'))).toEqual([]);
  });

  it('prints a readable transcript with the texts of spoken values and the outcome', async () => {
    const c = io();
    await runFlowTry(sample, { digits: '1,4,20261123#,1,*,1', at: '2026-11-23T10:00+08:00', httpFixture: fixture, promptsDir: path.join(REPO_ROOT, 'prompts') }, c.opts);
    const text = c.out.join('\n');
    expect(text).toContain('flow hotline-400 version 1 · caller 13800138000 → 4008208820 · 2026-11-23 10:00 Asia/Shanghai');
    expect(text).toContain('⌨ 20261123#  (order-status)');
    expect(text).toContain('♪ say/zh  “二零二六年十一月二十五日”');
    expect(text).toContain('⇄ GET http://127.0.0.1:8090/orders/20261123 → ok 200');
    expect(text).toMatch(/outcome: queue vip \(priority 80, caller class vip, language zh\)$/);
  });

  it('reports a flow id it cannot find, a broken file at file:line:col, and a bad --at', async () => {
    const c = io();
    expect(await runFlowTry('no-such-flow', { flowsDir: path.join(REPO_ROOT, 'ivr-flows') }, c.opts)).toBe(1);
    expect(c.err[0]).toContain('no file "no-such-flow" and no flow with that id in ivr-flows (known: hotline-400)');
    const broken = io();
    expect(await runFlowTry(path.join(FIXTURES, 'invalid/unknown-start.yaml'), {}, broken.opts)).toBe(1);
    expect(broken.err[0]).toMatch(/^test\/fixtures\/flows\/invalid\/unknown-start.yaml:4:8: /);
    const at = io();
    expect(await runFlowTry(sample, { at: 'tomorrow' }, at.opts)).toBe(2);
    expect(at.err[0]).toContain('--at: "tomorrow" is not an ISO 8601 date/time');
  });

  it('finds a flow by id in the flows folder and asks for keys when interactive', async () => {
    const c = io();
    const answers = ['1', '', null];
    const code = await runFlowTry('skeleton-400', { flowsDir: path.join(REPO_ROOT, 'ivr-flows/examples'), promptsDir: prompts.dir }, { ...c.opts, ask: async () => answers.shift() ?? null });
    expect(code).toBe(0);
    expect(c.out.join('\n')).toContain('outcome: queue sales (priority 0, language zh)');
  });
});
