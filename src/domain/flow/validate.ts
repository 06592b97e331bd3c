/**
 * The flow validator: source tree in, typed flow or every problem out. Pure — the loader reads the file,
 * parses YAML with positions and checks prompt files; this decides what the document means.
 */
import { decodeFlow } from './decode.js';
import type { DecodeContext, PromptUse } from './fields.js';
import { checkGraph } from './graph.js';
import type { Flow } from './model.js';
import { ProblemList, type FlowProblem } from './problems.js';
import type { SourceNode } from './source.js';

interface ValidationCommon {
  /** Every prompt as written, with its position: the loader checks the files exist. */
  readonly promptUses: readonly PromptUse[];
  /** The flow's language if it was valid, else '' (prompt names cannot be resolved then). */
  readonly language: string;
}

export type FlowValidation =
  | (ValidationCommon & { readonly ok: true; readonly flow: Flow })
  | (ValidationCommon & { readonly ok: false; readonly problems: readonly FlowProblem[] });

export function validateFlowSource(root: SourceNode): FlowValidation {
  const ctx: DecodeContext = { problems: new ProblemList(), promptUses: [], edges: [], lostEdges: 0 };
  const decoded = decodeFlow(root, ctx);
  if (root.kind === 'map') checkGraph(decoded, ctx.edges, ctx.lostEdges, ctx.problems);
  const common = { promptUses: ctx.promptUses, language: decoded.flow.language };
  if (ctx.problems.count > 0) return { ...common, ok: false, problems: ctx.problems.sorted() };
  return { ...common, ok: true, flow: deepFreeze(decoded.flow) };
}

/** Flows are shared by every call that runs them; freezing turns an accidental write into an error. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
