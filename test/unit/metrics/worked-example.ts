/**
 * The worked example as events: 100 calls offered to one queue; 80 answered, 68 of them within 20 s;
 * 20 abandoned, 12 within 20 s, 6 of those within 5 s.
 */
import { stampEvent, type HotlineEvent } from '../../../src/domain/metrics/events.js';

export const WORKED_START_MS = Date.parse('2024-05-06T01:00:00.000Z'); // Monday 09:00 in Asia/Shanghai

export function workedExample(): HotlineEvent[] {
  const events: HotlineEvent[] = [];
  const waits: Array<{ kind: 'answered' | 'abandoned'; waitMs: number }> = [];
  for (let i = 0; i < 68; i++) waits.push({ kind: 'answered', waitMs: (i % 21) * 1000 }); // 0 … 20 s: within
  for (let i = 0; i < 12; i++) waits.push({ kind: 'answered', waitMs: 20_001 + i * 3000 }); // after T
  for (let i = 0; i < 6; i++) waits.push({ kind: 'abandoned', waitMs: 1000 + i * 800 }); // ≤ 5 s
  for (let i = 0; i < 6; i++) waits.push({ kind: 'abandoned', waitMs: 5_001 + i * 2500 }); // 5 s < w ≤ 20 s
  for (let i = 0; i < 8; i++) waits.push({ kind: 'abandoned', waitMs: 25_000 + i * 5000 }); // after T
  waits.forEach((w, i) => {
    const callId = `w${String(i).padStart(3, '0')}`;
    const joinMs = WORKED_START_MS + i * 30_000;
    const outcomeMs = joinMs + w.waitMs;
    events.push(stampEvent({ type: 'call.offered', callId, from: `1390000${String(i).padStart(4, '0')}`, to: '4008208820', flowId: 'main' }, joinMs - 5000));
    events.push(stampEvent({ type: 'queue.joined', callId, queueId: 'sales', position: 1, priority: 0 }, joinMs));
    if (w.kind === 'answered') {
      events.push(stampEvent({ type: 'call.answered', callId, queueId: 'sales', agentId: 'a1', waitMs: w.waitMs, ringMs: 2000 }, outcomeMs));
    } else {
      events.push(stampEvent({ type: 'call.abandoned', callId, queueId: 'sales', waitMs: w.waitMs, whileRinging: false, position: 1 }, outcomeMs));
    }
  });
  return events.sort((a, b) => a.ts - b.ts);
}
