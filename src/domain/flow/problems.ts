/**
 * Flow problems: typed values with a stable code, a source position and a message a flow author can act on.
 * The loader adds the file name and prints them as `file:line:col: message` (adapters/flows/flow-errors.ts).
 */
import type { SourcePos } from './source.js';

/** Stable codes, so tools and tests can match a kind of problem without parsing messages. */
export const FlowProblemCodes = {
  YAML_SYNTAX: 'flow/yaml-syntax',
  NOT_A_FLOW: 'flow/not-a-flow',
  MISSING_FIELD: 'flow/missing-field',
  UNKNOWN_FIELD: 'flow/unknown-field',
  WRONG_TYPE: 'flow/wrong-type',
  BAD_VALUE: 'flow/bad-value',
  OUT_OF_RANGE: 'flow/out-of-range',
  UNKNOWN_NODE_TYPE: 'flow/unknown-node-type',
  BAD_OPTION_KEY: 'flow/bad-option-key',
  MENU_NO_EXIT: 'flow/menu-no-exit',
  UNKNOWN_TARGET: 'flow/unknown-target',
  UNREACHABLE_NODE: 'flow/unreachable-node',
  GOTO_LOOP: 'flow/goto-loop',
  MISSING_PROMPT: 'flow/missing-prompt',
  DUPLICATE_FLOW_ID: 'flow/duplicate-flow-id',
  UNREADABLE_FILE: 'flow/unreadable-file',
  BAD_EXPRESSION: 'flow/bad-expression',
  UNKNOWN_VARIABLE: 'flow/unknown-variable',
  BAD_REGEX: 'flow/bad-regex',
  BAD_HOURS: 'flow/bad-hours',
  BAD_CALENDAR: 'flow/bad-calendar',
  BAD_URL: 'flow/bad-url',
  UNKNOWN_EXTERNAL: 'flow/unknown-external',
  RETURN_OUTSIDE_SUB: 'flow/return-outside-sub',
  READ_ONLY_VARIABLE: 'flow/read-only-variable',
} as const;

export type FlowProblemCode = (typeof FlowProblemCodes)[keyof typeof FlowProblemCodes];

export interface FlowProblem {
  readonly code: FlowProblemCode;
  readonly pos: SourcePos;
  readonly message: string;
}

/** Collects problems in the order found; the final list is sorted by position for reading. */
export class ProblemList {
  private readonly items: FlowProblem[] = [];

  add(code: FlowProblemCode, pos: SourcePos, message: string): void {
    this.items.push({ code, pos, message });
  }

  get count(): number {
    return this.items.length;
  }

  /** Problems by line, then column; ties keep the order they were found in. */
  sorted(): FlowProblem[] {
    return this.items
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p.pos.line - b.p.pos.line || a.p.pos.col - b.p.pos.col || a.i - b.i)
      .map(({ p }) => p);
  }
}
