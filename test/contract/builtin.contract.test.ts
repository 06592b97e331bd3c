/** The telephony contract on the built-in engine (our SIP stack + the worker media engine), every npm test. */
import { pino } from 'pino';
import { BuiltinCallControl } from '../../src/adapters/telephony/builtin/builtin-call-control.js';
import { WorkerMediaEngine } from '../../src/adapters/telephony/builtin/media/worker-media-engine.js';
import { G711SdpNegotiator } from '../../src/adapters/telephony/builtin/media/sdp.js';
import { portBlock } from '../support/ports.js';
import { describeCallControlContract } from './call-control.contract.js';

describeCallControlContract('builtin', async () => {
  const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const rtp = portBlock(200, 20000, 30000);
  // As src/main.ts builds it.
  const media = new WorkerMediaEngine({ host: '127.0.0.1', portMin: rtp.min, portMax: rtp.max, logger: logger.child({ component: 'media' }) });
  const cc = new BuiltinCallControl({ sip: { host: '127.0.0.1', port: 0, udp: true, tcp: true }, logger, media, sdp: new G711SdpNegotiator() });
  return { callControl: cc, sipAddress: () => ({ host: '127.0.0.1', port: cc.port }) };
});
