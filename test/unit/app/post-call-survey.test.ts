/** The post-call survey on a fake caller leg with the manual clock: scores, barge-in, retries, hang-ups. */
import { describe, expect, it } from 'vitest';
import { makeEmitter } from '../../../src/app/events.js';
import { runPostCallSurvey, type SurveyOutcome } from '../../../src/app/post-call-survey.js';
import type { SurveyConfig } from '../../../src/domain/acd/model.js';
import { ManualClock } from '../../../src/domain/shared/fake-clock.js';
import { FakeLeg, MemorySink, settle, silentLogger } from '../../support/fakes.js';

const survey: SurveyConfig = { askPrompt: 'acd/{lang}/survey-ask.wav', thanksPrompt: 'acd/{lang}/survey-thanks.wav', timeoutSec: 8, maxAttempts: 2 };

function start(language = 'zh') {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 2));
  const sink = new MemorySink();
  const leg = new FakeLeg('l1');
  let outcome: SurveyOutcome | undefined;
  void runPostCallSurvey({ clock, emit: makeEmitter(sink, clock), logger: silentLogger, promptsDir: '/prompts' }, leg, { callId: 'c1', queueId: 'sales', agentId: '1001', language, survey }).then((o) => (outcome = o));
  return { clock, sink, leg, outcome: () => outcome };
}

describe('post-call survey', () => {
  it('asks in the caller language; a key after the question is the score; thanks; hangs up', async () => {
    const s = start('en');
    await settle();
    expect(s.leg.plays).toEqual([['/prompts/acd/en/survey-ask.wav']]);
    s.leg.finishPlay('done');
    await settle();
    s.leg.press('4');
    await settle();
    expect(s.sink.ofType('csat.scored')).toEqual([expect.objectContaining({ callId: 'c1', queueId: 'sales', agentId: '1001', score: 4 })]);
    expect(s.leg.plays.at(-1)).toEqual(['/prompts/acd/en/survey-thanks.wav']);
    s.leg.finishPlay('done');
    await settle();
    expect(s.leg.hangupCause).toBe('survey-done');
    expect(s.outcome()).toEqual({ kind: 'scored', score: 4 });
  });

  it('a key during the question (barge-in) counts', async () => {
    const s = start();
    await settle();
    s.leg.press('5');
    s.leg.finishPlay('interrupted');
    await settle();
    expect(s.sink.ofType('csat.scored')[0]).toMatchObject({ score: 5 });
  });

  it('a key that is not 1–5, then silence: asked twice, no score, hung up', async () => {
    const s = start();
    await settle();
    s.leg.finishPlay('done');
    await settle();
    s.leg.press('9');
    await settle();
    expect(s.leg.plays).toHaveLength(2);
    s.leg.finishPlay('done');
    await settle();
    s.clock.advance(7_999);
    await settle();
    expect(s.leg.ended).toBe(false);
    s.clock.advance(1);
    await settle();
    expect(s.leg.hangupCause).toBe('survey-no-score');
    expect(s.sink.ofType('csat.scored')).toEqual([]);
    expect(s.outcome()).toEqual({ kind: 'no-score' });
  });

  it('the caller hangs up while asked or while the engine waits: no score, nothing else played', async () => {
    const a = start();
    await settle();
    a.leg.remoteHangup();
    await settle();
    expect(a.outcome()).toEqual({ kind: 'hung-up' });
    const b = start();
    await settle();
    b.leg.finishPlay('done');
    await settle();
    b.leg.remoteHangup();
    await settle();
    expect(b.outcome()).toEqual({ kind: 'hung-up' });
    expect(b.leg.plays).toHaveLength(1);
    expect(b.sink.ofType('csat.scored')).toEqual([]);
  });
});
