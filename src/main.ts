/**
 * Composition root: builds every part explicitly from the frozen config, starts them in order, and closes them
 * in reverse order. Nothing else constructs adapters.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import { usesDefaultSecrets, type HotlineConfig } from './config/load-config.js';
import type { CallControl } from './ports/call-control.js';
import { SystemClock } from './adapters/clock/system-clock.js';
import { MemoryStore } from './adapters/store/memory/memory-store.js';
import { JsonlEventLog } from './adapters/event-log/jsonl-event-log.js';
import { FlowRegistry } from './adapters/flows/flow-watcher.js';
import { formatFlowError } from './adapters/flows/flow-errors.js';
import { flowQueueProblems } from './app/flow-queue-links.js';
import type { Flow } from './domain/flow/model.js';
import { BuiltinCallControl } from './adapters/telephony/builtin/builtin-call-control.js';
import { WorkerMediaEngine } from './adapters/telephony/builtin/media/worker-media-engine.js';
import { G711SdpNegotiator } from './adapters/telephony/builtin/media/sdp.js';
import { SipRegistrar } from './app/registrar/sip-registrar.js';
import { AgentService } from './app/agent-service.js';
import { AcdService } from './app/acd-service.js';
import { CallRecords } from './app/call-records.js';
import { makeEmitter } from './app/events.js';
import { handleInboundCall } from './app/inbound-call.js';
import { makeStatus } from './app/status.js';
import { buildApp } from './http/build-app.js';
import { LiveStats, storeSnapshotProvider } from './app/live-stats.js';
import { registerMetricsRoutes } from './http/metrics-routes.js';
import { registerAcdRoutes } from './http/acd-routes.js';
import { AgentTransfers } from './app/flow-transfer.js';

/** A start-up problem a person must fix (bad flow file ...), printed line by line. */
export class StartupError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'StartupError';
  }
}

export interface Hotline {
  start(): Promise<void>;
  close(): Promise<void>;
  http: FastifyInstance;
}

