/**
 * Hot reload: a changed file that validates replaces its flow atomically (a call holding the old Flow object
 * keeps it); a file that fails keeps the last good version and shows its errors; calendars reload too.
 */
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlowRegistry } from '../../../src/adapters/flows/flow-watcher.js';
import { silentLogger } from '../../support/fakes.js';
import { makePromptsDir, type TempPrompts } from './support.js';

const flowText = (id: string, version: string, prompt = 'hello'): string =>
  ['id: ' + id, `version: "${version}"`, 'language: zh', 'start: p', 'nodes:', `  p: { type: play, prompts: [${prompt}], next: h }`, '  h: { type: hangup }', ''].join('\n');

const hoursText = (calendar: string): string =>
  ['id: hours', 'version: "1"', 'language: zh', 'start: c', 'nodes:', '  c:', '    type: hours', `    calendar: ${calendar}`, '    weekly: { daily: "09:00-18:00" }', '    open: o', '    closed: o', '  o: { type: hangup }', ''].join('\n');

let dir: string;
let prompts: TempPrompts;
let registry: FlowRegistry;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hotline-watch-'));
  prompts = await makePromptsDir(['zh/hello.wav', 'zh/bye.wav']);
  await writeFile(path.join(dir, 'a.yaml'), flowText('alpha', '1'));
  await writeFile(path.join(dir, 'b.yaml'), flowText('beta', '1'));
  registry = new FlowRegistry({ flowsDir: dir, promptsDir: prompts.dir, logger: silentLogger, debounceMs: 20 });
});

afterEach(async () => {
  await registry.close();
  await prompts.remove();
  await rm(dir, { recursive: true, force: true });
});

describe('FlowRegistry', () => {
  it('loads every flow at start and lists them', async () => {
    expect(await registry.start()).toEqual([]);
    expect(registry.list().map((f) => [f.id, f.version, path.basename(f.file), f.lastError])).toEqual([
      ['alpha', '1', 'a.yaml', undefined],
      ['beta', '1', 'b.yaml', undefined],
    ]);
    expect(registry.list()[0]!.loadedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('swaps in a changed file that validates; a call holding the old version keeps it', async () => {
    await registry.start();
    const held = registry.get('alpha')!;
    await writeFile(path.join(dir, 'a.yaml'), flowText('alpha', '2', 'bye'));
    await vi.waitFor(() => expect(registry.get('alpha')?.version).toBe('2'));
    expect(held.version).toBe('1');
    expect(held.nodes['p']).toMatchObject({ prompts: [{ kind: 'name', name: 'hello' }] });
    expect(registry.get('beta')?.version).toBe('1');
  });

  it('keeps the last good version when a file breaks, shows the error as file:line:col, and recovers', async () => {
    await registry.start();
    const file = path.join(dir, 'a.yaml');
    await writeFile(file, flowText('alpha', '2').replace('next: h', 'next: nowhere'));
    await vi.waitFor(() => expect(registry.list().find((f) => f.id === 'alpha')?.lastError).toBeDefined());
    const info = registry.list().find((f) => f.id === 'alpha')!;
    expect(info.version).toBe('1');
    expect(registry.get('alpha')?.version).toBe('1');
    expect(info.lastError).toEqual([`${file}:6:44: node "p": "next" names no node: "nowhere"`]);
    await writeFile(file, flowText('alpha', '3'));
    await vi.waitFor(() => expect(registry.get('alpha')?.version).toBe('3'));
    expect(registry.list().find((f) => f.id === 'alpha')?.lastError).toBeUndefined();
  });

  it('a missing prompt blocks the new version too', async () => {
    await registry.start();
    await writeFile(path.join(dir, 'b.yaml'), flowText('beta', '2', 'not-recorded'));
    await vi.waitFor(() => expect(registry.list().find((f) => f.id === 'beta')?.lastError?.[0]).toContain('prompt "not-recorded" not found'));
    expect(registry.get('beta')?.version).toBe('1');
  });

  it('lists a new file that never validated, and reports it at start', async () => {
    await writeFile(path.join(dir, 'c.yaml'), 'id: gamma\nversion: 1\n');
    const errors = await registry.start();
    expect(errors.map((e) => `${path.basename(e.file)}:${e.line}:${e.col}`)).toEqual(['c.yaml:1:1', 'c.yaml:1:1', 'c.yaml:1:1', 'c.yaml:2:10']);
    const gamma = registry.list().find((f) => f.id === 'gamma')!;
    expect(gamma).toMatchObject({ version: null, loadedAt: null });
    expect(registry.get('gamma')).toBeUndefined();
  });

  it('a deleted file keeps its flow running, flagged', async () => {
    await registry.start();
    await unlink(path.join(dir, 'b.yaml'));
    await vi.waitFor(() => expect(registry.list().find((f) => f.id === 'beta')?.lastError?.[0]).toContain('flow file is gone'));
    expect(registry.get('beta')?.version).toBe('1');
  });

  it('reloads when a holiday calendar changes, and rejects a broken calendar at its own file:line:col', async () => {
    await mkdir(path.join(dir, 'calendars'));
    const cal = path.join(dir, 'calendars', 'cn.yaml');
    await writeFile(cal, 'closed:\n  - { date: 2026-10-01, name: 国庆节 }\n');
    await writeFile(path.join(dir, 'h.yaml'), hoursText('calendars/cn.yaml'));
    await registry.start();
    expect(registry.get('hours')?.calendars['calendars/cn.yaml']?.closed).toEqual({ '2026-10-01': '国庆节' });
    await writeFile(cal, 'closed:\n  - { date: 2026-10-01, name: 国庆节 }\n  - { date: 2026-10-02, name: 国庆节 }\n');
    await vi.waitFor(() => expect(Object.keys(registry.get('hours')?.calendars['calendars/cn.yaml']?.closed ?? {})).toHaveLength(2));
    await writeFile(cal, 'closed:\n  - { date: 2026-13-01 }\n');
    await vi.waitFor(() => expect(registry.list().find((f) => f.id === 'hours')?.lastError).toEqual([`${cal}:2:13: calendar: closed[0]: "date" must be a date YYYY-MM-DD, got "2026-13-01"`]));
    expect(Object.keys(registry.get('hours')!.calendars['calendars/cn.yaml']!.closed)).toHaveLength(2);
  });

  it('reload() can be called directly; concurrent calls share a pass', async () => {
    await registry.start();
    await writeFile(path.join(dir, 'a.yaml'), flowText('alpha', '9'));
    const [r1, r2] = await Promise.all([registry.reload(), registry.reload()]);
    expect(r1).toBe(r2);
    await vi.waitFor(() => expect(registry.get('alpha')?.version).toBe('9'));
  });
});
