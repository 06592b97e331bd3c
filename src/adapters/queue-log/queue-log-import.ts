/**
 * Asterisk queue_log records → business events, marked `imported: true, importedFrom: 'queue_log'` (mapping
 * table in docs/events.md). Every record becomes exactly one event carrying `sourceEvent` (plus, for the
 * first ENTERQUEUE of a call, a call.offered helper with the caller id, so reports and FCR see the call).
 *
 * Lossless: the importer runs the exporter over what it produces and, where the derived line differs from
 * the record (a bridged channel id, an agent named Local/1001@agents/n, a callid on AGENTLOGIN …), stores
 * only the differing parts in `queueLog`. So export(import(file)) gives back the file's records exactly.
 * Records with no business meaning here (QUEUESTART, CONFIGRELOAD, DID, RINGCANCELED, repeated per-queue
 * PAUSE …) and records whose numbers do not parse are kept verbatim as `queue-log.record` events.
 */
import { stampEvent, type EventDraft, type HotlineEvent, type QueueLogOverride } from '../../domain/metrics/events.js';
import { QueueLogExporter, type QueueLogExporterOptions } from './queue-log-export.js';
import { agentIdOf, NONE, type QueueLogLine } from './queue-log-line.js';

type Draft = EventDraft;

interface AgentKnown {
  state: string;
  reason: string | undefined;
  /** Queues joined with ADDMEMBER: logged out when the last one is left. */
  queues: Set<string>;
}

export class QueueLogImporter {
  private readonly shadow: QueueLogExporter;
  private readonly offeredCalls = new Set<string>();
  private readonly ringCancelled = new Set<string>();
  /** Offers made to agents per call (agent.offered attempt numbers). */
  private readonly attempts = new Map<string, number>();
  private readonly agents = new Map<string, AgentKnown>();

  constructor(opts: QueueLogExporterOptions = {}) {
    this.shadow = new QueueLogExporter(opts);
  }

  /** The events one record stands for, stamped with its time (ms = epoch × 1000). */
  push(rec: QueueLogLine): HotlineEvent[] {
    const ts = rec.epochSec * 1000;
    const drafts = this.map(rec) ?? [verbatim(rec)];
    if (CALL_DONE.has(rec.event)) this.attempts.delete(rec.callid);
    const events = drafts.map((d) => {
      // An offer helper is stamped when the ring began, so ring-to-answer and agent offers line up.
      const at = d.type === 'agent.offered' ? ts - (this.ringMsOf(rec) ?? 0) : ts;
      return stampEvent({ ...d, imported: true, importedFrom: 'queue_log' } as EventDraft, at);
    });
    for (const ev of events) {
      const lines = this.shadow.push(ev);
      if (ev.type === 'queue-log.record' || ev.sourceEvent === undefined) continue;
      const derived = lines[0];
      const override: QueueLogOverride = {};
      if (derived?.callid !== rec.callid) override.callid = rec.callid;
      if (derived?.queue !== rec.queue) override.queue = rec.queue;
      if (derived?.agent !== rec.agent) override.agent = rec.agent;
      if (!derived || derived.data.length !== rec.data.length || derived.data.some((d, i) => d !== rec.data[i])) override.data = [...rec.data];
      if (Object.keys(override).length > 0) ev.queueLog = override;
    }
    return events;
  }

  /** Typed drafts for a record, or undefined to keep it verbatim. */
  private map(rec: QueueLogLine): Draft[] | undefined {
    const { callid: callId, queue: queueId, event, data } = rec;
    const agentId = agentIdOf(rec.agent);
    const n = (i: number): number => toInt(data[i]);
    const sourceEvent = event;
    switch (event) {
      case 'ENTERQUEUE': {
        const position = data.length >= 3 ? n(2) : 1;
        if (!(position >= 1)) return undefined;
        const drafts: Draft[] = [];
        if (!this.offeredCalls.has(callId)) {
          this.offeredCalls.add(callId);
          drafts.push({ type: 'call.offered', callId, from: data[1] ?? '', to: '' });
        }
        drafts.push({ type: 'queue.joined', callId, queueId, position, priority: 0, sourceEvent });
        return drafts;
      }
      case 'CONNECT':
        if (agentId === undefined || !(n(0) >= 0)) return undefined;
        return [this.offer(callId, queueId, agentId), { type: 'call.answered', callId, queueId, agentId, waitMs: n(0) * 1000, ringMs: Math.max(0, n(2) || 0) * 1000, sourceEvent }];
      case 'ABANDON': {
        if (!(n(0) >= 0 && n(2) >= 0)) return undefined;
        const whileRinging = this.ringCancelled.delete(callId);
        return [{ type: 'call.abandoned', callId, queueId, waitMs: n(2) * 1000, whileRinging, position: n(0), sourceEvent }];
      }
      case 'EXITWITHTIMEOUT':
      case 'EXITEMPTY':
      case 'WITHDRAW':
        if (!(n(0) >= 0 && n(2) >= 0)) return undefined;
        return [{ type: 'queue.exited', callId, queueId, reason: event === 'EXITWITHTIMEOUT' ? 'max-wait' : event === 'EXITEMPTY' ? 'empty' : 'withdraw', waitMs: n(2) * 1000, position: n(0), sourceEvent }];
      case 'EXITWITHKEY':
        if (!(n(1) >= 0 && n(3) >= 0)) return undefined;
        return [{ type: 'queue.exited', callId, queueId, reason: 'exit-key', key: data[0] ?? '', waitMs: n(3) * 1000, position: n(1), sourceEvent }];
      case 'COMPLETECALLER':
      case 'COMPLETEAGENT':
        if (agentId === undefined || !(n(0) >= 0 && n(1) >= 0)) return undefined;
        return [
          {
            type: 'call.ended',
            callId,
            hungUpBy: event === 'COMPLETECALLER' ? 'caller' : 'agent',
            cause: 'normal',
            queueId,
            agentId,
            talkMs: n(1) * 1000,
            durationMs: (n(0) + n(1)) * 1000,
            sourceEvent,
          },
        ];
      case 'TRANSFER':
      case 'BLINDTRANSFER':
        if (agentId === undefined || data.length < 5 || !(n(3) >= 0)) return undefined;
        return [{ type: 'agent.transferred', callId, queueId, agentId, kind: 'blind', target: data[0] ?? '', ...(data[1] ? { context: data[1] } : {}), talkMs: n(3) * 1000, sourceEvent }];
      case 'ATTENDEDTRANSFER': {
        const talkSec = toInt(data[data.length - 2]);
        if (agentId === undefined || data.length < 4 || !(talkSec >= 0)) return undefined;
        return [{ type: 'agent.transferred', callId, queueId, agentId, kind: 'attended', target: data.slice(0, -3).join('|'), talkMs: talkSec * 1000, sourceEvent }];
      }
      case 'RINGNOANSWER':
        if (agentId === undefined || !(n(0) >= 0)) return undefined;
        return [this.offer(callId, queueId, agentId), { type: 'agent.rona', callId, queueId, agentId, ringMs: n(0), sourceEvent }];
      case 'RINGCANCELED':
        // The caller hung up while this member rang: the ABANDON that follows was while ringing. The record
        // itself has no event of its own here; it is kept verbatim after the offer it implies.
        if (agentId === undefined || !(n(0) >= 0)) return undefined;
        this.ringCancelled.add(callId);
        return [this.offer(callId, queueId, agentId), verbatim(rec)];
      default:
        return this.mapAgent(rec, agentId);
    }
  }

