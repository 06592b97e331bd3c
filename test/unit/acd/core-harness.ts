/** Drives an AcdCore on a manual time line and keeps every command and event it produced. */
import { AcdCore } from '../../../src/domain/acd/core/acd-core.js';
import type { AcdCommand, AcdInput, AgentRequest } from '../../../src/domain/acd/core/types.js';
import type { AgentConfig, QueueConfig } from '../../../src/domain/acd/model.js';
import type { EventDraft } from '../../../src/domain/metrics/events.js';
import type { Result } from '../../../src/domain/shared/errors.js';
import type { AgentRecord } from '../../../src/domain/acd/model.js';

export const T0 = Date.UTC(2026, 0, 5, 1, 0, 0);

export function queue(id: string, extra: Partial<QueueConfig> = {}): QueueConfig {
  return { id, name: id, requiredSkills: [], strategy: 'longest-idle', ringTimeoutSec: 15, wrapupSec: 0, musicOnHold: 'moh/default.wav', ...extra };
}

export function agent(id: string, skills: Record<string, number>, extra: Partial<AgentConfig> = {}): AgentConfig {
  return { id, name: id, skills, readyOnRegister: true, ...extra };
}

type EventOf<T extends EventDraft['type']> = Extract<EventDraft, { type: T }>;

export class CoreHarness {
  readonly core: AcdCore;
  now = T0;
  readonly commands: AcdCommand[] = [];
  lastResult: Result<AgentRecord> | undefined;

  constructor(queues: QueueConfig[], agents: AgentConfig[], opts: { canDial?: boolean; random?: () => number } = {}) {
    this.core = new AcdCore({
      queues: new Map(queues.map((q) => [q.id, q])),
      agents: new Map(agents.map((a) => [a.id, a])),
      startMs: T0,
      canDial: opts.canDial ?? false,
      ...(opts.random ? { random: opts.random } : {}),
    });
  }

  send(input: AcdInput): AcdCommand[] {
    const out = this.core.handle(input, this.now);
    this.commands.push(...out.commands);
    this.lastResult = out.result;
    const faults = out.commands.filter((c) => c.kind === 'fault');
    if (faults.length > 0) throw new Error(`core fault: ${JSON.stringify(faults)}`);
    return out.commands;
  }

  /** Moves time forward, firing deadlines on the way. */
  advance(ms: number): AcdCommand[] {
    this.now += ms;
    return this.send({ kind: 'tick' });
  }

  login(...ids: string[]): void {
    for (const id of ids) {
      this.send({ kind: 'registration', agentId: id, registered: true });
      this.now += 1; // distinct idle times: the first logged in has waited longest
    }
  }

  request(agentId: string, request: AgentRequest): Result<AgentRecord> | undefined {
    this.send({ kind: 'agent-request', agentId, request });
    return this.lastResult;
  }

  join(callId: string, queueId: string, extra: Partial<Extract<AcdInput, { kind: 'caller-joins' }>> = {}): AcdCommand[] {
    return this.send({ kind: 'caller-joins', callId, queueId, callerNumber: '13800138000', priority: 0, ...extra });
  }

  answer(callId: string, agentId: string): AcdCommand[] {
    return this.send({ kind: 'ring-answered', callId, agentId });
  }

  hangup(callId: string): AcdCommand[] {
    return this.send({ kind: 'caller-hangs-up', callId });
  }

  end(callId: string, agentId: string): AcdCommand[] {
    return this.send({ kind: 'call-ended', callId, agentId });
  }

  /** Agents rung for a call, in order, from all commands so far. */
  rings(callId?: string): string[] {
    return this.commands.filter((c): c is Extract<AcdCommand, { kind: 'ring' }> => c.kind === 'ring' && (callId === undefined || c.callId === callId)).map((c) => c.agentId);
  }

  ringsIn(cmds: AcdCommand[]): Array<{ callId: string; agentId: string }> {
    return cmds.filter((c): c is Extract<AcdCommand, { kind: 'ring' }> => c.kind === 'ring').map((c) => ({ callId: c.callId, agentId: c.agentId }));
  }

  events<T extends EventDraft['type']>(type: T): Array<EventOf<T>> {
    return this.commands
      .filter((c): c is Extract<AcdCommand, { kind: 'emit' }> => c.kind === 'emit' && c.event.type === type)
      .map((c) => c.event as EventOf<T>);
  }

  of<K extends AcdCommand['kind']>(kind: K): Array<Extract<AcdCommand, { kind: K }>> {
    return this.commands.filter((c): c is Extract<AcdCommand, { kind: K }> => c.kind === kind);
  }

  state(agentId: string): string | undefined {
    return this.core.agent(agentId)?.state.name;
  }

  clear(): void {
    this.commands.length = 0;
  }
}
