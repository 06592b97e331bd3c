/** `hotline serve`: load and check everything, start, and close in order on SIGINT/SIGTERM. */
import { pino } from 'pino';
import { ConfigError, formatProblem, isLoopback, loadConfig, usesSamplePasswords } from '../config/load-config.js';
import { createHotline, StartupError } from '../main.js';

export async function serveCommand(): Promise<number> {
  let config;
  try {
    config = await loadConfig(process.env, process.cwd());
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`${formatProblem(p)}\n`);
      return 1;
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, base: { app: 'hotline' }, redact: ['password', '*.password', 'authorization', '*.authorization'] });
  const samples = usesSamplePasswords(config);
  if (samples.length > 0 && !isLoopback(config.sip.host)) {
    logger.warn({ agents: samples, sipHost: config.sip.host }, 'sample agent passwords (secret-NNNN) are in use on a non-loopback address: change them in config/agents.yaml');
  }
  let hotline;
  try {
    hotline = await createHotline(config, logger);
    await hotline.start();
  } catch (err) {
    if (err instanceof StartupError) {
      for (const line of err.lines) process.stderr.write(`${line}\n`);
      await hotline?.close();
      return 1;
    }
    logger.fatal({ err }, 'start-up failed');
    await hotline?.close();
    return 1;
  }
  const started = hotline;
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await started.close();
  return 0;
}
