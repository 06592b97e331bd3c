import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { SafetyNet, safetyNetCommands } from '../../../src/adapters/telephony/drachtio-freeswitch/safety-net.js';
import { captureLogger, flush } from './fakes.js';

const UUID = '5b1e8a4c-2f0d-4c55-9f43-0c2b1d7f6a01';

describe('safety-net hang-up', () => {
  it('a renewal deletes the channel task group, then schedules a new hang-up', () => {
    expect(safetyNetCommands(UUID, 300)).toEqual([`sched_del ${UUID}`, `sched_hangup +300 ${UUID} ALLOTTED_TIMEOUT`]);
  });

  it('renews every third of the horizon while watched, and stops with the call', async () => {
    const clock = new ManualClock(0);
    const apis: string[] = [];
    const net = new SafetyNet({ api: async (c) => (apis.push(c), '+OK\n'), clock, horizonSec: 300, logger: captureLogger().logger });
    const watch = net.watch(UUID);
    clock.advance(99_999);
    await flush();
    expect(apis).toEqual([]); // the dialplan scheduled the first one as the channel was created
    clock.advance(1);
    await flush();
    expect(apis).toEqual(safetyNetCommands(UUID, 300));
    clock.advance(100_000);
    await flush();
    expect(apis).toHaveLength(4);
    watch.stop();
    clock.advance(1_000_000);
    await flush();
    expect(apis).toHaveLength(4);
    expect(clock.timerCount).toBe(0);
  });

  it('logs a failed renewal and keeps trying', async () => {
    const clock = new ManualClock(0);
    const { logger, lines } = captureLogger();
    let calls = 0;
    const net = new SafetyNet({
      api: async (c) => {
        calls += 1;
        if (c.startsWith('sched_hangup') && calls < 3) return '-ERR No Such Channel!\n';
        if (calls === 3) throw new Error('timeout');
        return '+OK\n';
      },
      clock,
      horizonSec: 30,
      logger,
    });
    net.watch(UUID);
    clock.advance(10_000);
    await flush();
    clock.advance(10_000);
    await flush();
    clock.advance(10_000);
    await flush();
    expect(lines.map((l) => l['msg'])).toEqual(['safety-net hang-up not renewed', 'safety-net hang-up renewal failed']);
    expect(calls).toBe(5);
  });
});
