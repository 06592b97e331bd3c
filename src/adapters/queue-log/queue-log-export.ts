/**
 * Business events → Asterisk queue_log lines (the mapping table is in docs/events.md, "queue_log"). Stateful:
 * some queue_log fields (original position, caller id, hold time) come from earlier events of the call, so
 * feed every event in log order.
 *
 * Imported events (importedFrom: 'queue_log') give back exactly the record they came from: the event with
 * `sourceEvent` is written as that event name, with the `queueLog` override applied over the derived fields;
 * helper events of an import (the call.offered made for an ENTERQUEUE) write nothing.
 */
import type { AgentStateChanged, CallAbandoned, CallAnswered, CallEnded, AgentTransferred, HotlineEvent, QueueExited } from '../../domain/metrics/events.js';
import { defaultAgentInterface, NONE, wholeSecondsBetween, type QueueLogLine } from './queue-log-line.js';

interface CallState {
  from?: string;
  joinedTs?: number;
  joinedPosition?: number;
  waiting: boolean;
  answered?: { ts: number; waitMs: number };
  ringing?: { agentId: string; ts: number };
}

type Fields = Omit<QueueLogLine, 'epochSec'>;

export interface QueueLogExporterOptions {
  /** The agent field for an agent id (default `SIP/<agentId>`). */
  agentInterface?: (agentId: string) => string;
}

export class QueueLogExporter {
  private readonly calls = new Map<string, CallState>();
  private readonly loginTs = new Map<string, number>();
  private readonly iface: (agentId: string) => string;

  constructor(opts: QueueLogExporterOptions = {}) {
    this.iface = opts.agentInterface ?? defaultAgentInterface;
  }

  /** The queue_log lines an event stands for (none, one, or two). */
  push(ev: HotlineEvent): QueueLogLine[] {
    const epochSec = Math.floor(ev.ts / 1000);
    let fields: Fields[];
    if (ev.type === 'queue-log.record') {
      fields = [{ callid: ev.callid, queue: ev.queue, agent: ev.agent, event: ev.event, data: [...ev.data] }];
    } else if (ev.importedFrom === 'queue_log') {
      const one = ev.sourceEvent === undefined ? undefined : this.asEvent(ev.sourceEvent, ev);
      fields = one ? [{ ...one, ...ev.queueLog, data: ev.queueLog?.data ? [...ev.queueLog.data] : one.data }] : [];
    } else {
      fields = this.native(ev);
    }
    this.track(ev);
    return fields.map((f) => ({ epochSec, ...f }));
  }

  /** The lines the engine's own events stand for. */
  private native(ev: HotlineEvent): Fields[] {
    switch (ev.type) {
      case 'queue.joined':
        return [this.enterQueue(ev.callId, ev.queueId, ev.position)];
      case 'agent.rona':
        return [this.line(ev.callId, ev.queueId, this.iface(ev.agentId), 'RINGNOANSWER', [String(ev.ringMs)])];
      case 'agent.declined': {
        // Asterisk logs a member that is busy or refuses the same way as one that does not answer.
        const ring = this.calls.get(ev.callId)?.ringing;
        const ringMs = ring && ring.agentId === ev.agentId ? ev.ts - ring.ts : 0;
        return [this.line(ev.callId, ev.queueId, this.iface(ev.agentId), 'RINGNOANSWER', [String(ringMs)])];
      }
      case 'call.answered':
        return [this.connect(ev)];
      case 'call.abandoned': {
        const ring = this.calls.get(ev.callId)?.ringing;
        const cancelled = ev.whileRinging && ring ? [this.line(ev.callId, ev.queueId, this.iface(ring.agentId), 'RINGCANCELED', [String(ev.ts - ring.ts)])] : [];
        return [...cancelled, this.abandon(ev)];
      }
      case 'queue.exited':
        return [this.exit(ev, EXIT_EVENT[ev.reason])];
      case 'agent.transferred':
        return [this.transfer(ev, ev.kind === 'attended' ? 'ATTENDEDTRANSFER' : 'TRANSFER')];
      case 'call.ended': {
        const call = this.calls.get(ev.callId);
        if (call?.waiting && ev.queueId !== undefined) return [this.abandonOnEnd(ev, call)];
        if (call?.answered && ev.agentId !== undefined && ev.queueId !== undefined) return [this.complete(ev, ev.hungUpBy === 'caller' ? 'COMPLETECALLER' : 'COMPLETEAGENT')];
        return [];
      }
      case 'agent.state-changed':
        return this.agentChange(ev);
      default:
        return [];
    }
  }

