/**
 * What decoding gathers besides the model: prompt uses (the loader checks the files), edges between nodes
 * (the graph checks), expressions (the name check once every variable is known), variables written, and
 * the languages and calendars the flow names.
 */
import type { Expr } from './expr/parser.js';
import type { PromptRef, VariableDecl } from './model.js';
import type { ProblemList } from './problems.js';
import type { SourceNode, SourcePos } from './source.js';

/** A prompt as written, with where it was written (the loader checks the file exists). */
export interface PromptUse {
  readonly nodeId: string;
  readonly prompt: PromptRef;
  readonly pos: SourcePos;
}

/** A reference from one node to another, with where it was written. */
export interface NodeEdge {
  readonly from: string;
  readonly target: string;
  /** The field that holds it, for messages: `next`, `options.1.goto`, `onFail`. */
  readonly field: string;
  readonly pos: SourcePos;
  /**
   * Taken without waiting for the caller or the media (a `goto`). A cycle made only of such edges would spin
   * forever inside one step, so the validator rejects it.
   */
  readonly immediate: boolean;
  /** The edge of a `call` node into its sub-flow (a `return` is legal only below one). */
  readonly sub?: boolean;
}

/** An expression as written, for the name check once every variable of the flow is known. */
export interface ExprUse {
  readonly nodeId: string;
  readonly expr: Expr;
  /** The scalar holding it, and where the expression starts in the scalar's text. */
  readonly node: SourceNode;
  readonly base: number;
}

/** A variable a node writes (collect `into`, set, http `map`, menu pattern `into`). */
export interface Assigned {
  readonly name: string;
  readonly pos: SourcePos;
  readonly sensitive: boolean;
}

/** What decoding gathers besides the model. */
export interface DecodeContext {
  readonly problems: ProblemList;
  readonly promptUses: PromptUse[];
  readonly edges: NodeEdge[];
  readonly exprUses: ExprUse[];
  readonly assigned: Assigned[];
  /** Languages that language nodes select, with where. */
  readonly languages: Array<{ language: string; pos: SourcePos }>;
  /** Holiday calendar files hours nodes name, with where. */
  readonly calendarUses: Array<{ nodeId: string; file: string; pos: SourcePos }>;
  /** Variables declared at flow level (read before the nodes). */
  declared: Record<string, VariableDecl>;
  /** The external-number allow-list (read before the nodes). */
  externalNumbers: Record<string, string>;
  /**
   * Targets that were written but could not be read (invalid, or required and missing). The graph is then
   * incomplete, so "unreachable node" would be a guess and is not reported.
   */
  lostEdges: number;
}

export function newDecodeContext(problems: ProblemList): DecodeContext {
  return {
    problems,
    promptUses: [],
    edges: [],
    exprUses: [],
    assigned: [],
    languages: [],
    calendarUses: [],
    declared: {},
    externalNumbers: {},
    lostEdges: 0,
  };
}
