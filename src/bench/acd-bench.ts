/**
 * The cost of one ACD routing decision, at 100 agents / 50 waiting and at 10,000 agents / 5,000 waiting,
 * across 20 skills. The core is driven in a steady state where every agent is busy or idle-without-work and
 * callers wait: in turn an agent finishes a call (it becomes available and picks the best caller it may take,
 * or stays idle) and a new caller arrives (it takes an idle eligible agent, or waits). Each of those two
 * inputs is one decision, timed around AcdCore.handle; ringing agents then answer, untimed. Levels vary, two
 * priorities, widening after 30 s, as in a real deployment. Indexes, not scans, keep the large size close to
 * the small one.
 */
import { performance } from 'node:perf_hooks';
import { AcdCore } from '../domain/acd/core/acd-core.js';
import type { AcdCommand, AcdInput } from '../domain/acd/core/types.js';
import type { AgentConfig, QueueConfig } from '../domain/acd/model.js';
import { Rng } from '../domain/sim/rng.js';

export interface AcdBenchRow {
  agents: number;
  waiting: number;
  skills: number;
  decisions: number;
  decisionP50Us: number;
  decisionP99Us: number;
  /** The two kinds apart: a caller arrives; an agent becomes available. */
  arrivalP50Us: number;
  arrivalP99Us: number;
  agentFreeP50Us: number;
  agentFreeP99Us: number;
}

const SKILLS = 20;

export async function acdBench(opts: { json: boolean; args: string[] }): Promise<AcdBenchRow[]> {
  const arg = (name: string): number | undefined => {
    const a = opts.args.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.split('=')[1]) : undefined;
  };
  const decisions = arg('decisions') ?? 20_000;
  const rows: AcdBenchRow[] = [];
  for (const [agents, waiting] of [
    [100, 50],
    [10_000, 5_000],
  ] as const) {
    const row = measure(agents, waiting, decisions);
    rows.push(row);
    if (!opts.json) {
      process.stdout.write(
        `${String(agents).padStart(6)} agents ${String(waiting).padStart(5)} waiting ${SKILLS} skills: decision p50 ${row.decisionP50Us} µs, p99 ${row.decisionP99Us} µs ` +
          `(arrival p50 ${row.arrivalP50Us} / p99 ${row.arrivalP99Us}; agent free p50 ${row.agentFreeP50Us} / p99 ${row.agentFreeP99Us})\n`,
      );
    }
  }
  return rows;
}

function measure(agentCount: number, waitingTarget: number, decisions: number): AcdBenchRow {
  const rng = new Rng(agentCount);
  const skill = (i: number): string => `skill${i}`;
  const queues = new Map<string, QueueConfig>();
  for (let i = 0; i < SKILLS; i += 1) {
    queues.set(`q${i}`, {
      id: `q${i}`,
      name: `queue ${i}`,
      requiredSkills: [],
      skills: { [skill(i)]: 5 },
      widening: [{ afterSec: 30, minLevel: 1 }],
      strategy: 'longest-idle',
      ringTimeoutSec: 15,
      wrapupSec: 0,
      musicOnHold: 'moh/default.wav',
    });
  }
  const agents = new Map<string, AgentConfig>();
  for (let i = 0; i < agentCount; i += 1) {
    const skills: Record<string, number> = {};
    const n = 1 + Math.floor(rng.next() * 3);
    while (Object.keys(skills).length < n) skills[skill(Math.floor(rng.next() * SKILLS))] = 1 + Math.floor(rng.next() * 10);
    agents.set(`a${i}`, { id: `a${i}`, name: `a${i}`, skills, readyOnRegister: true });
  }
  let now = Date.UTC(2026, 0, 5, 0, 0, 0);
  const core = new AcdCore({ queues, agents, startMs: now, writeThrough: false });
  const onCall = new Map<string, string>(); // agent → call
  let seq = 0;
  const handle = (input: AcdInput): AcdCommand[] => {
    const out = core.handle(input, now).commands;
    return out;
  };
  /** Agents rung answer at once (untimed), so every agent is on a call or idle. */
  const answerRings = (cmds: readonly AcdCommand[]): void => {
    for (const c of cmds) {
      if (c.kind !== 'ring') continue;
      const res = handle({ kind: 'ring-answered', callId: c.callId, agentId: c.agentId });
      if (res.some((r) => r.kind === 'bridge')) onCall.set(c.agentId, c.callId);
    }
  };
  const arrive = (): AcdCommand[] =>
    handle({ kind: 'caller-joins', callId: `c${seq++}`, queueId: `q${Math.floor(rng.next() * SKILLS)}`, callerNumber: `1${seq}`, priority: rng.next() < 0.1 ? 5 : 0 });

  for (const id of agents.keys()) answerRings(handle({ kind: 'registration', agentId: id, registered: true }));
  // Calls until every agent that can be busy is, then the waiting callers.
  for (let i = 0; i < agentCount * 3 && onCall.size < agentCount * 0.98; i += 1) answerRings(arrive());
  while (core.waiting().length < waitingTarget) {
    now += 1;
    answerRings(arrive());
  }

  const arrivals: number[] = [];
  const frees: number[] = [];
  const busy = [...onCall.keys()];
  const warmup = Math.min(2000, decisions / 4);
  for (let i = 0; i < decisions + warmup; i += 1) {
    now += 50;
    // An agent finishes its call.
    const idx = Math.floor(rng.next() * busy.length);
    const agentId = busy[idx] as string;
    const callId = onCall.get(agentId);
    if (callId === undefined) continue;
    onCall.delete(agentId);
    busy[idx] = busy[busy.length - 1] as string;
    busy.pop();
    let t0 = performance.now();
    let cmds = handle({ kind: 'call-ended', callId, agentId });
    let t1 = performance.now();
    if (i >= warmup) frees.push((t1 - t0) * 1000);
    answerRings(cmds);
    // A caller arrives.
    t0 = performance.now();
    cmds = arrive();
    t1 = performance.now();
    if (i >= warmup) arrivals.push((t1 - t0) * 1000);
    answerRings(cmds);
    for (const c of cmds) if (c.kind === 'ring') busy.push(c.agentId);
    if (onCall.has(agentId)) busy.push(agentId);
  }
  const all = [...arrivals, ...frees];
  return {
    agents: agentCount,
    waiting: waitingTarget,
    skills: SKILLS,
    decisions: all.length,
    decisionP50Us: pct(all, 0.5),
    decisionP99Us: pct(all, 0.99),
    arrivalP50Us: pct(arrivals, 0.5),
    arrivalP99Us: pct(arrivals, 0.99),
    agentFreeP50Us: pct(frees, 0.5),
    agentFreeP99Us: pct(frees, 0.99),
  };
}

function pct(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number) * 10) / 10;
}