  /** An imported event written as the queue_log event it came from. */
  private asEvent(name: string, ev: HotlineEvent): Fields | undefined {
    switch (ev.type) {
      case 'queue.joined':
        return name === 'ENTERQUEUE' ? this.enterQueue(ev.callId, ev.queueId, ev.position) : undefined;
      case 'call.answered':
        return this.connect(ev, name);
      case 'call.abandoned':
        return this.abandon(ev, name);
      case 'queue.exited':
        return this.exit(ev, name);
      case 'call.ended':
        return this.complete(ev, name);
      case 'agent.transferred':
        return this.transfer(ev, name);
      case 'agent.rona':
        return this.line(ev.callId, ev.queueId, this.iface(ev.agentId), name, [String(ev.ringMs)]);
      case 'agent.state-changed':
        return this.agentLine(ev, name);
      default:
        return undefined;
    }
  }

  private enterQueue(callId: string, queueId: string, position: number): Fields {
    // url | caller id | position, as Asterisk 1.8+ writes it.
    return this.line(callId, queueId, NONE, 'ENTERQUEUE', ['', this.calls.get(callId)?.from ?? '', String(position)]);
  }

  private connect(ev: CallAnswered, name = 'CONNECT'): Fields {
    // hold time | bridged channel unique id (not ours to know: empty) | ring time, in whole seconds.
    const hold = wholeSecondsBetween(ev.ts - ev.waitMs, ev.ts);
    return this.line(ev.callId, ev.queueId, this.iface(ev.agentId), name, [String(hold), '', String(Math.floor(ev.ringMs / 1000))]);
  }

  private abandon(ev: CallAbandoned, name = 'ABANDON'): Fields {
    const wait = wholeSecondsBetween(ev.ts - ev.waitMs, ev.ts);
    return this.line(ev.callId, ev.queueId, NONE, name, [String(ev.position), String(this.origPosition(ev.callId, ev.position)), String(wait)]);
  }

  /** A caller gone from the queue without another outcome: Asterisk cannot tell who hung up and logs ABANDON. */
  private abandonOnEnd(ev: CallEnded, call: CallState): Fields {
    const pos = call.joinedPosition ?? 1;
    const wait = call.joinedTs === undefined ? 0 : wholeSecondsBetween(call.joinedTs, ev.ts);
    return this.line(ev.callId, ev.queueId ?? NONE, NONE, 'ABANDON', [String(pos), String(pos), String(wait)]);
  }

  private exit(ev: QueueExited, name: string): Fields {
    const wait = wholeSecondsBetween(ev.ts - ev.waitMs, ev.ts);
    const common = [String(ev.position), String(this.origPosition(ev.callId, ev.position)), String(wait)];
    const data = name === 'EXITWITHKEY' ? [ev.key ?? '', ...common] : name === 'WITHDRAW' ? [...common, ''] : common;
    return this.line(ev.callId, ev.queueId, NONE, name, data);
  }

  private complete(ev: CallEnded, name: string): Fields {
    const talkMs = ev.talkMs ?? 0;
    const data = [String(this.holdSec(ev.callId, ev.ts, talkMs, ev.durationMs)), String(wholeSecondsBetween(ev.ts - talkMs, ev.ts)), String(this.origPosition(ev.callId, 1))];
    return this.line(ev.callId, ev.queueId ?? NONE, ev.agentId ? this.iface(ev.agentId) : NONE, name, data);
  }

  private transfer(ev: AgentTransferred, name: string): Fields {
    const hold = String(this.holdSec(ev.callId, ev.ts, ev.talkMs, ev.talkMs));
    const talk = String(wholeSecondsBetween(ev.ts - ev.talkMs, ev.ts));
    const pos = String(this.origPosition(ev.callId, 1));
    // Attended: the transfer description (BRIDGE|<id>, APP|<name> …) stands where a blind one has extension|context.
    const head = name === 'ATTENDEDTRANSFER' ? ev.target.split('|') : [ev.target, ev.context ?? ''];
    return this.line(ev.callId, ev.queueId, this.iface(ev.agentId), name, [...head, hold, talk, pos]);
  }

  private agentChange(ev: AgentStateChanged): Fields[] {
    const { from, to } = ev;
    if (to === from && to !== 'not-ready') return [];
    const out: Fields[] = [];
    if (from === 'logged-out' && to !== 'logged-out') out.push(this.agentLine(ev, 'AGENTLOGIN'));
    if (to === 'logged-out' && from !== 'logged-out') out.push(this.agentLine(ev, 'AGENTLOGOFF'));
    else if (to === 'not-ready') out.push(this.agentLine(ev, 'PAUSE'));
    else if (from === 'not-ready' && to === 'available') out.push(this.agentLine(ev, 'UNPAUSE'));
    return out;
  }

