/**
 * The safety-net hang-up. After an overload FreeSWITCH was seen keeping channels whose controller was gone;
 * every channel we create therefore carries a hang-up scheduled in FreeSWITCH itself (the dialplan schedules
 * the first one, +X-Hotline-Safety-Sec, as the channel is created), and we push it forward while the call is
 * alive. If this process dies or loses the channel, FreeSWITCH hangs it up within `horizonSec`.
 *
 * FreeSWITCH's scheduler groups a channel's hang-up tasks under its uuid (switch_ivr_schedule_hangup), and a
 * new sched_hangup adds a task without removing the old one, so a renewal deletes the group first.
 */
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../../ports/clock.js';
import { describeError } from './errors.js';
import { isApiOk } from './fs-messages.js';

export type ApiRunner = (command: string) => Promise<string>;

/** The two API commands of one renewal. */
export function safetyNetCommands(uuid: string, horizonSec: number): [string, string] {
  return [`sched_del ${uuid}`, `sched_hangup +${horizonSec} ${uuid} ALLOTTED_TIMEOUT`];
}

export interface SafetyNetOptions {
  api: ApiRunner;
  clock: Pick<Clock, 'setTimer'>;
  horizonSec: number;
  logger: Logger;
}

export interface SafetyNetWatch {
  stop(): void;
}

export class SafetyNet {
  private readonly renewEveryMs: number;

  constructor(private readonly opts: SafetyNetOptions) {
    // Renew at a third of the horizon: two renewals may fail (FreeSWITCH busy) before the hang-up is due.
    this.renewEveryMs = Math.max(1000, Math.floor((opts.horizonSec * 1000) / 3));
  }

  get horizonSec(): number {
    return this.opts.horizonSec;
  }

  /** Keeps pushing the channel's scheduled hang-up forward until stop(). */
  watch(uuid: string, log: Logger = this.opts.logger): SafetyNetWatch {
    let timer: TimerHandle | undefined;
    let stopped = false;
    const schedule = (): void => {
      timer = this.opts.clock.setTimer(this.renewEveryMs, () => {
        if (stopped) return;
        this.renew(uuid, log).finally(() => {
          if (!stopped) schedule();
        }).catch(() => undefined);
      });
    };
    schedule();
    return {
      stop: () => {
        stopped = true;
        timer?.cancel();
      },
    };
  }

  /** One renewal; never rejects (a failure is logged and the next renewal tries again). */
  async renew(uuid: string, log: Logger = this.opts.logger): Promise<boolean> {
    const [del, add] = safetyNetCommands(uuid, this.opts.horizonSec);
    try {
      await this.opts.api(del);
      const res = await this.opts.api(add);
      if (!isApiOk(res)) {
        log.warn({ uuid, response: res.trim() }, 'safety-net hang-up not renewed');
        return false;
      }
      return true;
    } catch (err) {
      log.warn({ uuid, err: describeError(err) }, 'safety-net hang-up renewal failed');
      return false;
    }
  }
}
