/**
 * The flow validator: source tree in, typed flow or every problem out. Pure — the loader reads the file,
 * parses YAML with positions, checks prompt files and reads holiday calendars; this decides what the
 * document means: fields, node targets, reachability, goto loops, expressions and their names.
 */
import { decodeFlow } from './decode.js';
import { checkExpr, type NameScope } from './expr/check.js';
import { newDecodeContext, type DecodeContext, type PromptUse } from './fields.js';
import { checkGraph } from './graph.js';
import type { Flow, HolidayCalendar } from './model.js';
import { FlowProblemCodes as C, ProblemList, type FlowProblem } from './problems.js';
import { SAY_LANGUAGES, sayLanguageOf } from './say/index.js';
import { posInScalar, type SourceNode, type SourcePos } from './source.js';

export interface CalendarUse {
  readonly nodeId: string;
  /** As written in the hours node, relative to the flow file. */
  readonly file: string;
  readonly pos: SourcePos;
}

interface ValidationCommon {
  /** Every prompt as written, with its position: the loader checks the files exist. */
  readonly promptUses: readonly PromptUse[];
  /** The flow's languages if valid (default first), else [] (prompt names cannot be resolved then). */
  readonly languages: readonly string[];
  /** Holiday calendar files the flow names: the loader reads them and attaches them with `withCalendars`. */
  readonly calendarUses: readonly CalendarUse[];
}

export type FlowValidation =
  | (ValidationCommon & { readonly ok: true; readonly flow: Flow })
  | (ValidationCommon & { readonly ok: false; readonly problems: readonly FlowProblem[] });

export function validateFlowSource(root: SourceNode): FlowValidation {
  const ctx = newDecodeContext(new ProblemList());
  const decoded = decodeFlow(root, ctx);
  if (root.kind === 'map') {
    checkGraph(decoded, ctx.edges, ctx.lostEdges, ctx.problems);
    checkExpressions(decoded.flow, ctx);
    checkSayLanguages(decoded.flow, ctx);
  }
  const languages = decoded.flow.language === '' ? [] : decoded.flow.languages;
  const common = { promptUses: ctx.promptUses, languages, calendarUses: ctx.calendarUses };
  if (ctx.problems.count > 0) return { ...common, ok: false, problems: ctx.problems.sorted() };
  return { ...common, ok: true, flow: deepFreeze(decoded.flow) };
}

/** The flow with its holiday calendars (by file name as written), frozen again. */
export function withCalendars(flow: Flow, calendars: Readonly<Record<string, HolidayCalendar>>): Flow {
  return deepFreeze({ ...flow, calendars: { ...calendars } });
}

/** Names in expressions must be built-ins or variables the flow declares or sets somewhere. */
function checkExpressions(flow: Flow, ctx: DecodeContext): void {
  const names = Object.keys(flow.variables);
  const scope: NameScope = { hasVariable: (n) => Object.hasOwn(flow.variables, n), allNames: () => names };
  for (const use of ctx.exprUses) {
    for (const p of checkExpr(use.expr, scope)) {
      const code = p.message.startsWith('unknown variable') ? C.UNKNOWN_VARIABLE : p.message.startsWith('invalid regular') ? C.BAD_REGEX : C.BAD_EXPRESSION;
      ctx.problems.add(code, posInScalar(use.node, use.base + p.offset), `node "${use.nodeId}": ${p.message}`);
    }
  }
}

/** Spoken values are built from fragments recorded for a few languages only. */
function checkSayLanguages(flow: Flow, ctx: DecodeContext): void {
  const unsupported = flow.languages.filter((l) => sayLanguageOf(l) === undefined);
  if (unsupported.length === 0) return;
  for (const use of ctx.promptUses) {
    if (use.prompt.kind !== 'say') continue;
    ctx.problems.add(
      C.BAD_VALUE,
      use.pos,
      `node "${use.nodeId}": spoken values exist in ${SAY_LANGUAGES.join(' and ')} only; the flow also plays in ${unsupported.join(', ')}`,
    );
  }
}

/** Flows are shared by every call that runs them; freezing turns an accidental write into an error. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
