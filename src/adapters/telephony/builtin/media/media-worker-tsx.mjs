// Starts the TypeScript media worker when the engine runs from sources (vitest, tsx): Node 20 ignores
// `--import tsx` in a worker's execArgv, so the worker registers tsx itself before loading the .ts entry.
// Compiled code (dist/) starts media-worker.js directly and never loads this file.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entryUrl);