  private agentLine(ev: AgentStateChanged, name: string): Fields {
    const agent = this.iface(ev.agentId);
    switch (name) {
      case 'AGENTLOGIN':
      case 'AGENTCALLBACKLOGIN':
        return this.line(NONE, NONE, agent, name, [agent]);
      case 'AGENTLOGOFF':
      case 'AGENTCALLBACKLOGOFF': {
        const since = this.loginTs.get(ev.agentId);
        return this.line(NONE, NONE, agent, name, [agent, String(since === undefined ? 0 : wholeSecondsBetween(since, ev.ts))]);
      }
      case 'ADDMEMBER':
        return this.line(NONE, NONE, agent, name, [ev.to === 'not-ready' ? 'PAUSED' : '']);
      case 'REMOVEMEMBER':
        return this.line(NONE, NONE, agent, name, ['']);
      default:
        // PAUSE, PAUSEALL, UNPAUSE, UNPAUSEALL: the reason.
        return this.line(NONE, NONE, agent, name, [ev.reason ?? '']);
    }
  }

  private line(callid: string, queue: string, agent: string, event: string, data: string[]): Fields {
    return { callid, queue, agent, event, data };
  }

  private origPosition(callId: string, fallback: number): number {
    return this.calls.get(callId)?.joinedPosition ?? fallback;
  }

  /** Hold time of an answered call: its wait when its answer was seen, else duration − talk. */
  private holdSec(callId: string, ts: number, talkMs: number, durationMs: number): number {
    const answered = this.calls.get(callId)?.answered;
    if (answered) return wholeSecondsBetween(answered.ts - answered.waitMs, answered.ts);
    return Math.max(0, wholeSecondsBetween(ts - durationMs, ts - talkMs));
  }

  /** Remembers what later lines of a call or agent need. */
  private track(ev: HotlineEvent): void {
    switch (ev.type) {
      case 'call.offered':
        this.call(ev.callId).from = ev.from;
        break;
      case 'queue.joined': {
        const c = this.call(ev.callId);
        Object.assign(c, { joinedTs: ev.ts, joinedPosition: ev.position, waiting: true });
        delete c.answered;
        break;
      }
      case 'agent.offered':
        this.call(ev.callId).ringing = { agentId: ev.agentId, ts: ev.ts };
        break;
      case 'agent.rona':
      case 'agent.declined':
        delete this.call(ev.callId).ringing;
        break;
      case 'call.answered': {
        const c = this.call(ev.callId);
        Object.assign(c, { waiting: false, answered: { ts: ev.ts, waitMs: ev.waitMs } });
        delete c.ringing;
        break;
      }
      case 'queue.exited':
      case 'agent.transferred': {
        // The call may go on in the flow (and join a queue again); its caller number is still needed.
        const c = this.call(ev.callId);
        c.waiting = false;
        delete c.answered;
        delete c.ringing;
        break;
      }
      case 'call.abandoned':
      case 'call.ended':
        this.calls.delete(ev.callId);
        break;
      case 'agent.state-changed':
        if (ev.to === 'logged-out') this.loginTs.delete(ev.agentId);
        else if (ev.from === 'logged-out' || !this.loginTs.has(ev.agentId)) this.loginTs.set(ev.agentId, ev.ts);
        break;
      default:
        break;
    }
  }

  private call(callId: string): CallState {
    let c = this.calls.get(callId);
    if (!c) {
      c = { waiting: false };
      this.calls.set(callId, c);
    }
    return c;
  }
}

/** queue_log has no record for a virtual-hold caller given up on or an overflow loop: they leave as timed out. */
const EXIT_EVENT: Record<QueueExited['reason'], string> = {
  'max-wait': 'EXITWITHTIMEOUT',
  'exit-key': 'EXITWITHKEY',
  empty: 'EXITEMPTY',
  full: 'EXITWITHTIMEOUT',
  withdraw: 'WITHDRAW',
  'callback-failed': 'EXITWITHTIMEOUT',
  'callback-expired': 'EXITWITHTIMEOUT',
  'overflow-loop': 'EXITWITHTIMEOUT',
};

/** Event types the exporter reads; a reader may skip the others. */
export const QUEUE_LOG_EVENT_TYPES: ReadonlySet<string> = new Set([
  'call.offered',
  'queue.joined',
  'agent.offered',
  'agent.rona',
  'agent.declined',
  'call.answered',
  'call.abandoned',
  'queue.exited',
  'agent.transferred',
  'call.ended',
  'agent.state-changed',
  'queue-log.record',
]);
