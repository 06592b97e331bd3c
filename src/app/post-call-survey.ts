/**
 * The post-call satisfaction survey (CSAT): when the agent hangs up first on a queue that has `survey`, the
 * caller stays on the line and hears the question; a key 1–5 (during it or within `timeoutSec` after) is the
 * score, emitted as `csat.scored`, then thanks and goodbye. Any other key, or none, asks again up to
 * `maxAttempts`; then the engine hangs up without a score. The caller may hang up at any time.
 *
 *   ask ──key 1–5──► scored ──thanks──► hang up
 *    │ ▲
 *    │ └─ other key / timeout (attempts left)
 *    └──── other key / timeout (no attempts left) ──► hang up (no score)
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { SurveyConfig } from '../domain/acd/model.js';
import type { CallLeg } from '../ports/call-control.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { Emit } from './events.js';

export interface SurveyDeps {
  clock: Clock;
  emit: Emit;
  logger: Logger;
  promptsDir: string;
}

export interface SurveyCall {
  callId: string;
  queueId: string;
  agentId: string;
  /** The caller's prompt language (zh, en ...). */
  language: string;
  survey: SurveyConfig;
}

export type SurveyOutcome = { kind: 'scored'; score: number } | { kind: 'no-score' } | { kind: 'hung-up' };

const SCORE = /^[1-5]$/;

/** Runs the survey on the caller's leg (already unbridged: the agent's leg is gone) and hangs up at the end. */
export async function runPostCallSurvey(deps: SurveyDeps, leg: CallLeg, call: SurveyCall): Promise<SurveyOutcome> {
  const log = deps.logger.child({ callId: call.callId, component: 'survey' });
  const file = (p: string): string => path.resolve(deps.promptsDir, p.replaceAll('{lang}', call.language));
  let pending: ((digit: string | undefined) => void) | undefined;
  let typed: string | undefined;
  leg.onDtmf((ev) => {
    if (pending) {
      const resolve = pending;
      pending = undefined;
      resolve(ev.digit);
    } else if (typed === undefined) typed = ev.digit; // pressed during the question (barge-in)
  });
  const hungUp = new Promise<undefined>((resolve) => leg.onHangup(() => resolve(undefined)));

  const nextKey = (): Promise<string | undefined> => {
    if (typed !== undefined) {
      const d = typed;
      typed = undefined;
      return Promise.resolve(d);
    }
    let timer: TimerHandle | undefined;
    const key = new Promise<string | undefined>((resolve) => {
      pending = resolve;
      timer = deps.clock.setTimer(call.survey.timeoutSec * 1000, () => {
        pending = undefined;
        resolve(undefined);
      });
    });
    return Promise.race([key, hungUp]).finally(() => {
      timer?.cancel();
      pending = undefined;
    });
  };

  for (let attempt = 1; attempt <= call.survey.maxAttempts; attempt += 1) {
    if (leg.ended) return { kind: 'hung-up' };
    typed = undefined;
    const played = await leg.play([file(call.survey.askPrompt)], { bargeIn: true });
    if (played === 'hangup' || leg.ended) return { kind: 'hung-up' };
    const digit = await nextKey();
    if (leg.ended) return { kind: 'hung-up' };
    if (digit !== undefined && SCORE.test(digit)) {
      const score = Number(digit);
      deps.emit({ type: 'csat.scored', callId: call.callId, queueId: call.queueId, agentId: call.agentId, score });
      log.info({ score, attempt }, 'survey scored');
      await leg.play([file(call.survey.thanksPrompt)]);
      await leg.hangup('survey-done');
      return { kind: 'scored', score };
    }
    log.info({ attempt, key: digit ?? null }, digit === undefined ? 'survey: no key' : 'survey: not a score');
  }
  await leg.hangup('survey-no-score');
  return { kind: 'no-score' };
}
