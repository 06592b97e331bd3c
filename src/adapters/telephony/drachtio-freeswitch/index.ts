/**
 * The drachtio-freeswitch adapter's entry: main.ts imports this module (dynamically, so the built-in engine
 * never loads drachtio) only when the configuration says `telephony: drachtio-freeswitch`.
 */
import type { Logger } from 'pino';
import type { HotlineConfig } from '../../../config/load-config.js';
import type { Clock } from '../../../ports/clock.js';
import { DrachtioFreeswitchCallControl, type DrachtioFreeswitchOptions } from './drachtio-freeswitch-call-control.js';
import { DfsError } from './errors.js';

export { DrachtioFreeswitchCallControl, type DrachtioFreeswitchOptions } from './drachtio-freeswitch-call-control.js';

/** The adapter's options from the validated configuration (secrets were checked by the config loader). */
export function drachtioFreeswitchOptions(config: HotlineConfig, logger: Logger, clock: Clock): DrachtioFreeswitchOptions {
  const { drachtio, freeswitch, admission } = config;
  if (drachtio.secret === undefined || freeswitch.secret === undefined) {
    throw new DfsError('HOTLINE_E_DFS_NOT_RUNNING', 'drachtio-freeswitch needs drachtio.secret and freeswitch.secret (DRACHTIO_SECRET, FREESWITCH_SECRET)');
  }
  return {
    drachtio: { host: drachtio.host, port: drachtio.port, secret: drachtio.secret, reconnectMaxDelayMs: drachtio.reconnectMaxDelayMs },
    freeswitch: {
      host: freeswitch.host,
      port: freeswitch.port,
      secret: freeswitch.secret,
      listenAddress: freeswitch.listenAddress,
      channelControl: freeswitch.channelControl,
      profile: freeswitch.profile,
      maxChannels: freeswitch.maxChannels,
      safetyHangupSec: freeswitch.safetyHangupSec,
      instanceId: freeswitch.instanceId,
    },
    admission: { ...admission },
    logger,
    clock,
  };
}

export function createDrachtioFreeswitch(config: HotlineConfig, logger: Logger, clock: Clock): DrachtioFreeswitchCallControl {
  return new DrachtioFreeswitchCallControl(drachtioFreeswitchOptions(config, logger, clock));
}
