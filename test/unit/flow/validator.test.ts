/**
 * The validator on invalid fixture files: each problem at its exact file:line:col with a message a flow
 * author can act on, and no cascade of follow-on noise (the exact count is checked).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFlowError } from '../../../src/adapters/flows/flow-errors.js';
import { loadFlowFile } from '../../../src/adapters/flows/flow-loader.js';
import { FlowProblemCodes as C } from '../../../src/domain/flow/problems.js';
import { FIXTURES, HOTLINE_PROMPTS, makePromptsDir, type TempPrompts } from './support.js';

let prompts: TempPrompts;
beforeAll(async () => {
  prompts = await makePromptsDir(HOTLINE_PROMPTS.map((n) => `zh/${n}.wav`));
});
afterAll(async () => {
  await prompts.remove();
});

interface Expected {
  line: number;
  col: number;
  code: string;
  fragment: string;
}

/** fixture name → every error expected, in order. */
const CASES: Record<string, Expected[]> = {
  'unknown-node-type': [{ line: 7, col: 11, code: C.UNKNOWN_NODE_TYPE, fragment: 'node "welcome": unknown node type "plya" (known: play, say, menu, collect, set, if, switch, http, hours, language, queue, transfer, voicemail, callback, hangup, goto, call, return)' }],
  'missing-field': [{ line: 6, col: 3, code: C.MISSING_FIELD, fragment: 'node "welcome": missing required field "next"' }],
  'unknown-field': [{ line: 9, col: 5, code: C.UNKNOWN_FIELD, fragment: 'node "menu": unknown field "timeout"' }],
  'wrong-type': [{ line: 9, col: 17, code: C.WRONG_TYPE, fragment: '"timeoutSec" must be a number, got the string "five"' }],
  'bargein-not-bool': [{ line: 9, col: 14, code: C.WRONG_TYPE, fragment: '"bargeIn" must be true or false, got the string "yes"' }],
  'unknown-target': [
    { line: 9, col: 11, code: C.UNKNOWN_TARGET, fragment: '"next" names no node: "main-menuu" (did you mean "main-menu"?)' },
    { line: 14, col: 20, code: C.UNKNOWN_TARGET, fragment: '"options.1.goto" names no node: "sales"' },
  ],
  'unknown-start': [{ line: 4, col: 8, code: C.UNKNOWN_TARGET, fragment: 'flow: "start" names no node: "welcom" (did you mean "welcome"?)' }],
  unreachable: [{ line: 10, col: 3, code: C.UNREACHABLE_NODE, fragment: 'node "orphan" is unreachable from start "welcome"' }],
  'menu-no-exit': [{ line: 6, col: 3, code: C.MENU_NO_EXIT, fragment: 'node "menu": menu has no way out' }],
  'bad-option-key': [
    { line: 12, col: 7, code: C.BAD_OPTION_KEY, fragment: 'option key "10" has 2 keys but digitLength is 1' },
    { line: 13, col: 7, code: C.BAD_OPTION_KEY, fragment: 'option key "A" is not a DTMF key or digit string' },
  ],
  'max-attempts': [{ line: 9, col: 18, code: C.OUT_OF_RANGE, fragment: '"maxAttempts" must be an integer from 1 to 10, got 0' }],
  'timeout-range': [
    { line: 9, col: 17, code: C.OUT_OF_RANGE, fragment: 'node "menu": "timeoutSec" must be a number from 1 to 60 seconds, got 0' },
    { line: 14, col: 17, code: C.OUT_OF_RANGE, fragment: 'node "menu2": "timeoutSec" must be a number from 1 to 60 seconds, got 120' },
  ],
  'goto-loop': [{ line: 12, col: 13, code: C.GOTO_LOOP, fragment: 'goto loop: a → b → a never waits for the caller' }],
  'syntax-error': [
    { line: 9, col: 5, code: C.YAML_SYNTAX, fragment: 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
    { line: 9, col: 11, code: C.YAML_SYNTAX, fragment: 'YAML: Nested mappings are not allowed' },
    { line: 9, col: 11, code: C.YAML_SYNTAX, fragment: 'YAML: Implicit keys need to be on a single line' },
  ],
  'duplicate-key': [{ line: 11, col: 7, code: C.YAML_SYNTAX, fragment: 'YAML: Map keys must be unique' }],
  'undefined-alias': [{ line: 8, col: 14, code: C.YAML_SYNTAX, fragment: 'alias *greeting refers to no anchor &greeting' }],
  'version-number': [{ line: 2, col: 10, code: C.WRONG_TYPE, fragment: 'flow: "version" must be a string; write it quoted: version: "1"' }],
  'not-a-map': [{ line: 1, col: 1, code: C.NOT_A_FLOW, fragment: 'a flow file must be a map with id, version, language, start, nodes; got a list' }],
  'bad-prompts': [
    { line: 8, col: 15, code: C.BAD_VALUE, fragment: '"prompts[0]" is a prompt name, which gets ".wav" added; write "welcome"' },
    { line: 8, col: 36, code: C.BAD_VALUE, fragment: 'prompts[1]: "file" must be a .wav file, got "music/hold.mp3"' },
    { line: 8, col: 54, code: C.BAD_VALUE, fragment: '"prompts[2]" must be a prompt name' },
    { line: 8, col: 65, code: C.WRONG_TYPE, fragment: '"prompts[3]" must be a prompt name, { file: path.wav } or { say: digits, value: ... }, got number 42' },
  ],
  'queue-fields': [
    { line: 6, col: 3, code: C.MISSING_FIELD, fragment: 'node "q": missing required field "queue"' },
    { line: 8, col: 15, code: C.OUT_OF_RANGE, fragment: '"priority" must be an integer from 0 to 100, got 1000' },
  ],
  'missing-prompt': [
    { line: 10, col: 9, code: C.MISSING_PROMPT, fragment: 'node "welcome": prompt "not-recorded-yet" not found: ' },
    { line: 11, col: 9, code: C.MISSING_PROMPT, fragment: 'node "welcome": prompt file "custom/holiday.wav" not found: ' },
  ],
  'many-problems': [
    { line: 3, col: 11, code: C.BAD_VALUE, fragment: '"language" must be a language tag such as zh, en or zh-CN, got "Chinese"' },
    { line: 5, col: 1, code: C.UNKNOWN_FIELD, fragment: 'flow: unknown field "colour"' },
    { line: 9, col: 14, code: C.BAD_VALUE, fragment: '"prompts" must list at least one prompt' },
    { line: 13, col: 18, code: C.OUT_OF_RANGE, fragment: '"maxAttempts" must be an integer from 1 to 10, got 2.5' },
    { line: 15, col: 20, code: C.UNKNOWN_TARGET, fragment: '"options.#.goto" names no node: "nowhere"' },
    { line: 16, col: 7, code: C.MISSING_FIELD, fragment: 'options.1: missing required field "goto"' },
    { line: 16, col: 14, code: C.UNKNOWN_FIELD, fragment: 'options.1: unknown field "go" (allowed: goto, back, top)' },
    { line: 17, col: 13, code: C.WRONG_TYPE, fragment: '"onFail" must be a string, got number 7' },
    { line: 19, col: 11, code: C.UNKNOWN_NODE_TYPE, fragment: 'unknown node type "teleport"' },
  ],
};

describe('flow validator on invalid fixtures', () => {
  it('covers at least 12 invalid files', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(12);
  });

  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}.yaml`, async () => {
      const file = join(FIXTURES, 'invalid', `${name}.yaml`);
      const result = await loadFlowFile(file, { promptsDir: prompts.dir });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      const lines = result.errors.map(formatFlowError);
      expect(lines, lines.join('\n')).toHaveLength(expected.length);
      expected.forEach((exp, i) => {
        const err = result.errors[i]!;
        expect(lines[i]!.startsWith(`${file}:${exp.line}:${exp.col}: `), lines[i]).toBe(true);
        expect(err.message).toContain(exp.fragment);
        expect(err.code).toBe(exp.code);
        expect(err.file).toBe(file);
      });
    });
  }

  it('hints that "*" must be quoted when an unquoted star key breaks the YAML', async () => {
    const file = join(FIXTURES, 'invalid', 'unquoted-star.yaml');
    const result = await loadFlowFile(file, { promptsDir: prompts.dir });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line: 10, col: 8, code: C.YAML_SYNTAX });
    expect(result.errors[0]!.message).toContain('a "*" key must be quoted');
  });
});
