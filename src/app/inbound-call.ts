/**
 * One inbound call from INVITE to the queue: number lookup (404 when unknown), answer, then the IVR flow is
 * stepped by the pure interpreter and its commands are carried out (flow-runner.ts). The call keeps the flow
 * object — so the version — it started with, whatever hot reloads happen meanwhile.
 */
import type { Logger } from 'pino';
import type { InboundCall } from '../ports/call-control.js';
import type { Clock } from '../ports/clock.js';
import type { FlowSource } from '../ports/flow-source.js';
import type { CallRecord, CallRecords } from './call-records.js';
import type { Emit } from './events.js';
import { FetchHttpDip, type HttpDip } from './flow-http.js';
import { FlowRunner, type FlowAcd } from './flow-runner.js';
import type { FlowTransfers } from './flow-transfer.js';
import { VoicemailRecorder } from './flow-voicemail.js';

export interface InboundDeps {
  clock: Clock;
  emit: Emit;
  logger: Logger;
  numbers: Readonly<Record<string, string>>;
  flows: FlowSource;
  calls: CallRecords;
  acd: FlowAcd;
  promptsDir: string;
  /** Root of voicemail recordings (`<dataDir>/voicemail/...`); without it voicemail nodes record nothing. */
  dataDir?: string;
  /** Runs http nodes' requests; default: fetch on the deps' clock. */
  httpDip?: HttpDip;
  /** Transfers to agents (AgentTransfers); without it agent and external transfers fail (unsupported). */
  transfers?: FlowTransfers;
}

/** The services flows need, built once from the deps (handleInboundCall keeps them per deps object). */
const services = new WeakMap<InboundDeps, { httpDip: HttpDip; recorder?: VoicemailRecorder }>();

function servicesOf(deps: InboundDeps): { httpDip: HttpDip; recorder?: VoicemailRecorder } {
  let s = services.get(deps);
  if (!s) {
    s = {
      httpDip: deps.httpDip ?? new FetchHttpDip(deps.clock),
      ...(deps.dataDir !== undefined ? { recorder: new VoicemailRecorder({ clock: deps.clock, emit: deps.emit, log: deps.logger, dataDir: deps.dataDir }) } : {}),
    };
    services.set(deps, s);
  }
  return s;
}

export function handleInboundCall(deps: InboundDeps, leg: InboundCall): void {
  const callId = leg.callId;
  const log = deps.logger.child({ callId, sipCallId: leg.legId });
  const run = async (): Promise<void> => {
    const flowId = deps.numbers[leg.to];
    const flow = flowId ? deps.flows.get(flowId) : undefined;
    deps.emit({ type: 'call.offered', callId, from: leg.from, to: leg.to, ...(flow ? { flowId: flow.id, flowVersion: flow.version } : {}) });
    log.info({ from: leg.from, to: leg.to, source: leg.source, flowId }, 'inbound call');
    if (!flow) {
      await leg.reject(404, 'Not Found');
      deps.emit({ type: 'call.rejected', callId, sipStatus: 404, reason: flowId ? `flow "${flowId}" is not loaded` : 'unknown number' });
      log.info({ to: leg.to }, 'rejected: no flow for this number');
      return;
    }
    const rec: CallRecord = { callId, leg, from: leg.from, to: leg.to, offeredAtMs: deps.clock.nowMs(), stage: 'flow' };
    deps.calls.add(rec);
    leg.onHangup((ev) => {
      if (rec.stage === 'flow') {
        runner.stop();
        deps.calls.finish(callId, ev.by === 'remote' ? 'caller' : 'system', ev.cause);
      } else if (rec.stage === 'queued') {
        deps.acd
          .callerLeft(callId)
          .catch((err: unknown) => log.error({ err }, 'abandon handling failed'))
          .finally(() => deps.calls.finish(callId, 'caller', 'abandon'));
      }
      // 'talking': the ACD's bridge ends both legs and the call.
    });
    const { httpDip, recorder } = servicesOf(deps);
    const runner = new FlowRunner(
      { clock: deps.clock, emit: deps.emit, calls: deps.calls, acd: deps.acd, promptsDir: deps.promptsDir, httpDip, ...(deps.transfers ? { transfers: deps.transfers } : {}), ...(recorder ? { recorder } : {}) },
      flow,
      rec,
      log,
    );
    rec.resumeFlow = (nodeId) => {
      if (leg.ended || rec.stage === 'talking' || rec.stage === 'ended') return false;
      rec.stage = 'flow';
      return runner.resumeAt(nodeId);
    };
    leg.onDtmf((ev) => {
      if (rec.stage === 'flow') runner.input({ kind: 'digit', digit: ev.digit, source: ev.source });
    });
    await leg.answer();
    if (leg.ended) return;
    runner.start();
  };
  run().catch((err: unknown) => {
    log.error({ err }, 'inbound call failed');
    leg.hangup('internal-error').catch(() => undefined);
    deps.calls.finish(callId, 'system', 'internal-error');
  });
}
