/** Flow problems as the edges show them: with the file, printed `file:line:col: message` like compilers do. */
import type { FlowProblem, FlowProblemCode } from '../../domain/flow/problems.js';

export interface FlowError {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  message: string;
  /** Stable code (FlowProblemCodes), for tools that match on the kind of problem. */
  code: FlowProblemCode;
}

export function formatFlowError(e: FlowError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

export function flowErrorsOf(file: string, problems: readonly FlowProblem[]): FlowError[] {
  return problems.map((p) => ({ file, line: p.pos.line, col: p.pos.col, message: p.message, code: p.code }));
}

/** Orders errors by file, then position, so output is stable whatever order files were read in. */
export function sortFlowErrors(errors: readonly FlowError[]): FlowError[] {
  return [...errors].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}
