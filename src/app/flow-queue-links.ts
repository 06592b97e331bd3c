/**
 * Cross-checks IVR flows against the configured queues, where neither file alone can tell: a flow's queue,
 * transfer and callback nodes must name queues that exist, and a queue exit to a flow node (max wait, full,
 * empty, exit key — also through overflow to other queues) must lead to a node that every flow sending calls
 * into that queue has. Start-up refuses such mistakes; a hot reload that introduces one logs it.
 */
import type { QueueConfig, QueueExit } from '../domain/acd/model.js';
import type { Flow } from '../domain/flow/model.js';

const exitsOf = (q: QueueConfig): Array<[string, QueueExit]> => {
  const named: Array<[string, QueueExit | undefined]> = [
    ['onMaxWait', q.onMaxWait],
    ['onFull', q.onFull],
    ['onEmpty', q.onEmpty],
    ['exitKey', q.exitKey?.exit],
  ];
  return named.filter((e): e is [string, QueueExit] => e[1] !== undefined);
};

/** Problems as readable lines: "flow hotline-400 node sales: …". Empty when every link holds. */
export function flowQueueProblems(flows: readonly Flow[], queues: ReadonlyMap<string, QueueConfig>): string[] {
  const problems: string[] = [];
  for (const flow of flows) {
    for (const node of Object.values(flow.nodes)) {
      const queueId = node.type === 'queue' ? node.queue : node.type === 'transfer' && node.target.kind === 'queue' ? node.target.queue : node.type === 'callback' ? node.queue : null;
      if (queueId === null) continue;
      if (!queues.has(queueId)) {
        problems.push(`flow ${flow.id} node ${node.id}: queue "${queueId}" is not in config/hotline.yaml (queues: ${[...queues.keys()].join(', ')})`);
        continue;
      }
      if (node.type === 'callback') continue; // a callback request does not put the call in the queue
      // Every queue the call can reach from here by overflow, and their exits to flow nodes.
      const seen = new Set<string>();
      const todo = [queueId];
      while (todo.length > 0) {
        const q = queues.get(todo.pop() as string);
        if (!q || seen.has(q.id)) continue;
        seen.add(q.id);
        for (const [name, exit] of exitsOf(q)) {
          if (exit.kind === 'queue') todo.push(exit.queueId);
          else if (exit.kind === 'flow' && !flow.nodes[exit.node]) {
            problems.push(`flow ${flow.id} node ${node.id}: queue ${q.id}'s ${name} exit leads to flow node "${exit.node}", which flow ${flow.id} does not have`);
          }
        }
      }
    }
  }
  return [...new Set(problems)];
}
