#!/usr/bin/env node
/** `npm run bench -- <name> [--json]`: the one entry for every benchmark. Figures, never pass/fail thresholds. */
import { reportBench } from './report-bench.js';
import { sipBench } from './sip-bench.js';
import { pacingBench } from './pacing-bench.js';
import { drachtioBench } from './drachtio-bench.js';
import { acdBench } from './acd-bench.js';

type Bench = (opts: { json: boolean; args: string[] }) => Promise<unknown>;

const BENCHES: Record<string, { describe: string; run: Bench }> = {
  report: { describe: 'fold a generated event log of 5 million events (--events N) from disk into the 30-minute interval report', run: reportBench },
  acd: { describe: 'one ACD routing decision (caller arrives / agent comes free) at 100 agents/50 waiting and 10,000/5,000, 20 skills ([--decisions=20000])', run: acdBench },
  pacing: { describe: 'RTP frame pacing: setInterval(20) against the media clock\'s absolute deadlines ([--seconds=20])', run: pacingBench },
  sip: { describe: 'SIP call-setup rate (SIPp → engine, beside SIPp → SIPp), RTP send jitter and memory per call in prompt playback', run: sipBench },
  drachtio: { describe: 'drachtio-server + FreeSWITCH: highest clean "answer, play 2 s, hang up" rate, app CPU/call, INVITE→first RTP p99, 1.5× overload (needs DRACHTIO_*/FREESWITCH_*)', run: drachtioBench },
};

/** Options of the benches that take a value as the next word. */
const OPTIONS_WITH_VALUE = new Set(['--events']);

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  // Names are the words that are neither options nor an option's value (`--events 500000`).
  const names = argv.filter((a, i) => !a.startsWith('--') && !(OPTIONS_WITH_VALUE.has(argv[i - 1] ?? '')));
  if (names.length === 0 || names.includes('help')) {
    process.stdout.write(`usage: npm run bench -- <name> [--json]\n\n${Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(10)} ${b.describe}`).join('\n')}\n`);
    return names.length === 0 ? 2 : 0;
  }
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) {
      process.stderr.write(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}\n`);
      return 2;
    }
    const result = await bench.run({ json, args: argv });
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
