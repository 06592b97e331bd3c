/** Read models for the API: live queues and agents, and health. */
import { servesQueue } from '../domain/acd/skills.js';
import { resolveQueue, type AgentRecord, type QueueConfig } from '../domain/acd/model.js';
import { compareCallers } from '../domain/acd/router.js';
import type { Result } from '../domain/shared/errors.js';
import type { CallControl } from '../ports/call-control.js';
import type { Clock } from '../ports/clock.js';
import type { AcdStore } from '../ports/store.js';
import type { AgentRequest, AgentService } from './agent-service.js';
import type { AcdService } from './acd-service.js';
import type { CallRecords } from './call-records.js';

export interface AgentView {
  id: string;
  name: string;
  state: string;
  reason?: string;
  callId?: string;
  registered: boolean;
  stateSinceSec: number;
  callsAnswered: number;
  skills: Record<string, number>;
}

export interface HotlineStatus {
  health(): { ok: boolean; uptimeSec: number; activeCalls: number; telephony: { name: string; ok: boolean; details: Record<string, unknown> } };
  queues(): Promise<{ queues: unknown[] }>;
  agents(): Promise<{ agents: AgentView[] }>;
  setAgentState(agentId: string, req: AgentRequest): Promise<Result<AgentView>>;
}

export function makeStatus(deps: {
  clock: Clock;
  startedMs: number;
  store: AcdStore;
  queues: ReadonlyMap<string, QueueConfig>;
  agents: AgentService;
  acd: AcdService;
  calls: CallRecords;
  callControl: CallControl;
}): HotlineStatus {
  const view = (a: AgentRecord): AgentView => {
    const cfg = deps.agents.config(a.id);
    return {
      id: a.id,
      name: cfg?.name ?? a.id,
      state: a.state.name,
      ...(a.state.reason ? { reason: a.state.reason } : {}),
      ...(a.state.callId ? { callId: a.state.callId } : {}),
      registered: a.registered,
      stateSinceSec: Math.round((deps.clock.nowMs() - a.state.sinceMs) / 1000),
      callsAnswered: a.callsAnswered,
      skills: cfg?.skills ?? {},
    };
  };
  return {
    health() {
      const t = deps.callControl.health();
      return {
        ok: t.ok,
        uptimeSec: Math.round((deps.clock.nowMs() - deps.startedMs) / 1000),
        activeCalls: deps.calls.size,
        telephony: { name: deps.callControl.name, ok: t.ok, details: t.details },
      };
    },
    async queues() {
      const now = deps.clock.nowMs();
      const [waiting, agents] = await Promise.all([deps.store.listWaiting(), deps.store.listAgents()]);
      const ringing = new Map(deps.acd.snapshotOffers().map((o) => [o.callId, o]));
      const queues = [...deps.queues.values()].map((q) => {
        // Members: agents who could take the queue's calls at its widest routing step (skills, group, members list).
        const resolved = resolveQueue(q);
        const members = agents.filter((a) => {
          const cfg = deps.agents.config(a.id);
          return cfg !== undefined && servesQueue(cfg, resolved);
        });
        const byState: Record<string, number> = {};
        for (const a of members) byState[a.state.name] = (byState[a.state.name] ?? 0) + 1;
        const callers = waiting
          .filter((c) => c.queueId === q.id)
          .sort(compareCallers)
          .map((c, i) => ({
            callId: c.callId,
            callerNumber: c.callerNumber,
            position: i + 1,
            priority: c.priority,
            waitSec: Math.round((now - c.joinedAtMs) / 100) / 10,
            ...(ringing.has(c.callId) ? { ringingAgent: ringing.get(c.callId)?.agentId } : {}),
          }));
        const acd = deps.acd.queueStatus(q.id);
        return {
          id: q.id,
          name: q.name,
          strategy: q.strategy,
          waiting: callers.length,
          // Members logged in, staffed (available or in call work), and the estimated wait a new caller is told.
          ...(acd ? { loggedIn: acd.loggedIn, staffed: acd.staffed, ...(acd.ewtSec !== undefined ? { ewtSec: acd.ewtSec } : {}) } : {}),
          longestWaitSec: callers.reduce((m, c) => Math.max(m, c.waitSec), 0),
          callers,
          agentsByState: byState,
          agents: members.map((a) => ({ id: a.id, state: a.state.name, ...(a.state.reason ? { reason: a.state.reason } : {}) })),
        };
      });
      return { queues };
    },
    async agents() {
      return { agents: (await deps.agents.list()).map(view).sort((a, b) => a.id.localeCompare(b.id)) };
    },
    async setAgentState(agentId, req) {
      const res = await deps.agents.request(agentId, req);
      return res.ok ? { ok: true, value: view(res.value) } : res;
    },
  };
}
