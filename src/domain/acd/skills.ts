/**
 * Skills-based eligibility with time-based widening. A caller's requirement is the queue's skills (minimum
 * levels), plus its caller class's skills, plus any skills the flow attached. Widening steps relax it as the
 * caller waits: `minLevel` caps every required level (after 30 s accept level ≥ 5; after 60 s level 1, i.e.
 * any agent with the skill), `anyAgentInGroup` drops skills for any agent of the queue's group.
 */
import type { AgentConfig, CallerClassRule, ResolvedQueue, RoutingAttributes, SkillLevels, WideningStep } from './model.js';
import { queueSkills } from './model.js';

/** What an agent must have to take a caller at one moment. */
export interface EffectiveRequirement {
  /** skill → minimum level, after the widening cap. Empty: no skill needed. */
  skills: Record<string, number>;
  /** Skills are ignored: any agent of the queue's group. */
  anyAgentInGroup: boolean;
}

export interface CallerRequirement {
  skills: Record<string, number>;
  priority: number;
}

/** The requirement and priority of a caller joining `queue` with the flow's attributes. */
export function callerRequirement(queue: ResolvedQueue, flowPriority: number, attrs: RoutingAttributes | undefined): CallerRequirement {
  const skills = queueSkills(queue);
  let priority = flowPriority;
  const rule: CallerClassRule | undefined = attrs?.callerClass ? queue.callerClasses[attrs.callerClass] : undefined;
  if (rule) {
    if (rule.priority !== undefined) priority = Math.max(priority, rule.priority);
    mergeSkills(skills, rule.skills ?? {});
  }
  for (const s of attrs?.skills ?? []) if (s) skills[s] = Math.max(skills[s] ?? 1, 1);
  return { skills, priority };
}

function mergeSkills(into: Record<string, number>, add: SkillLevels): void {
  for (const [s, level] of Object.entries(add)) into[s] = Math.max(into[s] ?? 1, level);
}

/** Index of the widening step in force after `waitMs` in the queue (-1: none yet). Steps are sorted by afterSec. */
export function wideningIndex(steps: readonly WideningStep[], waitMs: number): number {
  let idx = -1;
  for (let i = 0; i < steps.length; i += 1) if ((steps[i] as WideningStep).afterSec * 1000 <= waitMs) idx = i;
  return idx;
}

/** When (ms after entering the queue) the next widening step after `index` starts, if any. */
export function nextWideningMs(steps: readonly WideningStep[], index: number): number | undefined {
  const next = steps[index + 1];
  return next ? next.afterSec * 1000 : undefined;
}

export function effectiveRequirement(skills: Readonly<Record<string, number>>, steps: readonly WideningStep[], index: number): EffectiveRequirement {
  let cap = Infinity;
  let anyAgentInGroup = false;
  for (let i = 0; i <= index; i += 1) {
    const step = steps[i] as WideningStep;
    if (step.minLevel !== undefined) cap = Math.min(cap, step.minLevel);
    if (step.anyAgentInGroup) anyAgentInGroup = true;
  }
  const out: Record<string, number> = {};
  for (const [s, level] of Object.entries(skills)) out[s] = Math.min(level, cap);
  return { skills: out, anyAgentInGroup };
}

export function inGroup(agent: AgentConfig, group: string | undefined): boolean {
  return group !== undefined && (agent.groups ?? []).includes(group);
}

/** Whether `agent` meets `req` for `queue` (membership, then skills or group). Availability is checked elsewhere. */
export function meets(agent: AgentConfig, queue: ResolvedQueue, req: EffectiveRequirement): boolean {
  if (queue.members && !queue.members.includes(agent.id)) return false;
  if (req.anyAgentInGroup && inGroup(agent, queue.group)) return true;
  for (const s in req.skills) if ((agent.skills[s] ?? 0) < (req.skills[s] as number)) return false;
  return true;
}

/**
 * Whether the agent could ever take this queue's calls (at its widest step, before callers' own skills): the
 * membership used for staffing counts, join/leave-when-empty, EWT and member order.
 */
export function servesQueue(agent: AgentConfig, queue: ResolvedQueue): boolean {
  const widest = effectiveRequirement(queueSkills(queue), queue.widening, queue.widening.length - 1);
  return meets(agent, queue, widest);
}

/** The members of a queue in rank order: explicit `members`, else every serving agent in configuration order. */
export function memberOrder(queue: ResolvedQueue, agents: ReadonlyMap<string, AgentConfig>): string[] {
  if (queue.members) return queue.members.filter((id) => agents.has(id));
  return [...agents.values()].filter((a) => servesQueue(a, queue)).map((a) => a.id);
}
