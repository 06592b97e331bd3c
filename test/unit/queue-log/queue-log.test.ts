import { describe, expect, it } from 'vitest';
import { QueueLogExporter } from '../../../src/adapters/queue-log/queue-log-export.js';
import { QueueLogImporter } from '../../../src/adapters/queue-log/queue-log-import.js';
import { agentIdOf, formatQueueLogLine, parseQueueLogLine, wholeSecondsBetween, type QueueLogLine } from '../../../src/adapters/queue-log/queue-log-line.js';
import type { HotlineEvent } from '../../../src/domain/metrics/events.js';
import { FULL, T0 } from '../metrics/full-fixture.js';

const line = (text: string): QueueLogLine => {
  const l = parseQueueLogLine(text);
  if (typeof l === 'string') throw new Error(l);
  return l;
};

describe('queue_log lines', () => {
  it('parse and format keep every field as written, empty trailing fields included', () => {
    for (const text of ['1714957200|1714957200.10|sales|NONE|ENTERQUEUE||13800138001|1', '1714956900|NONE|NONE|NONE|QUEUESTART|', '1714956900|NONE|NONE|NONE|QUEUESTART', '1|a|b|c|ATTENDEDTRANSFER|BRIDGE|x-y|6|80|1']) {
      expect(formatQueueLogLine(line(text))).toBe(text);
    }
    expect(line('1714957200|c|q|SIP/1001|CONNECT|18|u|3')).toEqual({ epochSec: 1714957200, callid: 'c', queue: 'q', agent: 'SIP/1001', event: 'CONNECT', data: ['18', 'u', '3'] });
    expect(line('1|c|q|a|E\r').event).toBe('E');
  });

  it('says why a line is not a queue_log line', () => {
    expect(parseQueueLogLine('1714957200|c|q|a')).toMatch(/at least 5/);
    expect(parseQueueLogLine('2024-05-06 09:00|c|q|a|CONNECT')).toMatch(/epoch/);
    expect(parseQueueLogLine('1|c|q|a|not an event')).toMatch(/event name/);
  });

  it('agent ids from member names; whole seconds as Asterisk counts them', () => {
    expect(['SIP/1001', 'PJSIP/1001', 'Local/1001@from-queue/n', 'Agent/1001', '1001'].map(agentIdOf)).toEqual(['1001', '1001', '1001', '1001', '1001']);
    expect(agentIdOf('NONE')).toBeUndefined();
    expect(agentIdOf('Zhang Wei')).toBe('Zhang Wei');
    expect(wholeSecondsBetween(999, 1001)).toBe(1); // 0.002 s across a second boundary
    expect(wholeSecondsBetween(1000, 1999)).toBe(0);
  });
});

describe('export of the engine’s events', () => {
  it('writes the queue_log records of every call outcome and agent change, agents as SIP/<id>', () => {
    const exporter = new QueueLogExporter();
    const lines = FULL.flatMap((e) => exporter.push(e)).map((l) => formatQueueLogLine({ ...l, epochSec: l.epochSec - T0 / 1000 }));
    expect(lines).toEqual([
      '0|NONE|NONE|NONE|QUEUESTART|', // imported verbatim record
      '0|NONE|NONE|SIP/a1|AGENTLOGIN|SIP/a1',
      '0|NONE|NONE|SIP/a2|AGENTLOGIN|SIP/a2',
      '20|c1|sales|NONE|ENTERQUEUE||13800000001|1', // url | caller id | position
      '30|c1|sales|SIP/a1|CONNECT|10||5', // hold | bridged channel (unknown) | ring
      '60|c2|support|NONE|ENTERQUEUE||13900000002|1',
      '77|c2|support|SIP/a2|RINGNOANSWER|15000', // ring time in ms
      '77|NONE|NONE|SIP/a2|PAUSE|rona',
      '90|c2|support|NONE|ABANDON|1|1|30', // position | original position | wait
      '130|c1|sales|SIP/a1|COMPLETEAGENT|10|100|1', // hold | talk | original position
      '137|NONE|NONE|SIP/a2|UNPAUSE|',
      '205|c3|sales|NONE|ENTERQUEUE||13800000001|1',
      '207|c3|sales|SIP/a1|RINGNOANSWER|1000', // a decline, as Asterisk logs a busy member
      '265|c3|sales|NONE|EXITWITHTIMEOUT|1|1|60',
      '302|c4|support|NONE|ENTERQUEUE||13700000004|1',
      '306|c4|support|SIP/a2|CONNECT|4||3',
      '366|c4|support|SIP/a2|TRANSFER|8001|from-internal|4|60|1', // no COMPLETE after a transfer
      '501|c5|sales|NONE|ENTERQUEUE||anonymous|1',
      '504|c5|sales|NONE|ABANDON|1|1|3',
      '601|c6|sales|NONE|ENTERQUEUE||13500000006|1',
      '621|c6|sales|SIP/a1|CONNECT|20||6',
      '700|c7|support|NONE|ENTERQUEUE||13600000007|1',
      '703|c7|support|SIP/a2|CONNECT|3||2',
      '763|c7|support|SIP/a2|COMPLETEAGENT|3|60|1',
      '1000|NONE|NONE|SIP/a1|PAUSE|break',
      '1900|NONE|NONE|SIP/a1|UNPAUSE|',
      '2000|NONE|NONE|SIP/a2|AGENTLOGOFF|SIP/a2|2000', // logged in for 2000 s
    ]);
  });

  it('a hang-up while ringing an agent: RINGCANCELED then ABANDON; a system hang-up in queue: ABANDON', () => {
    const x = new QueueLogExporter();
    const t = T0;
    const evs: HotlineEvent[] = [
      { time: '', ts: t, type: 'queue.joined', callId: 'x', queueId: 'q', position: 2, priority: 0 },
      { time: '', ts: t + 5000, type: 'agent.offered', callId: 'x', queueId: 'q', agentId: '1001', attempt: 1 },
      { time: '', ts: t + 9200, type: 'call.abandoned', callId: 'x', queueId: 'q', waitMs: 9200, whileRinging: true, position: 1 },
      { time: '', ts: t, type: 'queue.joined', callId: 'y', queueId: 'q', position: 3, priority: 0 },
      { time: '', ts: t + 42_000, type: 'call.ended', callId: 'y', hungUpBy: 'system', cause: 'shutdown', queueId: 'q', durationMs: 50_000 },
      { time: '', ts: t + 50_000, type: 'queue.exited', callId: 'z', queueId: 'q', reason: 'exit-key', key: '0', waitMs: 12_000, position: 1 },
    ];
    expect(evs.flatMap((e) => x.push(e)).map((l) => `${l.event}|${l.agent}|${l.data.join('|')}`)).toEqual([
      'ENTERQUEUE|NONE|||2', // no call.offered seen: empty caller id
      'RINGCANCELED|SIP/1001|4200',
      'ABANDON|NONE|1|2|9',
      'ENTERQUEUE|NONE|||3',
      'ABANDON|NONE|3|3|42',
      'EXITWITHKEY|NONE|0|1|1|12',
    ]);
  });
});

