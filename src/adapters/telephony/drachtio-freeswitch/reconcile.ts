/**
 * Reconciliation of FreeSWITCH's channel list with the calls we know: a pure plan, and a runner that talks to
 * FreeSWITCH only through the API function it is given. Run when the event-socket connection comes (back) up:
 * - a channel of ours (tagged with our instance id) that we do not know is an orphan: kill it;
 * - a channel we know that FreeSWITCH no longer has is lost: end the call it belongs to.
 * Channels younger than the grace period may be endpoints still being created (FreeSWITCH has the channel,
 * its outbound connection to us is not there yet): they are left alone. Other instances' channels too.
 */
import { DfsError } from './errors.js';
import { getvarValue, isApiOk, parseShowChannels, type FsChannelRow } from './fs-messages.js';

/** The channel variable mod_sofia sets from the X-Hotline-Instance header we put on every media-leg INVITE. */
export const INSTANCE_VARIABLE = 'sip_h_X-Hotline-Instance';

export interface ReconcilePlanInput {
  rows: readonly FsChannelRow[];
  known: ReadonlySet<string>;
  nowSec: number;
  graceSec: number;
}

/** The channels whose owner we must look up (unknown to us, older than the grace period). */
export function candidatesForOwnerLookup(input: ReconcilePlanInput): string[] {
  return input.rows
    .filter((r) => !input.known.has(r.uuid) && input.nowSec - r.createdEpochSec >= input.graceSec)
    .map((r) => r.uuid);
}

export interface ReconcilePlan {
  /** Orphans of this instance: uuid_kill them. */
  kill: string[];
  /** Channels we hold that FreeSWITCH no longer has. */
  lost: string[];
}

export function planReconciliation(
  input: ReconcilePlanInput,
  owners: ReadonlyMap<string, string | undefined>,
  instanceId: string,
): ReconcilePlan {
  const present = new Set(input.rows.map((r) => r.uuid));
  const kill = candidatesForOwnerLookup(input).filter((uuid) => owners.get(uuid) === instanceId);
  const lost = [...input.known].filter((uuid) => !present.has(uuid));
  return { kill, lost };
}

export interface ReconcileRunOptions {
  /** API commands on the media server (time-limited). */
  api(command: string): Promise<string>;
  /** The uuids of the channels we hold, read when needed (the set changes while we wait). */
  known(): ReadonlySet<string>;
  nowSec(): number;
  graceSec: number;
  instanceId: string;
}

export interface ReconcileResult {
  killed: string[];
  lost: string[];
  channelsOnServer: number;
}

/** Lists FreeSWITCH's channels, looks up the owners of the unknown ones, kills our orphans. */
export async function reconcileChannels(opts: ReconcileRunOptions): Promise<ReconcileResult> {
  // Known before the list is taken: a channel we open afterwards cannot be in it, and is not lost.
  const knownBefore = new Set(opts.known());
  const rows = parseShowChannels(await opts.api('show channels as json'));
  if (rows === null) throw new DfsError('HOTLINE_E_DFS_MEDIA_SERVER', 'unreadable answer to "show channels as json"');
  const input: ReconcilePlanInput = { rows, known: knownBefore, nowSec: opts.nowSec(), graceSec: opts.graceSec };
  const owners = new Map<string, string | undefined>();
  for (const uuid of candidatesForOwnerLookup(input)) {
    owners.set(uuid, getvarValue(await opts.api(`uuid_getvar ${uuid} ${INSTANCE_VARIABLE}`).catch(() => undefined)));
  }
  const plan = planReconciliation(input, owners, opts.instanceId);
  // A channel that ended while we were listing is not lost: its own events already ended its call.
  const stillKnown = opts.known();
  const lost = plan.lost.filter((uuid) => stillKnown.has(uuid));
  const killed: string[] = [];
  for (const uuid of plan.kill) {
    const res = await opts.api(`uuid_kill ${uuid}`).catch(() => undefined);
    if (isApiOk(res)) killed.push(uuid);
  }
  return { killed, lost, channelsOnServer: rows.length };
}
