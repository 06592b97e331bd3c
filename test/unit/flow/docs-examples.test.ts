/**
 * docs/flows.md stays true: every YAML example parses and validates (node examples inside a stub flow), the
 * calendar and fixture examples are accepted, and every node type and field the validator knows is documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/flows/yaml-source.js';
import { parseFixture } from '../../../src/app/flow-http-fixture.js';
import { NODE_KINDS, NODE_TYPES } from '../../../src/domain/flow/kinds/index.js';
import { FlowProblemCodes as C } from '../../../src/domain/flow/problems.js';
import { decodeCalendar } from '../../../src/domain/flow/time/calendar.js';
import { validateFlowSource } from '../../../src/domain/flow/validate.js';
import { REPO_ROOT } from './support.js';

const doc = readFileSync(join(REPO_ROOT, 'docs/flows.md'), 'utf8');
const blocks = (lang: string): string[] => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

function problemsOf(text: string): string[] {
  const parsed = parseYamlSource(text);
  if (!parsed.ok) return parsed.problems.map((p) => p.message);
  const v = validateFlowSource(parsed.root);
  return v.ok ? [] : v.problems.map((p) => `${p.code} ${p.pos.line}:${p.pos.col} ${p.message}`);
}

/**
 * Validates node examples inside a flow: targets they name become hangup stubs and variables they read are
 * declared, until only problems of the example itself remain.
 */
function nodeExampleProblems(snippet: string): string[] {
  const ids = [...snippet.matchAll(/^([A-Za-z0-9][A-Za-z0-9_.-]*):\s*$/gm)].map((m) => m[1]!);
  const stubs = new Set<string>();
  const vars = new Set<string>();
  for (let round = 0; round < 5; round++) {
    const text = [
      'id: example',
      'version: "1"',
      'language: zh',
      `start: ${ids[0]}`,
      'externalNumbers: { legal: "01088886666" }',
      ...(vars.size ? ['variables:', ...[...vars].map((v) => `  ${v}: ""`)] : []),
      'nodes:',
      ...snippet.trimEnd().split('\n').map((l) => `  ${l}`),
      ...[...stubs].map((s) => `  ${s}: { type: hangup }`),
    ].join('\n');
    const parsed = parseYamlSource(text);
    if (!parsed.ok) return parsed.problems.map((p) => p.message);
    const v = validateFlowSource(parsed.root);
    if (v.ok) return [];
    let progress = false;
    const rest: string[] = [];
    for (const p of v.problems) {
      const target = /names no node: "([^"]+)"/.exec(p.message);
      const variable = /unknown variable "([^"]+)"/.exec(p.message);
      if (target && !stubs.has(target[1]!)) {
        stubs.add(target[1]!);
        progress = true;
      } else if (variable && !vars.has(variable[1]!)) {
        vars.add(variable[1]!);
        progress = true;
      } else if (p.code !== C.UNREACHABLE_NODE && p.code !== C.RETURN_OUTSIDE_SUB) rest.push(`${p.code} ${p.message}`);
    }
    if (!progress) return rest;
  }
  return ['did not settle'];
}

describe('docs/flows.md', () => {
  const yaml = blocks('yaml');

  it('has examples', () => {
    expect(yaml.length).toBeGreaterThanOrEqual(NODE_TYPES.length);
  });

  it('every complete flow example validates', () => {
    const flows = yaml.filter((b) => /^id: /m.test(b) && /^nodes:/m.test(b));
    expect(flows.length).toBeGreaterThan(0);
    for (const b of flows) expect(problemsOf(b), b.slice(0, 80)).toEqual([]);
  });

  it('every node example validates inside a flow', () => {
    const nodes = yaml.filter((b) => !/^(id|name|#)/m.test(b.split('\n')[0]!) && /^\s+type: /m.test(b));
    expect(nodes.length).toBeGreaterThanOrEqual(NODE_TYPES.length - 1);
    for (const b of nodes) expect(nodeExampleProblems(b), b.slice(0, 80)).toEqual([]);
  });

  it('the calendar example decodes', () => {
    const calendars = yaml.filter((b) => b.startsWith('name: '));
    expect(calendars).toHaveLength(1);
    const parsed = parseYamlSource(calendars[0]!);
    expect(parsed.ok && decodeCalendar(parsed.root).ok).toBe(true);
  });

  it('the HTTP fixture example is accepted by the simulator', () => {
    const json = blocks('json');
    expect(json).toHaveLength(1);
    expect(() => parseFixture(JSON.parse(json[0]!) as unknown)).not.toThrow();
  });

  it('documents every node type and every field, in the node\'s own section', () => {
    const sections = doc.split(/^### /m);
    for (const type of NODE_TYPES) {
      const section = sections.find((s) => s.startsWith(`\`${type}\``) || s.startsWith(`\`call\` and \`return\``) && (type === 'call' || type === 'return'));
      expect(section, type).toBeDefined();
      for (const field of NODE_KINDS[type].fields) expect(section, `${type}.${field.key}`).toContain(`${field.key}`);
    }
  });

  it('shows the editor modeline', () => {
    expect(doc).toContain('# yaml-language-server: $schema=./schema.json');
  });
});
