/** Loading flows from disk: the shipped flow, prompt file checks, directories and duplicate ids. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFlowError } from '../../../src/adapters/flows/flow-errors.js';
import { loadFlowDir, loadFlowFile } from '../../../src/adapters/flows/flow-loader.js';
import { FlowProblemCodes as C } from '../../../src/domain/flow/problems.js';
import { FIXTURES, HOTLINE_PROMPTS, makePromptsDir, REPO_ROOT, SKELETON_FLOW, type TempPrompts } from './support.js';

let prompts: TempPrompts;
let scratch: string;
beforeAll(async () => {
  prompts = await makePromptsDir([...HOTLINE_PROMPTS.map((n) => `zh/${n}.wav`), 'shared/hold.wav']);
  scratch = await mkdtemp(join(tmpdir(), 'hotline-flows-'));
});
afterAll(async () => {
  await prompts.remove();
  await rm(scratch, { recursive: true, force: true });
});

describe('loadFlowFile', () => {
  it('loads the skeleton-400 menu clean, with defaults filled in', async () => {
    const result = await loadFlowFile(SKELETON_FLOW, { promptsDir: prompts.dir });
    expect(result.ok ? [] : result.errors.map(formatFlowError)).toEqual([]);
    if (!result.ok) return;
    const { flow } = result;
    expect(flow).toMatchObject({ id: 'skeleton-400', version: '1', language: 'zh', start: 'welcome' });
    expect(Object.keys(flow.nodes)).toEqual(['welcome', 'main-menu', 'to-sales', 'to-support', 'goodbye', 'hangup']);
    expect(flow.nodes['main-menu']).toEqual({
      type: 'menu',
      id: 'main-menu',
      prompts: [{ kind: 'name', name: 'main-menu' }],
      shortPrompts: [],
      invalidPrompts: [{ kind: 'name', name: 'invalid' }],
      timeoutPrompts: [{ kind: 'name', name: 'no-input' }],
      exitPrompts: [],
      timeoutSec: 5,
      interDigitTimeoutSec: 2,
      digitLength: 1,
      maxAttempts: 3,
      maxFailures: 3,
      maxTimeouts: 3,
      options: { '1': { goto: 'to-sales' }, '2': { goto: 'to-support' } },
      patterns: [],
      onFail: 'goodbye',
      onMaxFailures: null,
      onMaxTimeouts: null,
    });
    expect(flow.nodes['to-sales']).toEqual({
      type: 'queue',
      id: 'to-sales',
      queue: 'sales',
      prompts: [{ kind: 'name', name: 'please-hold' }],
      priority: 0,
      priorityExpr: null,
      skills: [],
      callerClass: null,
    });
    expect(flow.nodes['hangup']).toEqual({ type: 'hangup', id: 'hangup', cause: 'normal' });
    expect(Object.isFrozen(flow.nodes['main-menu'])).toBe(true);
  });

  it('reports each prompt missing for the flow language at the prompt', async () => {
    const empty = await makePromptsDir(['en/welcome.wav']);
    try {
      const result = await loadFlowFile(SKELETON_FLOW, { promptsDir: empty.dir });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.errors.every((e) => e.code === C.MISSING_PROMPT)).toBe(true);
      expect(result.errors.map((e) => `${e.line}:${e.col}`)).toEqual(['11:15', '16:15', '19:22', '20:22', '28:15', '32:15', '35:15']);
      expect(result.errors[0]!.message).toBe(`node "welcome": prompt "welcome" not found: ${empty.dir}/zh/welcome.wav`);
    } finally {
      await empty.remove();
    }
  });

  it('resolves { file } prompts below the prompts folder, or as written when absolute', async () => {
    const abs = join(prompts.dir, 'zh', 'goodbye.wav');
    const file = join(scratch, 'files.yaml');
    await writeFile(
      file,
      [
        'id: files',
        'version: "1"',
        'language: zh',
        'start: p',
        'nodes:',
        '  p:',
        '    type: play',
        `    prompts: [{ file: shared/hold.wav }, { file: ${JSON.stringify(abs)} }]`,
        '    next: h',
        '  h: { type: hangup }',
        '',
      ].join('\n'),
    );
    const result = await loadFlowFile(file, { promptsDir: prompts.dir });
    expect(result.ok ? 'ok' : result.errors.map(formatFlowError)).toBe('ok');
  });

  it('reports a file it cannot read at 1:1', async () => {
    const missing = join(scratch, 'nope.yaml');
    const result = await loadFlowFile(missing, { promptsDir: prompts.dir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: missing, line: 1, col: 1, code: C.UNREADABLE_FILE });
    expect(formatFlowError(result.errors[0]!)).toMatch(new RegExp(`^${missing}:1:1: cannot read flow file: ENOENT`));
  });

  it('reports an empty file as not a flow', async () => {
    const file = join(scratch, 'empty.yaml');
    await writeFile(file, '');
    const result = await loadFlowFile(file, { promptsDir: prompts.dir });
    expect(result.ok ? [] : result.errors.map((e) => [e.line, e.col, e.code])).toEqual([[1, 1, C.NOT_A_FLOW]]);
  });
});

describe('loadFlowDir', () => {
  it('loads every *.yaml/*.yml file, keeps the first of a duplicate id and reports the rest', async () => {
    const dir = join(FIXTURES, 'dir');
    const result = await loadFlowDir(dir, { promptsDir: prompts.dir });
    expect([...result.flows.keys()].sort()).toEqual(['alpha', 'gamma']);
    expect(result.flows.get('alpha')!.version).toBe('1');
    expect(result.files.get('alpha')).toBe(join(dir, 'a-first.yaml'));
    expect(result.files.get('gamma')).toBe(join(dir, 'c-gamma.yml'));
    expect(result.errors.map(formatFlowError)).toEqual([
      `${join(dir, 'b-duplicate.yaml')}:2:5: flow: duplicate flow id "alpha" (also in ${join(dir, 'a-first.yaml')})`,
      `${join(dir, 'd-broken.yaml')}:6:52: node "welcome": "next" names no node: "nowhere"`,
    ]);
    expect(result.errors[0]!.code).toBe(C.DUPLICATE_FLOW_ID);
  });

  it('reports a folder it cannot read', async () => {
    const dir = join(scratch, 'no-such-dir');
    const result = await loadFlowDir(dir, { promptsDir: prompts.dir });
    expect(result.flows.size).toBe(0);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ file: dir, line: 1, col: 1, code: C.UNREADABLE_FILE });
  });
});

describe('formatFlowError', () => {
  it('prints file:line:col: message', () => {
    expect(formatFlowError({ file: 'ivr-flows/x.yaml', line: 12, col: 7, message: 'boom', code: C.BAD_VALUE })).toBe(
      'ivr-flows/x.yaml:12:7: boom',
    );
  });
});

describe('shipped spoken-value fragments', () => {
  it('prompts/say holds every fragment of both languages and the voicemail tone', async () => {
    const file = join(scratch, 'say.yaml');
    await writeFile(
      file,
      ['id: say', 'version: "1"', 'language: zh', 'start: l', 'nodes:', '  l: { type: language, language: en, next: s }', '  s: { type: say, as: number, value: 42, next: v }', '  v: { type: voicemail, mailbox: m, next: h }', '  h: { type: hangup }', ''].join('\n'),
    );
    const result = await loadFlowFile(file, { promptsDir: join(REPO_ROOT, 'prompts') });
    expect(result.ok ? [] : result.errors.map(formatFlowError)).toEqual([]);
  });
});
