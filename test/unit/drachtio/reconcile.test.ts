import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseShowChannels } from '../../../src/adapters/telephony/drachtio-freeswitch/fs-messages.js';
import {
  INSTANCE_VARIABLE,
  candidatesForOwnerLookup,
  planReconciliation,
  reconcileChannels,
} from '../../../src/adapters/telephony/drachtio-freeswitch/reconcile.js';

const fixture = (name: string): string => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const rows = parseShowChannels(fixture('fs-show-channels.json'))!;
const [A, B, C] = rows.map((r) => r.uuid) as [string, string, string];
// A created at ...521, B at ...440, C at ...518 (epoch seconds).
const NOW = 1795481521 + 60;

describe('reconciliation plan', () => {
  it('looks up the owners of unknown channels older than the grace period only', () => {
    expect(candidatesForOwnerLookup({ rows, known: new Set([A]), nowSec: NOW, graceSec: 30 })).toEqual([B, C]);
    // Ages: A 60 s, B 141 s, C 63 s. A 62 s grace lets B and C through, a 100 s grace only B.
    expect(candidatesForOwnerLookup({ rows, known: new Set(), nowSec: NOW, graceSec: 62 })).toEqual([B, C]);
    expect(candidatesForOwnerLookup({ rows, known: new Set(), nowSec: NOW, graceSec: 100 })).toEqual([B]);
  });

  it("kills our orphans, leaves other instances' channels, reports what FreeSWITCH lost", () => {
    const plan = planReconciliation(
      { rows, known: new Set([A, 'gone-uuid']), nowSec: NOW, graceSec: 30 },
      new Map([
        [B, 'app-1'],
        [C, 'app-2'],
      ]),
      'app-1',
    );
    expect(plan).toEqual({ kill: [B], lost: ['gone-uuid'] });
  });
});

describe('reconciliation run', () => {
  it('lists, asks each unknown channel its owner, kills ours; a channel that ended meanwhile is not lost', async () => {
    const apis: string[] = [];
    let known = new Set([A, 'ended-meanwhile', 'really-lost']);
    const result = await reconcileChannels({
      api: async (cmd) => {
        apis.push(cmd);
        if (cmd === 'show channels as json') {
          known = new Set([A, 'really-lost']); // 'ended-meanwhile' hung up while we listed
          return fixture('fs-show-channels.json');
        }
        if (cmd === `uuid_getvar ${B} ${INSTANCE_VARIABLE}`) return 'app-1';
        if (cmd === `uuid_getvar ${C} ${INSTANCE_VARIABLE}`) return '_undef_';
        if (cmd.startsWith('uuid_kill')) return '+OK\n';
        throw new Error(`unexpected ${cmd}`);
      },
      known: () => known,
      nowSec: () => NOW,
      graceSec: 30,
      instanceId: 'app-1',
    });
    expect(result).toEqual({ killed: [B], lost: ['really-lost'], channelsOnServer: 3 });
    expect(apis).toEqual(['show channels as json', `uuid_getvar ${B} ${INSTANCE_VARIABLE}`, `uuid_getvar ${C} ${INSTANCE_VARIABLE}`, `uuid_kill ${B}`]);
  });

  it('fails clearly on an unreadable channel list', async () => {
    await expect(
      reconcileChannels({ api: async () => '-ERR', known: () => new Set(), nowSec: () => NOW, graceSec: 30, instanceId: 'x' }),
    ).rejects.toThrow(/show channels/);
  });
});
