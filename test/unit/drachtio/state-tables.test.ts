/** Every row of the leg and ring tables, walked (house style: state machines are data, and tested as such). */
import { describe, expect, it } from 'vitest';
import { DFS_LEG_TABLE } from '../../../src/adapters/telephony/drachtio-freeswitch/dfs-leg-states.js';
import { DFS_RING_TABLE } from '../../../src/adapters/telephony/drachtio-freeswitch/dfs-ring.js';

describe('leg table', () => {
  const rows = Object.entries(DFS_LEG_TABLE).flatMap(([state, events]) => Object.entries(events).map(([event, row]) => ({ state, event, row: row! })));

  it.each(rows)('$state --$event--> $row.next', ({ state, event, row }) => {
    expect(Object.keys(DFS_LEG_TABLE)).toContain(row.next);
    // Leaving for `ended` always tells the application (release), exactly once per path.
    if (row.next === 'ended' && state !== 'ended') expect(row.actions.filter((a) => a === 'release')).toHaveLength(1);
    // Nothing happens twice in `ended`: every row there is a no-op.
    if (state === 'ended') expect(row.actions).toEqual([]);
    // A call that has media releases its channel when it ends; one that never had media cannot.
    if (row.next === 'ended' && (state === 'answering' || state === 'active')) expect(row.actions).toContain('releaseChannel');
    if (state === 'offered') expect(row.actions).not.toContain('releaseChannel');
    // Only an answered call sends BYE; before that we answer the INVITE.
    if (row.actions.includes('sendBye')) expect(state).toBe('active');
    expect(event.length).toBeGreaterThan(0);
  });

  it('has no row that could strand an answered call without BYE when we end it', () => {
    expect(DFS_LEG_TABLE.active.localHangup?.actions).toEqual(['sendBye', 'releaseChannel', 'release']);
    expect(DFS_LEG_TABLE.active.mediaGone?.actions).toEqual(['sendBye', 'releaseChannel', 'release']);
  });
});

describe('ring table', () => {
  const rows = Object.entries(DFS_RING_TABLE).flatMap(([state, events]) => Object.entries(events).map(([event, row]) => ({ state, event, row: row! })));

  it.each(rows)('$state --$event--> $row.next', ({ state, event, row }) => {
    expect(Object.keys(DFS_RING_TABLE)).toContain(row.next);
    const settles = row.actions.filter((a) => a.startsWith('settle'));
    expect(settles.length).toBeLessThanOrEqual(1);
    // Once cancelled or done, the outcome is settled already: no row there settles again.
    if (state === 'done' || state === 'cancelling' || state === 'connectingCancelled') expect(settles).toEqual([]);
    // A 2xx we will not use is always ended with BYE, and its channel released.
    if (event === 'answered' && row.next === 'done') expect(row.actions).toContain('byeDialog');
    if (event === 'channelReady' && state === 'done') expect(row.actions).toEqual(['releaseChannel']);
  });
});