export async function createHotline(config: HotlineConfig, logger: Logger): Promise<Hotline> {
  // Flows are watched: an edited file that validates replaces its flow for new calls; calls in progress keep
  // the version they started with; a file that fails keeps the last good version (GET /api/flows shows why).
  const flows = new FlowRegistry({ flowsDir: config.flowsDir, promptsDir: config.promptsDir, logger: logger.child({ component: 'flows' }) });
  const flowErrors = await flows.start();
  const missing = Object.entries(config.numbers)
    .filter(([, flowId]) => !flows.get(flowId))
    .map(([number, flowId]) => `${path.join(config.configDir, 'hotline.yaml')}: number ${number} maps to flow "${flowId}", which is not in ${config.flowsDir}`);
  const loadedFlows = (): Flow[] => flows.list().flatMap((info) => flows.get(info.id) ?? []);
  const links = flowErrors.length > 0 ? [] : flowQueueProblems(loadedFlows(), config.queues);
  if (flowErrors.length > 0 || missing.length > 0 || links.length > 0) {
    await flows.close();
    throw new StartupError([...flowErrors.map(formatFlowError), ...missing, ...links]);
  }
  // An edit that breaks a link still loads (the flow file itself is valid): say so, loudly.
  flows.onReload((r) => {
    if (r.swapped.length === 0) return;
    const problems = flowQueueProblems(loadedFlows(), config.queues);
    if (problems.length > 0) logger.error({ problems, flows: r.swapped }, 'reloaded flows do not fit the configured queues; calls that reach these nodes will be hung up');
  });

  const clock = new SystemClock();
  const store = new MemoryStore();
  const eventLog = new JsonlEventLog({ dir: path.join(config.dataDir, 'events'), logger });
  // Every event goes to the log and through the live figures of GET /metrics and GET /api/stats.
  const liveStats = new LiveStats(eventLog, {
    clock,
    processMetrics: true,
    provider: storeSnapshotProvider({ store, clock, queueIds: config.queues.keys() }),
    onError: (err, event) => logger.error({ err, eventType: event.type }, 'live stats could not count an event'),
  });
  const emit = makeEmitter(liveStats, clock);
  const registrar = new SipRegistrar({
    realm: config.sip.realm,
    clock,
    credentials: (agentId: string) => config.agentPasswords.get(agentId),
    nonceTtlSec: config.sip.nonceTtlSec,
    logger: logger.child({ component: 'registrar' }),
  });
  const callControl = await createCallControl(config, logger, clock);
  const calls = new CallRecords(clock, emit);
  const agents = new AgentService({ store, clock, emit, logger, agents: config.agents, registrar });
  const transfers = new AgentTransfers({ clock, store, registrar, agents, callControl, calls, ...(config.trunk ? { trunk: config.trunk } : {}) });
  const acd = new AcdService({
    store,
    clock,
    emit,
    logger,
    callControl,
    registrar,
    agents,
    agentConfigs: config.agents,
    queues: config.queues,
    calls,
    promptsDir: config.promptsDir,
    // A queue exit to a flow node gives the call back to the IVR flow it came from.
    exitToFlow: (callId, node) => calls.get(callId)?.resumeFlow?.(node) ?? false,
    // An agent's blind transfer (REFER) to a colleague rings the colleague like a flow's transfer node does.
    agentTransfers: transfers,
  });
  const status = makeStatus({ clock, startedMs: clock.nowMs(), store, queues: config.queues, agents, acd, calls, callControl });
  const http = buildApp({ logger, status, flows });
  registerMetricsRoutes(http, { liveStats, telephony: callControl });
  registerAcdRoutes(http, { agents, acd, queues: config.queues });
  const inboundDeps = { clock, emit, logger, numbers: config.numbers, flows, calls, acd, promptsDir: config.promptsDir, dataDir: config.dataDir, transfers };

  let started = false;
  return {
    http,
    async start() {
      await agents.start(() => acd.dispatch());
      await callControl.start({ onInboundCall: (call) => handleInboundCall(inboundDeps, call), registrar });
      await http.listen({ host: config.http.host, port: config.http.port });
      started = true;
      const sip = config.telephony === 'builtin'
        ? { sip: `${config.sip.host}:${config.sip.port}`, transports: config.sip.transports }
        : { drachtio: `${config.drachtio.host}:${config.drachtio.port}`, freeswitch: `${config.freeswitch.host}:${config.freeswitch.port}` };
      logger.info(
        { telephony: config.telephony, ...sip, http: `${config.http.host}:${config.http.port}`, numbers: Object.keys(config.numbers), flows: flows.list().map((f) => `${f.id}@${f.version ?? '?'}`) },
        'hotline ready',
      );
    },
    async close() {
      await flows.close();
      acd.close();
      agents.close();
      if (started) await http.close();
      await callControl.close();
      registrar.close();
      await eventLog.close();
      await store.close();
      clock.close();
    },
  };
}

/**
 * The telephony adapter the configuration selects. The built-in engine is built here as it always was; the
 * drachtio-freeswitch adapter is imported only when selected, so the built-in path never loads drachtio.
 */
async function createCallControl(config: HotlineConfig, logger: Logger, clock: SystemClock): Promise<CallControl> {
  if (config.telephony === 'drachtio-freeswitch') {
    const defaults = usesDefaultSecrets(config);
    if (defaults.length > 0) logger.warn({ settings: defaults }, 'telephony secrets are the well-known defaults: change them before exposing the servers');
    const { createDrachtioFreeswitch } = await import('./adapters/telephony/drachtio-freeswitch/index.js');
    return createDrachtioFreeswitch(config, logger, clock);
  }
  const media = new WorkerMediaEngine({ host: config.rtp.host, portMin: config.rtp.portMin, portMax: config.rtp.portMax, logger: logger.child({ component: 'media' }) });
  return new BuiltinCallControl({
    sip: { host: config.sip.host, port: config.sip.port, udp: config.sip.transports.includes('udp'), tcp: config.sip.transports.includes('tcp'), ...(config.sip.publicHost ? { publicHost: config.sip.publicHost } : {}) },
    logger,
    media,
    sdp: new G711SdpNegotiator(),
  });
}
