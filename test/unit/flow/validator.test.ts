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
  /** The file the problem is in, below invalid/, when it is not the flow file (a holiday calendar). */
  file?: string;
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
  'bad-expression': [{ line: 8, col: 35, code: C.BAD_EXPRESSION, fragment: 'node "check": "condition": unexpected "&&"' }],
  'unknown-variable': [{ line: 11, col: 18, code: C.UNKNOWN_VARIABLE, fragment: 'unknown variable "order_stauts" (did you mean "order_status"?)' }],
  'bad-regex-collect': [{ line: 9, col: 14, code: C.BAD_REGEX, fragment: 'node "ask": invalid regular expression "^[0-9{6}$"' }],
  'bad-regex-menu': [{ line: 10, col: 18, code: C.BAD_REGEX, fragment: 'node "menu": patterns[0]: invalid regular expression' }],
  'bad-url': [
    { line: 8, col: 10, code: C.BAD_URL, fragment: '"url" must start with http:// or https:// and a fixed host' },
    { line: 8, col: 20, code: C.UNKNOWN_VARIABLE, fragment: 'unknown variable "host"' },
  ],
  'http-missing-onerror': [
    { line: 6, col: 3, code: C.MISSING_FIELD, fragment: 'node "lookup": missing required field "onError"' },
    { line: 9, col: 17, code: C.OUT_OF_RANGE, fragment: '"timeoutSec" must be a number from 0.1 to 30 seconds, got 60' },
  ],
  'bad-hours': [
    { line: 9, col: 17, code: C.BAD_HOURS, fragment: '"weekly.weekdays": "18:00-09:00" is not a time range like 09:00-18:00' },
    { line: 10, col: 7, code: C.UNKNOWN_FIELD, fragment: 'weekly: unknown day "mond"' },
    { line: 11, col: 12, code: C.BAD_HOURS, fragment: '"weekly.sat": ranges overlap' },
  ],
  'bad-timezone': [
    { line: 4, col: 11, code: C.BAD_VALUE, fragment: 'flow: unknown time zone "Asia/Shanghia"' },
    { line: 9, col: 15, code: C.BAD_HOURS, fragment: 'node "hours": unknown time zone "Mars/Olympus"' },
  ],
  'calendar-missing': [{ line: 8, col: 15, code: C.BAD_CALENDAR, fragment: 'node "hours": cannot read holiday calendar ' }],
  'calendar-bad': [
    { file: 'calendars/bad-2026.yaml', line: 3, col: 13, code: C.BAD_CALENDAR, fragment: 'calendar: closed[0]: "date" must be a date YYYY-MM-DD, got "2026-02-30"' },
    { file: 'calendars/bad-2026.yaml', line: 4, col: 29, code: C.BAD_CALENDAR, fragment: '"to" (2026-10-01) is before "from" (2026-10-07)' },
    { file: 'calendars/bad-2026.yaml', line: 7, col: 13, code: C.BAD_CALENDAR, fragment: '2026-05-01 is both closed (劳动节) and a working day' },
    { file: 'calendars/bad-2026.yaml', line: 8, col: 29, code: C.BAD_VALUE, fragment: '"as" must be one of mon, tue, wed, thu, fri, sat, sun, got "monday"' },
  ],
  'unknown-external': [{ line: 10, col: 15, code: C.UNKNOWN_EXTERNAL, fragment: '"lawyer" is not in the flow\'s externalNumbers allow-list (known: legal)' }],
  'transfer-two-targets': [{ line: 9, col: 5, code: C.BAD_VALUE, fragment: 'give exactly one of "queue", "agent" or "external", not queue and agent' }],
  'return-outside-sub': [{ line: 19, col: 3, code: C.RETURN_OUTSIDE_SUB, fragment: 'node "done": a return is reachable from start "menu" without a call node' }],
  'read-only-variable': [
    { line: 6, col: 3, code: C.READ_ONLY_VARIABLE, fragment: 'flow: "language" is a built-in name' },
    { line: 11, col: 7, code: C.READ_ONLY_VARIABLE, fragment: '"caller" is a built-in name and cannot be set' },
  ],
  'collect-fields': [
    { line: 8, col: 11, code: C.BAD_VALUE, fragment: '"into" must be a variable name' },
    { line: 9, col: 16, code: C.OUT_OF_RANGE, fragment: '"minLength" (19) is more than "maxLength" (16)' },
    { line: 11, col: 17, code: C.BAD_VALUE, fragment: '"terminator" must be one DTMF key (0-9, "*" or "#", quoted) or null, got the string "A"' },
    { line: 15, col: 19, code: C.BAD_VALUE, fragment: 'confirm: "confirmKey" and "reenterKey" must differ' },
    { line: 16, col: 12, code: C.BAD_VALUE, fragment: '"check" must be one of luhn, cn-mobile, got "visa"' },
  ],
  'bad-template': [
    { line: 8, col: 47, code: C.BAD_EXPRESSION, fragment: 'prompts[1]: "value": "${" is not closed' },
    { line: 8, col: 67, code: C.BAD_VALUE, fragment: 'prompts[2]: "say" must be one of digits, number, amount, date, time, duration, got "weekday"' },
  ],
  'say-unsupported-language': [
    { line: 13, col: 12, code: C.BAD_VALUE, fragment: 'spoken values exist in zh and en only; the flow also plays in yue' },
    { line: 13, col: 12, code: C.MISSING_PROMPT, fragment: 'spoken values need the "zh" fragments' },
  ],
  'menu-actions': [
    { line: 9, col: 12, code: C.BAD_VALUE, fragment: 'options.1: give one of goto, back or top, not goto and back' },
    { line: 10, col: 19, code: C.BAD_VALUE, fragment: 'options.2: "top" can only be true' },
    { line: 11, col: 5, code: C.MISSING_FIELD, fragment: 'patterns need "digitLength"' },
  ],
  'voicemail-fields': [
    { line: 8, col: 14, code: C.BAD_VALUE, fragment: '"mailbox" must be a word like after-hours' },
    { line: 9, col: 13, code: C.OUT_OF_RANGE, fragment: '"maxSec" must be an integer from 5 to 600 seconds, got 3600' },
  ],
  'bad-external-number': [
    { line: 6, col: 10, code: C.BAD_VALUE, fragment: 'externalNumbers.legal must be a quoted number of 3-20 digits (a leading + allowed), got number 1088886666' },
    { line: 7, col: 12, code: C.BAD_VALUE, fragment: 'externalNumbers.manager must be a quoted number' },
  ],
  'set-fields': [
    { line: 9, col: 7, code: C.BAD_VALUE, fragment: '"order-id" is not a variable name' },
    { line: 10, col: 25, code: C.BAD_EXPRESSION, fragment: '"values.count": the expression ends too early' },
    { line: 15, col: 15, code: C.OUT_OF_RANGE, fragment: '"priority" must be an integer from 0 to 100, got 101' },
    { line: 16, col: 18, code: C.BAD_VALUE, fragment: '"callerClass" must be one of vip, new, returning or a template, got "gold"' },
  ],
  'unknown-function': [
    { line: 8, col: 17, code: C.BAD_EXPRESSION, fragment: 'unknown function lenght()' },
    { line: 8, col: 58, code: C.BAD_REGEX, fragment: 'invalid regular expression "["' },
    { line: 8, col: 67, code: C.BAD_EXPRESSION, fragment: 'unknown name "now.hours" (did you mean "now.hour"?)' },
  ],
  'http-fields': [
    { line: 8, col: 13, code: C.BAD_VALUE, fragment: '"method" must be one of GET, POST, PUT, PATCH, DELETE, got "FETCH"' },
    { line: 9, col: 10, code: C.BAD_URL, fragment: '"url" must start with http:// or https://' },
    { line: 10, col: 16, code: C.BAD_VALUE, fragment: '"Bad Header" is not a valid header name' },
    { line: 12, col: 15, code: C.BAD_VALUE, fragment: '"map.status" must be a path like customer.level or items.0.name, got "a..b"' },
    { line: 13, col: 7, code: C.BAD_VALUE, fragment: '"order-id" is not a variable name' },
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
  it('covers at least 30 invalid files', () => {
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(30);
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
        const where = exp.file ? join(FIXTURES, 'invalid', exp.file) : file;
        expect(lines[i]!.startsWith(`${where}:${exp.line}:${exp.col}: `), lines[i]).toBe(true);
        expect(err.message).toContain(exp.fragment);
        expect(err.code).toBe(exp.code);
        expect(err.file).toBe(where);
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
