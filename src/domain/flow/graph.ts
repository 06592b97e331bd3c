/**
 * Whole-flow checks that need every node decoded first: targets that name no node, nodes the start cannot
 * reach, and loops of `goto`-like edges that never wait for the caller (they would spin inside one step).
 */
import type { DecodedFlow } from './decode.js';
import type { NodeEdge } from './fields.js';
import { hint } from './expr/check.js';
import { FlowProblemCodes as C, type ProblemList } from './problems.js';

export function checkGraph(
  decoded: DecodedFlow,
  edges: readonly NodeEdge[],
  lostEdges: number,
  problems: ProblemList,
): void {
  const { flow, undecodedIds } = decoded;
  const exists = (id: string): boolean => Object.hasOwn(flow.nodes, id) || undecodedIds.has(id);
  const ids = [...Object.keys(flow.nodes), ...undecodedIds];

  const startKnown = flow.start !== '' && exists(flow.start);
  if (flow.start !== '' && !startKnown) {
    problems.add(C.UNKNOWN_TARGET, decoded.startPos, `flow: "start" names no node: ${quoteWithHint(flow.start, ids)}`);
  }
  let unknownTargets = 0;
  for (const e of edges) {
    if (!exists(e.target)) {
      unknownTargets++;
      problems.add(C.UNKNOWN_TARGET, e.pos, `node "${e.from}": "${e.field}" names no node: ${quoteWithHint(e.target, ids)}`);
    }
  }

  // With an edge unknown (a node that could not be decoded, a target misspelt or missing), what the flow
  // reaches cannot be known: report nothing as unreachable rather than guess and bury the real mistake.
  const graphComplete = startKnown && undecodedIds.size === 0 && unknownTargets === 0 && lostEdges === 0;
  if (graphComplete) {
    reportUnreachable(decoded, edges, problems);
    reportReturnOutsideSub(decoded, edges, problems);
  }
  reportImmediateLoops(edges, problems);
}

/**
 * A `return` reachable from `start` without going through a `call` would have nowhere to return to. Nodes
 * reached only through call edges (`sub`) form the sub-flows, where a return belongs.
 */
function reportReturnOutsideSub(decoded: DecodedFlow, edges: readonly NodeEdge[], problems: ProblemList): void {
  const main = reachable(decoded.flow.start, adjacency(edges, (e) => !e.sub));
  for (const id of main) {
    const node = decoded.flow.nodes[id];
    if (node?.type === 'return') {
      const pos = decoded.nodePos[id] ?? decoded.startPos;
      problems.add(C.RETURN_OUTSIDE_SUB, pos, `node "${id}": a return is reachable from start "${decoded.flow.start}" without a call node; only sub-flows (entered through a call) can return`);
    }
  }
}

function reachable(start: string, out: Map<string, NodeEdge[]>): Set<string> {
  const seen = new Set<string>([start]);
  const todo = [start];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    for (const e of out.get(id) ?? []) {
      if (!seen.has(e.target)) {
        seen.add(e.target);
        todo.push(e.target);
      }
    }
  }
  return seen;
}

function reportUnreachable(decoded: DecodedFlow, edges: readonly NodeEdge[], problems: ProblemList): void {
  const seen = reachable(decoded.flow.start, adjacency(edges, () => true));
  for (const id of Object.keys(decoded.flow.nodes)) {
    if (!seen.has(id)) {
      const pos = decoded.nodePos[id] ?? decoded.startPos;
      problems.add(C.UNREACHABLE_NODE, pos, `node "${id}" is unreachable from start "${decoded.flow.start}"; remove it or point a next/goto at it`);
    }
  }
}

/** Depth-first search over immediate edges; each back edge closes a cycle, reported once per set of nodes. */
function reportImmediateLoops(edges: readonly NodeEdge[], problems: ProblemList): void {
  const out = adjacency(edges, (e) => e.immediate);
  const state = new Map<string, 'open' | 'done'>();
  const reported = new Set<string>();
  const stack: NodeEdge[] = [];

  const visit = (id: string): void => {
    state.set(id, 'open');
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.target);
      if (s === 'open') {
        const from = stack.findIndex((x) => x.from === e.target);
        const cycle = [...(from >= 0 ? stack.slice(from) : []), e];
        const key = cycle.map((x) => x.from).sort().join('\u0000');
        if (!reported.has(key)) {
          reported.add(key);
          const path = [...cycle.map((x) => x.from), e.target].join(' → ');
          problems.add(C.GOTO_LOOP, cycle[0]!.pos, `goto loop: ${path} never waits for the caller; put a play or menu in it`);
        }
      } else if (s === undefined) {
        stack.push(e);
        visit(e.target);
        stack.pop();
      }
    }
    state.set(id, 'done');
  };
  for (const id of out.keys()) if (!state.has(id)) visit(id);
}

function adjacency(edges: readonly NodeEdge[], keep: (e: NodeEdge) => boolean): Map<string, NodeEdge[]> {
  const out = new Map<string, NodeEdge[]>();
  for (const e of edges) {
    if (!keep(e)) continue;
    const list = out.get(e.from);
    if (list) list.push(e);
    else out.set(e.from, [e]);
  }
  return out;
}

/** `"main-menuu" (did you mean "main-menu"?)` when a close id exists. */
function quoteWithHint(id: string, known: readonly string[]): string {
  return `${JSON.stringify(id)}${hint(id, known)}`;
}
