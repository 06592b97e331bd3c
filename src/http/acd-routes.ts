/**
 * ACD routes beside the core API of build-app.ts: dispositions (wrap-up codes), the codes an agent may use,
 * and a queue's live estimate. Registered by `registerAcdRoutes(app, { agents, acd, queues })`.
 *
 *   POST /api/agents/:id/disposition  { code, callId?, ready? }  → the agent's state
 *   GET  /api/acd/codes                                          → not-ready reasons, disposition codes per queue
 *   GET  /api/queues/:id/ewt                                     → waiting, staffing, EWT for a new caller
 */
import type { FastifyInstance } from 'fastify';
import type { QueueConfig } from '../domain/acd/model.js';
import { ErrorCodes, type ErrorCode } from '../domain/shared/errors.js';
import type { AcdService } from '../app/acd-service.js';
import type { AgentService } from '../app/agent-service.js';

export interface AcdRouteDeps {
  agents: AgentService;
  acd: AcdService;
  queues: ReadonlyMap<string, QueueConfig>;
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.AGENT_NOT_FOUND]: 404,
  [ErrorCodes.QUEUE_NOT_FOUND]: 404,
  [ErrorCodes.DISPOSITION_INVALID]: 409,
  [ErrorCodes.AGENT_ILLEGAL_TRANSITION]: 409,
  [ErrorCodes.AGENT_STATE_CONFLICT]: 409,
};

const dispositionBody = {
  type: 'object',
  required: ['code'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
    callId: { type: 'string', minLength: 1, maxLength: 64 },
    ready: { type: 'boolean' },
  },
} as const;

export function registerAcdRoutes(app: FastifyInstance, deps: AcdRouteDeps): void {
  app.post<{ Params: { id: string }; Body: { code: string; callId?: string; ready?: boolean } }>(
    '/api/agents/:id/disposition',
    { schema: { body: dispositionBody } },
    async (req, reply) => {
      const { code, callId, ready } = req.body;
      const res = await deps.agents.disposition(req.params.id, code, { ...(callId ? { callId } : {}), ...(ready ? { ready } : {}) });
      if (!res.ok) return reply.code(STATUS_OF[res.error.code] ?? 400).send({ error: res.error });
      const s = res.value.state;
      return reply.send({ id: res.value.id, state: s.name, ...(s.reason ? { reason: s.reason } : {}), ...(s.callId ? { callId: s.callId } : {}) });
    },
  );

  app.get('/api/acd/codes', async () => {
    return {
      notReadyReasons: deps.agents.notReadyReasons(),
      dispositionCodes: Object.fromEntries([...deps.queues.values()].map((q) => [q.id, q.dispositionCodes ?? []])),
    };
  });

  app.get<{ Params: { id: string } }>('/api/queues/:id/ewt', async (req, reply) => {
    const status = deps.acd.queueStatus(req.params.id);
    if (!status) return reply.code(404).send({ error: { code: ErrorCodes.QUEUE_NOT_FOUND, message: `no queue "${req.params.id}" in config/hotline.yaml` } });
    return { queueId: req.params.id, ...status };
  });
}
