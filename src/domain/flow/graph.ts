/**
 * Whole-flow checks that need every node decoded first: targets that name no node, nodes the start cannot
 * reach, and loops of `goto`-like edges that never wait for the caller (they would spin inside one step).
 */
import type { DecodedFlow } from './decode.js';
import type { NodeEdge } from './fields.js';
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
  if (graphComplete) reportUnreachable(decoded, edges, problems);
  reportImmediateLoops(edges, problems);
}

function reportUnreachable(decoded: DecodedFlow, edges: readonly NodeEdge[], problems: ProblemList): void {
  const out = adjacency(edges, () => true);
  const seen = new Set<string>([decoded.flow.start]);
  const todo = [decoded.flow.start];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    for (const e of out.get(id) ?? []) {
      if (!seen.has(e.target)) {
        seen.add(e.target);
        todo.push(e.target);
      }
    }
  }
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
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(id.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestDist) {
      best = k;
      bestDist = d;
    }
  }
  return best === undefined ? JSON.stringify(id) : `${JSON.stringify(id)} (did you mean ${JSON.stringify(best)}?)`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