  /** The agent.offered a CONNECT, RINGNOANSWER or RINGCANCELED implies (queue_log does not log offers). */
  private offer(callId: string, queueId: string, agentId: string): Draft {
    const attempt = (this.attempts.get(callId) ?? 0) + 1;
    this.attempts.set(callId, attempt);
    return { type: 'agent.offered', callId, queueId, agentId, attempt };
  }

  /** How long the member rang, from the record: ms on RINGNOANSWER/RINGCANCELED, seconds on CONNECT. */
  private ringMsOf(rec: QueueLogLine): number | undefined {
    if (rec.event === 'CONNECT') return toInt(rec.data[2]) * 1000 || 0;
    if (rec.event === 'RINGNOANSWER' || rec.event === 'RINGCANCELED') return toInt(rec.data[0]) || 0;
    return undefined;
  }

  private mapAgent(rec: QueueLogLine, agentId: string | undefined): Draft[] | undefined {
    if (agentId === undefined) return undefined;
    const known = this.agents.get(agentId) ?? { state: 'logged-out', reason: undefined, queues: new Set<string>() };
    this.agents.set(agentId, known);
    const reason = rec.data[0] ? rec.data[0] : undefined;
    let to: { state: string; reason: string | undefined } | undefined;
    switch (rec.event) {
      case 'AGENTLOGIN':
      case 'AGENTCALLBACKLOGIN':
        to = known.state === 'logged-out' ? { state: 'available', reason: undefined } : undefined;
        break;
      case 'AGENTLOGOFF':
      case 'AGENTCALLBACKLOGOFF':
        known.queues.clear();
        to = { state: 'logged-out', reason: undefined };
        break;
      case 'ADDMEMBER': {
        const first = known.queues.size === 0 && known.state === 'logged-out';
        if (rec.queue !== NONE) known.queues.add(rec.queue);
        to = first ? (rec.data[0] === 'PAUSED' ? { state: 'not-ready', reason: 'paused' } : { state: 'available', reason: undefined }) : undefined;
        break;
      }
      case 'REMOVEMEMBER':
        known.queues.delete(rec.queue);
        to = known.queues.size === 0 ? { state: 'logged-out', reason: undefined } : undefined;
        break;
      case 'PAUSE':
      case 'PAUSEALL':
        to = { state: 'not-ready', reason };
        break;
      case 'UNPAUSE':
      case 'UNPAUSEALL':
        to = { state: 'available', reason };
        break;
      default:
        return undefined;
    }
    // No change (a pause repeated per queue, a login while logged in): kept verbatim, not a state change.
    if (!to || (to.state === known.state && (to.state !== 'not-ready' || to.reason === known.reason))) return undefined;
    const draft: Draft = {
      type: 'agent.state-changed',
      agentId,
      from: known.state,
      to: to.state,
      ...(to.reason !== undefined ? { reason: to.reason } : {}),
      sourceEvent: rec.event,
    };
    known.state = to.state;
    known.reason = to.state === 'not-ready' ? to.reason : undefined;
    return [draft];
  }
}

/** Records after which a call is not offered to agents again (from this queue entry). */
const CALL_DONE = new Set(['ABANDON', 'COMPLETECALLER', 'COMPLETEAGENT', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER']);

function verbatim(rec: QueueLogLine): Draft {
  return { type: 'queue-log.record', event: rec.event, callid: rec.callid, queue: rec.queue, agent: rec.agent, data: [...rec.data] };
}

/** A whole number, or NaN (so that every `>= 0` check fails) for anything else. */
function toInt(text: string | undefined): number {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}
