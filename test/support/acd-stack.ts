/**
 * The application's ACD as the served engine wires it — store, emitter, call records, AgentService and
 * AcdService — over fakes of the telephony ports, for the unit tests of the ACD service, its routes and its
 * queue features.
 */
import { MemoryStore } from '../../src/adapters/store/memory/memory-store.js';
import { AcdService, type AcdDeps } from '../../src/app/acd-service.js';
import { AgentService } from '../../src/app/agent-service.js';
import { CallRecords } from '../../src/app/call-records.js';
import { makeEmitter } from '../../src/app/events.js';
import type { AgentConfig, QueueConfig } from '../../src/domain/acd/model.js';
import { ManualClock } from '../../src/domain/shared/fake-clock.js';
import { FakeCallControl, FakeRegistrar, MemorySink, silentLogger } from './fakes.js';

export interface AcdStackOptions<C extends FakeCallControl> {
  startMs: number;
  queues: ReadonlyMap<string, QueueConfig>;
  agentConfigs: ReadonlyMap<string, AgentConfig>;
  promptsDir: string;
  callControl?: C;
  exitToFlow?: AcdDeps['exitToFlow'];
  agentTransfers?: AcdDeps['agentTransfers'];
}

export function acdStack<C extends FakeCallControl = FakeCallControl>(opts: AcdStackOptions<C>) {
  const clock = new ManualClock(opts.startMs);
  const store = new MemoryStore();
  const sink = new MemorySink();
  const emit = makeEmitter(sink, clock);
  const registrar = new FakeRegistrar();
  const callControl = opts.callControl ?? (new FakeCallControl() as C);
  const calls = new CallRecords(clock, emit);
  const agents = new AgentService({ store, clock, emit, logger: silentLogger, agents: opts.agentConfigs, registrar });
  const acd = new AcdService({
    store,
    clock,
    emit,
    logger: silentLogger,
    callControl,
    registrar,
    agents,
    agentConfigs: opts.agentConfigs,
    queues: opts.queues,
    calls,
    promptsDir: opts.promptsDir,
    ...(opts.exitToFlow ? { exitToFlow: opts.exitToFlow } : {}),
    ...(opts.agentTransfers ? { agentTransfers: opts.agentTransfers } : {}),
  });
  return { clock, store, sink, registrar, callControl, calls, agents, acd };
}
