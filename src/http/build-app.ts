/**
 * The HTTP API (fastify). Built apart from listen() so tests drive it with app.inject().
 * Errors come from the catalogue in src/domain/shared/errors.ts: `{ "error": { "code", "message" } }`.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ErrorCodes, type ErrorCode } from '../domain/shared/errors.js';
import type { AgentRequest } from '../app/agent-service.js';
import type { HotlineStatus } from '../app/status.js';
import type { FlowInfo } from '../adapters/flows/flow-watcher.js';

export interface HttpDeps {
  logger: Logger;
  status: HotlineStatus;
  /** Loaded flows with their version, load time and last error (FlowRegistry). */
  flows: { list(): FlowInfo[] };
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.AGENT_NOT_FOUND]: 404,
  [ErrorCodes.QUEUE_NOT_FOUND]: 404,
  [ErrorCodes.AGENT_NOT_REGISTERED]: 409,
  [ErrorCodes.AGENT_ILLEGAL_TRANSITION]: 409,
  [ErrorCodes.AGENT_STATE_CONFLICT]: 409,
  [ErrorCodes.BAD_REQUEST]: 400,
};

const agentStateBody = {
  type: 'object',
  required: ['state'],
  additionalProperties: false,
  properties: {
    state: { type: 'string', enum: ['ready', 'not-ready', 'logged-out'] },
    reason: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' },
  },
} as const;

export function buildApp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }), });

  app.setErrorHandler((err: { validation?: unknown; statusCode?: number; message: string }, _req, reply) => {
    if (err.validation || (err.statusCode && err.statusCode < 500)) {
      return reply.code(err.statusCode ?? 400).send({ error: { code: ErrorCodes.BAD_REQUEST, message: err.message } });
    }
    deps.logger.error({ err }, 'http handler failed');
    return reply.code(500).send({ error: { code: 'HOTLINE_E_INTERNAL', message: 'internal error; see the engine log' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'HOTLINE_E_NOT_FOUND', message: `no route ${req.method} ${req.url}` } }),
  );

  app.get('/health', async (_req, reply) => {
    const health = deps.status.health();
    return reply.code(health.ok ? 200 : 503).send(health);
  });

  app.get('/api/queues', async () => deps.status.queues());

  app.get('/api/agents', async () => deps.status.agents());

  app.get('/api/flows', async () => ({ flows: deps.flows.list() }));

  app.post<{ Params: { id: string }; Body: { state: 'ready' | 'not-ready' | 'logged-out'; reason?: string } }>(
    '/api/agents/:id/state',
    { schema: { body: agentStateBody } },
    async (req, reply) => {
      const { state, reason } = req.body;
      if (state === 'not-ready' && !reason) {
        return reply.code(400).send({ error: { code: ErrorCodes.BAD_REQUEST, message: 'not-ready needs a "reason" (break, meeting, training ...)' } });
      }
      const request: AgentRequest = state === 'not-ready' ? { state, reason: reason ?? 'break' } : { state };
      const res = await deps.status.setAgentState(req.params.id, request);
      if (!res.ok) return reply.code(STATUS_OF[res.error.code] ?? 400).send({ error: res.error });
      return reply.send(res.value);
    },
  );

  return app;
}
