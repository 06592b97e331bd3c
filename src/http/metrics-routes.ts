/**
 * GET /metrics (Prometheus text format, from the live stats' own prom-client Registry) and
 * GET /api/stats?window=15m (the same figures as JSON, for wallboard pages). docs/reports.md, "Live metrics".
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCodes } from '../domain/shared/errors.js';
import { parseWindow, type LiveStats } from '../app/live-stats.js';

export interface MetricsRoutesDeps {
  liveStats: LiveStats;
}

export function registerMetricsRoutes(app: FastifyInstance, deps: MetricsRoutesDeps): void {
  const { liveStats } = deps;

  app.get('/metrics', async (_req, reply) => {
    const body = await liveStats.metrics();
    return reply.header('content-type', liveStats.contentType).header('cache-control', 'no-store').send(body);
  });

  app.get<{ Querystring: { window?: string } }>(
    '/api/stats',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { window: { type: 'string', maxLength: 16 } } } } },
    async (req, reply) => {
      const text = req.query.window;
      const windowSec = text === undefined ? liveStats.windowSec : parseWindow(text);
      if (windowSec === undefined || windowSec > liveStats.maxWindowSec) {
        return reply.code(400).send({
          error: { code: ErrorCodes.BAD_REQUEST, message: `window must be like 15m, 1h or 90s, at most ${liveStats.maxWindowSec / 3600} h; got "${text ?? ''}"` },
        });
      }
      return reply.header('cache-control', 'no-store').send(await liveStats.stats(windowSec));
    },
  );
}
