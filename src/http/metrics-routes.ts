/**
 * GET /metrics (Prometheus text format, from the live stats' own prom-client Registry) and
 * GET /api/stats?window=15m (the same figures as JSON, for wallboard pages). docs/reports.md, "Live metrics".
 */
import type { FastifyInstance } from 'fastify';
import { Gauge, type Registry } from 'prom-client';
import { ErrorCodes } from '../domain/shared/errors.js';
import { parseWindow, type LiveStats } from '../app/live-stats.js';
import type { CallControlHealth } from '../ports/call-control.js';

export interface MetricsRoutesDeps {
  liveStats: LiveStats;
  /** The telephony adapter's name and health, read at every scrape (connection-state gauges). */
  telephony?: { name: string; health(): CallControlHealth };
}

/** The states a connection of an adapter reports in health().details.<connection>.state. */
const LINK_STATES = ['idle', 'connecting', 'up', 'down', 'closed'] as const;

/**
 * hotline_telephony_up{adapter} and hotline_telephony_connection_up / _state{connection} from the adapter's
 * health: every details entry with a `state` (drachtio, freeswitch) is a connection to a server. Read at
 * scrape time, so /metrics and /health never disagree.
 */
function registerTelephonyGauges(registry: Registry, telephony: NonNullable<MetricsRoutesDeps['telephony']>): void {
  if (registry.getSingleMetric('hotline_telephony_up') !== undefined) return;
  const connections = (): Array<[string, string]> =>
    Object.entries(telephony.health().details).flatMap(([name, v]): Array<[string, string]> => {
      const state = typeof v === 'object' && v !== null ? (v as { state?: unknown }).state : undefined;
      return typeof state === 'string' ? [[name, state]] : [];
    });
  new Gauge({
    name: 'hotline_telephony_up',
    help: 'The telephony adapter can take calls now (1) or not (0): the same as /health',
    labelNames: ['adapter'],
    registers: [registry],
    collect() {
      this.reset();
      this.set({ adapter: telephony.name }, telephony.health().ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'hotline_telephony_connection_up',
    help: "A connection of the telephony adapter to its servers (drachtio-server's control socket, FreeSWITCH's event socket) is up (1) or not (0)",
    labelNames: ['connection'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [connection, state] of connections()) this.set({ connection }, state === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'hotline_telephony_connection_state',
    help: 'The state of each connection of the telephony adapter: 1 for the current state, 0 for the others',
    labelNames: ['connection', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [connection, current] of connections()) {
        for (const state of LINK_STATES) this.set({ connection, state }, state === current ? 1 : 0);
      }
    },
  });
}

export function registerMetricsRoutes(app: FastifyInstance, deps: MetricsRoutesDeps): void {
  const { liveStats } = deps;
  if (deps.telephony !== undefined) registerTelephonyGauges(liveStats.registry, deps.telephony);

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
