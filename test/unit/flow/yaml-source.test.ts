/** YAML → positioned source tree: positions, keys as written, aliases within a budget. */
import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_NODES, parseYamlSource } from '../../../src/adapters/flows/yaml-source.js';
import { resolvePromptPath } from '../../../src/domain/flow/prompts.js';
import { locate, locateKey } from '../../../src/domain/flow/source.js';
import { validateFlowSource } from '../../../src/domain/flow/validate.js';
import { flowFromYaml } from './support.js';

function parseYamlSourceOk(text: string) {
  const r = parseYamlSource(text);
  if (!r.ok) throw new Error(r.problems[0]!.message);
  return r.root;
}

describe('parseYamlSource', () => {
  it('keeps 1-based positions of keys and values', () => {
    const r = parseYamlSource('a: 1\nb:\n  c: [x, { d: true }]\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(locate(r.root, ['b', 'c', 1, 'd'])).toEqual({ line: 3, col: 15 });
    expect(locateKey(r.root, ['b', 'c'])).toEqual({ line: 3, col: 3 });
    expect(locate(r.root, ['b', 'nope'])).toEqual({ line: 3, col: 3 }); // deepest existing ancestor
  });

  it('positions an error in a one-line file without a trailing newline', () => {
    const r = parseYamlSource('a: [1, 2');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]!.pos.line).toBe(1);
    expect(r.problems[0]!.pos.col).toBeGreaterThanOrEqual(1);
  });

  it('keeps map keys as written, so option key 01 is the digit string "01", not 1', () => {
    const r = parseYamlSource('id: k\nversion: "1"\nlanguage: en\nstart: m\nnodes:\n  m:\n    type: menu\n    options:\n      01: { goto: m }\n      1.5: { goto: m }\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = validateFlowSource(r.root);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.problems.map((p) => [p.pos, p.message])).toEqual([
      [{ line: 10, col: 7 }, 'node "m": option key "1.5" is not a DTMF key or digit string (keys 0 1 2 3 4 5 6 7 8 9 * #; quote "*" and "#" in YAML)'],
    ]);
    const ok = validateFlowSource(parseYamlSourceOk('id: k\nversion: "1"\nlanguage: en\nstart: m\nnodes:\n  m:\n    type: menu\n    options:\n      01: { goto: m }\n'));
    expect(ok.ok && Object.keys((ok.flow.nodes['m'] as { options: object }).options)).toEqual(['01']);
  });

  it('expands anchors and aliases (a shared prompt list)', () => {
    const flow = flowFromYaml(`
id: a
version: "1"
language: en
start: p
nodes:
  p: { type: play, prompts: &hold [please-hold, music], next: q }
  q: { type: queue, queue: sales, prompts: *hold }
`);
    expect(flow.nodes['q']).toMatchObject({ prompts: [{ kind: 'name', name: 'please-hold' }, { kind: 'name', name: 'music' }] });
  });

  it('rejects an alias inside its own anchor', () => {
    const r = parseYamlSource('a: &x [1, *x]\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.message)).toEqual(['YAML: alias *x refers to a value that contains it']);
  });

  it('stops alias expansion past its budget (billion laughs)', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const r = parseYamlSource(lines.join('\n') + '\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toContain(`more than ${MAX_SOURCE_NODES} values`);
  });

  it('reports warnings (unknown tags) as problems', () => {
    const r = parseYamlSource('a: !shout hello\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatchObject({ pos: { line: 1, col: 4 } });
  });
});

describe('validator graph checks', () => {
  it('reports a goto that jumps to itself', () => {
    const r = parseYamlSource('id: s\nversion: "1"\nlanguage: en\nstart: a\nnodes:\n  a: { type: goto, target: a }\n');
    if (!r.ok) throw new Error('parse');
    const v = validateFlowSource(r.root);
    expect(v.ok ? [] : v.problems.map((p) => p.message)).toEqual(['goto loop: a → a never waits for the caller; put a play or menu in it']);
  });

  it('accepts a loop that waits (a menu option back to an announcement)', () => {
    expect(() =>
      flowFromYaml(`
id: w
version: "1"
language: en
start: info
nodes:
  info: { type: play, prompts: [info], next: again }
  again: { type: goto, target: menu }
  menu:
    type: menu
    prompts: [menu]
    options: { "9": { goto: info } }
`),
    ).not.toThrow();
  });
});

describe('resolvePromptPath', () => {
  it('resolves names per language and files below the prompts folder', () => {
    expect(resolvePromptPath({ kind: 'name', name: 'menus/main' }, 'prompts/', 'zh')).toBe('prompts/zh/menus/main.wav');
    expect(resolvePromptPath({ kind: 'name', name: 'hi' }, '', 'en')).toBe('en/hi.wav');
    expect(resolvePromptPath({ kind: 'file', file: './moh/a.wav' }, '/p', 'en')).toBe('/p/moh/a.wav');
    expect(resolvePromptPath({ kind: 'file', file: '/abs/a.wav' }, '/p', 'en')).toBe('/abs/a.wav');
  });
});
