/**
 * Queue settings from YAML to the ACD's QueueConfig: defaults filled in, and the rules a schema cannot say
 * checked (an exit names exactly one target, queue exits form no cycle, a callback has a trunk, widening to
 * the group needs a group …). Used by the config loader and by `hotline simulate --config`.
 */
import type { AgentConfig, DialTrunk, QueueConfig, QueueExit } from '../domain/acd/model.js';
import type { QueueExitFile, QueueFile } from './schema.js';

export interface PathProblem {
  /** Where in the file, e.g. ['queues', 'sales', 'onMaxWait']. */
  path: string[];
  message: string;
}

export interface QueueContext {
  agents: ReadonlyMap<string, AgentConfig>;
  /** The deployment's default trunk for callbacks. */
  trunk?: DialTrunk;
  /** Default disposition codes. */
  dispositionCodes: readonly string[];
  /** Prefix of problem paths ('queues' in hotline.yaml). */
  at?: string[];
}

const DEFAULT_EXITS = {
  onMaxWait: { kind: 'hangup', cause: 'max-wait', prompts: ['acd/{lang}/no-agents.wav'] },
  onFull: { kind: 'hangup', cause: 'queue-full', prompts: ['acd/{lang}/queue-full.wav'] },
  onEmpty: { kind: 'hangup', cause: 'no-agents', prompts: ['acd/{lang}/no-agents.wav'] },
} as const satisfies Record<string, QueueExit>;

export function toQueues(file: Readonly<Record<string, QueueFile>>, ctx: QueueContext): { queues: Map<string, QueueConfig>; problems: PathProblem[] } {
  const problems: PathProblem[] = [];
  const at = ctx.at ?? ['queues'];
  const queues = new Map<string, QueueConfig>();
  for (const [id, q] of Object.entries(file)) {
    const where = (...rest: string[]): string[] => [...at, id, ...rest];
    const exit = (name: string, e: QueueExitFile | undefined, fallback: QueueExit): QueueExit => {
      if (!e) return fallback;
      const parsed = toExit(e);
      if (typeof parsed === 'string') {
        problems.push({ path: where(name), message: parsed });
        return fallback;
      }
      if (parsed.kind === 'queue' && !(parsed.queueId in file)) problems.push({ path: where(name, 'queue'), message: `no queue "${parsed.queueId}"` });
      if (parsed.kind === 'callback' && !q.callback) problems.push({ path: where(name), message: 'a callback exit needs the queue\'s callback settings' });
      return parsed;
    };
    const trunk = q.callback?.trunk ?? ctx.trunk;
    if (q.callback && !trunk) problems.push({ path: where('callback'), message: 'callbacks need a trunk: set callback.trunk or the top-level trunk' });
    if (q.widening.some((w) => w.anyAgentInGroup) && !q.group) problems.push({ path: where('widening'), message: 'a widening step with anyAgentInGroup needs the queue\'s group' });
    for (const m of q.members ?? []) if (!ctx.agents.has(m)) problems.push({ path: where('members'), message: `no agent "${m}" in agents.yaml` });
    if (q.exitKey && q.callback && q.exitKey.digit === q.callback.key) problems.push({ path: where('exitKey', 'digit'), message: `the exit key and the callback key are both "${q.exitKey.digit}"` });
    const cfg: QueueConfig = {
      id,
      name: q.name,
      requiredSkills: q.requiredSkills,
      skills: q.skills ?? {},
      ...(q.group !== undefined ? { group: q.group } : {}),
      ...(q.members !== undefined ? { members: q.members } : {}),
      strategy: q.strategy,
      ringProgressively: q.ringProgressively,
      ringTimeoutSec: q.ringTimeoutSec,
      wrapupSec: q.wrapupSec,
      musicOnHold: q.musicOnHold,
      language: q.language,
      ...(q.maxWaitSec !== undefined ? { maxWaitSec: q.maxWaitSec } : {}),
      onMaxWait: exit('onMaxWait', q.onMaxWait, DEFAULT_EXITS.onMaxWait),
      ...(q.maxLength !== undefined ? { maxLength: q.maxLength } : {}),
      onFull: exit('onFull', q.onFull, DEFAULT_EXITS.onFull),
      joinWhenEmpty: q.joinWhenEmpty,
      leaveWhenEmpty: q.leaveWhenEmpty,
      onEmpty: exit('onEmpty', q.onEmpty, DEFAULT_EXITS.onEmpty),
      widening: [...q.widening].sort((a, b) => a.afterSec - b.afterSec),
      announce: q.announce,
      ...(q.exitKey ? { exitKey: { digit: q.exitKey.digit, exit: exit('exitKey', q.exitKey.to, DEFAULT_EXITS.onMaxWait) } } : {}),
      ...(q.callback && trunk
        ? {
            callback: {
              key: q.callback.key,
              offerAfterSec: q.callback.offerAfterSec,
              offerEverySec: q.callback.offerEverySec,
              maxAttempts: q.callback.maxAttempts,
              retryAfterSec: q.callback.retryAfterSec,
              dialTimeoutSec: q.callback.dialTimeoutSec,
              expireAfterSec: q.callback.expireAfterSec,
              trunk,
              ...(q.callback.fromNumber !== undefined ? { fromNumber: q.callback.fromNumber } : {}),
            },
          }
        : {}),
      ...(q.sticky ? { sticky: q.sticky } : {}),
      callerClasses: q.callerClasses,
      declineBackoffSec: q.declineBackoffSec,
      dispositionCodes: q.dispositionCodes ?? ctx.dispositionCodes,
      expectedHandleSec: q.expectedHandleSec,
      ...(q.survey ? { survey: q.survey } : {}),
    };
    queues.set(id, cfg);
  }
  for (const cycle of exitCycles(queues)) problems.push({ path: [...at, cycle[0] as string], message: `queue exits loop: ${cycle.join(' → ')}` });
  return { queues, problems };
}

function toExit(e: QueueExitFile): QueueExit | string {
  const targets = (['queue', 'flow', 'callback', 'hangup'] as const).filter((k) => e[k] !== undefined);
  if (targets.length !== 1) return `an exit names exactly one of queue, flow, callback, hangup (got ${targets.length === 0 ? 'none' : targets.join(', ')})`;
  const prompts = e.prompts;
  if (e.queue !== undefined) return { kind: 'queue', queueId: e.queue, prompts };
  if (e.flow !== undefined) return { kind: 'flow', node: e.flow, prompts };
  if (e.callback) return { kind: 'callback', prompts };
  return { kind: 'hangup', cause: e.hangup ?? 'queue-exit', prompts };
}

/** Cycles in the graph of queue → queue exits (a caller would bounce for ever). */
function exitCycles(queues: ReadonlyMap<string, QueueConfig>): string[][] {
  const edges = new Map<string, string[]>();
  for (const q of queues.values()) {
    const targets = [q.onMaxWait, q.onFull, q.onEmpty, q.exitKey?.exit].flatMap((e) => (e?.kind === 'queue' ? [e.queueId] : []));
    edges.set(q.id, [...new Set(targets)]);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of edges.get(id) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of edges.keys()) if (!state.has(id)) visit(id);
  return cycles;
}