describe('import', () => {
  const importAll = (texts: string[]): HotlineEvent[] => {
    const imp = new QueueLogImporter();
    return texts.flatMap((t) => imp.push(line(t)));
  };

  it('an answered call: call.offered with the caller id, queue.joined, the offer implied by CONNECT, the answer, the end', () => {
    const evs = importAll([
      '1714957200|u1|sales|NONE|ENTERQUEUE||13800138001|1',
      '1714957218|u1|sales|SIP/1001|CONNECT|18|u2|3',
      '1714957343|u1|sales|SIP/1001|COMPLETEAGENT|18|125|1',
    ]);
    expect(evs.map((e) => [e.type, e.ts / 1000, e.imported, e.importedFrom, e.sourceEvent])).toEqual([
      ['call.offered', 1714957200, true, 'queue_log', undefined],
      ['queue.joined', 1714957200, true, 'queue_log', 'ENTERQUEUE'],
      ['agent.offered', 1714957215, true, 'queue_log', undefined], // when the ring began: CONNECT − ring time
      ['call.answered', 1714957218, true, 'queue_log', 'CONNECT'],
      ['call.ended', 1714957343, true, 'queue_log', 'COMPLETEAGENT'],
    ]);
    expect(evs[0]).toMatchObject({ callId: 'u1', from: '13800138001', to: '' });
    expect(evs[3]).toMatchObject({ agentId: '1001', waitMs: 18_000, ringMs: 3_000, queueLog: { data: ['18', 'u2', '3'] } }); // the bridged id is kept
    expect(evs[4]).toMatchObject({ hungUpBy: 'agent', talkMs: 125_000, durationMs: 143_000, agentId: '1001' });
    expect(evs[4]?.queueLog).toBeUndefined(); // everything derivable: nothing stored twice
  });

  it('agents: one state change per real change; per-queue repeats and unknown records kept verbatim', () => {
    const evs = importAll([
      '100|MANAGER|sales|PJSIP/1002|ADDMEMBER|',
      '100|MANAGER|support|PJSIP/1002|ADDMEMBER|',
      '200|NONE|NONE|PJSIP/1002|PAUSEALL|lunch',
      '200|NONE|sales|PJSIP/1002|PAUSE|lunch',
      '300|NONE|NONE|PJSIP/1002|UNPAUSEALL|',
      '400|MANAGER|sales|PJSIP/1002|REMOVEMEMBER|',
      '400|MANAGER|support|PJSIP/1002|REMOVEMEMBER|',
      '500|NONE|NONE|NONE|CONFIGRELOAD|',
    ]);
    expect(evs.map((e) => (e.type === 'agent.state-changed' ? `${e.from}>${e.to}${e.reason ? `:${e.reason}` : ''}` : e.type === 'queue-log.record' ? `record ${e.event}` : e.type))).toEqual([
      'logged-out>available',
      'record ADDMEMBER',
      'available>not-ready:lunch',
      'record PAUSE',
      'not-ready>available',
      'record REMOVEMEMBER', // still a member of support
      'available>logged-out',
      'record CONFIGRELOAD',
    ]);
  });

  it('an abandon after RINGCANCELED was while ringing; unparseable numbers keep the record verbatim', () => {
    const evs = importAll(['10|u|q|NONE|ENTERQUEUE||139|1', '19|u|q|SIP/1003|RINGCANCELED|4200', '19|u|q|NONE|ABANDON|1|1|9', '20|v|q|SIP/1|CONNECT|x|y|z']);
    expect(evs.find((e) => e.type === 'call.abandoned')).toMatchObject({ whileRinging: true, waitMs: 9000 });
    expect(evs.find((e) => e.type === 'agent.offered')).toMatchObject({ agentId: '1003', ts: 14_800 });
    expect(evs[evs.length - 1]).toMatchObject({ type: 'queue-log.record', event: 'CONNECT', data: ['x', 'y', 'z'] });
  });
});
