/**
 * The telephony contract on drachtio-server + FreeSWITCH, when live servers are configured:
 *
 *   DRACHTIO_HOST, DRACHTIO_PORT (9022), DRACHTIO_SECRET      drachtio-server's control socket
 *   DRACHTIO_SIP_PORT (5060)                                  where drachtio-server takes SIP, on 127.0.0.1
 *   FREESWITCH_HOST, FREESWITCH_PORT (8021), FREESWITCH_SECRET FreeSWITCH's event socket
 *   FREESWITCH_PROFILE (hotline_mrf)                          the SIP profile of asterisk-or-freeswitch/
 *   HOTLINE_CONTRACT_MEDIA_DIR (the temp dir)                 a directory FreeSWITCH reads and writes at the same path
 *   HOTLINE_RECORD_WIRE (unset)                               a directory: record both servers' messages (record-wire.ts)
 *   FREESWITCH_CHANNEL_CONTROL (both)                         shared-socket or drachtio-fsmrf: run the suite on one only
 *
 * Every peer of the suite runs on 127.0.0.1, so the servers must listen there too (host networking).
 * Without DRACHTIO_HOST and FREESWITCH_HOST the suite is skipped and says so.
 */
import { describe, it } from 'vitest';
import { pino } from 'pino';
import { SystemClock } from '../../src/adapters/clock/system-clock.js';
import { DrachtioFreeswitchCallControl } from '../../src/adapters/telephony/drachtio-freeswitch/index.js';
import type { ChannelControl } from '../../src/adapters/telephony/drachtio-freeswitch/types.js';
import { describeCallControlContract } from './call-control.contract.js';
import { installWireRecorder } from './record-wire.js';

const env = process.env;
const missing = ['DRACHTIO_HOST', 'DRACHTIO_SECRET', 'FREESWITCH_HOST', 'FREESWITCH_SECRET'].filter((name) => !env[name]);

if (missing.length > 0) {
  describe.skip(`CallControl contract: drachtio-freeswitch — SKIPPED: no live servers (set ${missing.join(', ')}; see the header of this file)`, () => {
    it('needs drachtio-server and FreeSWITCH', () => undefined);
  });
} else {
  const port = (name: string, fallback: number): number => {
    const n = Number(env[name] ?? fallback);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a port number, got "${env[name]}"`);
    return n;
  };
  if (env['HOTLINE_RECORD_WIRE']) installWireRecorder(env['HOTLINE_RECORD_WIRE'], port('FREESWITCH_PORT', 8021));
  const only = env['FREESWITCH_CHANNEL_CONTROL'];
  if (only !== undefined && only !== 'shared-socket' && only !== 'drachtio-fsmrf') throw new Error(`FREESWITCH_CHANNEL_CONTROL must be shared-socket or drachtio-fsmrf, got "${only}"`);
  // Both ways of driving FreeSWITCH's channels pass the same contract.
  const controls: ChannelControl[] = only === 'shared-socket' || only === 'drachtio-fsmrf' ? [only] : ['shared-socket', 'drachtio-fsmrf'];
  for (const channelControl of controls) {
    describeCallControlContract(
      `drachtio-freeswitch (${channelControl})`,
      async () => {
        const logger = pino({ level: env['TEST_LOG_LEVEL'] ?? 'silent' });
        const clock = new SystemClock();
        const cc = new DrachtioFreeswitchCallControl({
          drachtio: { host: env['DRACHTIO_HOST']!, port: port('DRACHTIO_PORT', 9022), secret: env['DRACHTIO_SECRET']!, reconnectMaxDelayMs: 2000 },
          freeswitch: {
            host: env['FREESWITCH_HOST']!,
            port: port('FREESWITCH_PORT', 8021),
            secret: env['FREESWITCH_SECRET']!,
            listenAddress: '127.0.0.1',
            channelControl,
            profile: env['FREESWITCH_PROFILE'] ?? 'hotline_mrf',
            maxChannels: 200,
            safetyHangupSec: 120,
            instanceId: 'hotline-contract',
          },
          admission: { maxCallsInSetup: 20, minIdleCpuPct: 5, sessionsPerSecondShare: 0.8, maxEventLoopDelayMs: 1000 },
          logger,
          clock,
          startWaitSec: 15,
        });
        return {
          callControl: cc,
          sipAddress: () => ({ host: '127.0.0.1', port: port('DRACHTIO_SIP_PORT', 5060) }),
          close: async () => clock.close(),
        };
      },
      env['HOTLINE_CONTRACT_MEDIA_DIR'] ? { mediaDir: env['HOTLINE_CONTRACT_MEDIA_DIR'] } : {},
    );
  }
}
