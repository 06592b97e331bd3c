/**
 * One line of Asterisk's queue_log file:
 *
 *   epoch|callid|queue|agent|EVENT|data1|data2|...
 *
 * `epoch` is whole seconds since the Unix epoch, `callid` the caller channel's unique id (or NONE, MANAGER,
 * REALTIME …), `queue` the queue name (or NONE), `agent` the member name (SIP/1001, Local/1001@agents/n,
 * Agent/1001 …, or NONE), then the event name and its data fields, whose number varies by event and version.
 * Fields are kept as the strings they are so a line can be written back byte for byte.
 */

export interface QueueLogLine {
  epochSec: number;
  callid: string;
  queue: string;
  agent: string;
  event: string;
  data: string[];
}

/** What hotline writes in the agent field: `SIP/<agentId>`, the member name of a SIP phone in queues.conf. */
export function defaultAgentInterface(agentId: string): string {
  return `SIP/${agentId}`;
}

export const NONE = 'NONE';

/** The line, or why it is not a queue_log line. */
export function parseQueueLogLine(line: string): QueueLogLine | string {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const fields = text.split('|');
  if (fields.length < 5) return `expected at least 5 |-separated fields (epoch|callid|queue|agent|EVENT), got ${fields.length}`;
  const [epoch = '', callid = '', queue = '', agent = '', event = ''] = fields;
  if (!/^\d{1,12}$/.test(epoch)) return `epoch "${epoch}" is not whole seconds since 1970`;
  if (!/^[A-Z][A-Z0-9_]*$/i.test(event)) return `event name "${event}" is not a queue_log event`;
  return { epochSec: Number(epoch), callid, queue, agent, event, data: fields.slice(5) };
}

export function formatQueueLogLine(l: QueueLogLine): string {
  return [String(l.epochSec), l.callid, l.queue, l.agent, l.event, ...l.data].join('|');
}

/**
 * hotline's agent id in a member name: the part after the channel technology and before any `@context` or
 * `/n` suffix (SIP/1001, PJSIP/1001, Local/1001@from-queue/n, Agent/1001 → 1001). A name without a
 * technology (Asterisk 12+ writes agent ids alone on AGENTLOGIN) is the id itself. NONE → undefined.
 */
export function agentIdOf(agent: string): string | undefined {
  if (agent === '' || agent === NONE) return undefined;
  const m = /^[A-Za-z][A-Za-z0-9_]*\/([^@/]+)/.exec(agent);
  return m?.[1] ?? agent;
}

/** Whole seconds between two instants as Asterisk logs them: the difference of their whole-second epochs. */
export function wholeSecondsBetween(startMs: number, endMs: number): number {
  return Math.floor(endMs / 1000) - Math.floor(startMs / 1000);
}
