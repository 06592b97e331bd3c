/**
 * The index of available agents, so that a routing decision reads a few entries instead of scanning every
 * agent: per skill and proficiency level (and for all agents) a list in each strategy order in use (longest
 * idle, fewest calls, least talk time), and per queue its available members in rank order (top-down,
 * round-robin, ring-progressively). A requirement "skill ≥ level" merges the lists of that skill from the level
 * up, in order, so agents below the level are never looked at. An agent's keys only change while it is busy,
 * i.e. out of the index, so the lists stay sorted without re-keying.
 */
import type { AgentConfig, ResolvedQueue, Strategy } from './model.js';
import { memberOrder } from './skills.js';
import { SortedList } from './sorted-list.js';

export type AgentOrder = 'idle' | 'calls' | 'talk';

/** An available agent as indexed: its keys frozen at the moment it became available. */
export interface AgentSlot {
  readonly id: string;
  readonly cfg: AgentConfig;
  readonly idleSinceMs: number;
  readonly callsAnswered: number;
  readonly talkMs: number;
  /** Unique tie-breaker: configuration order. */
  readonly num: number;
}

interface RankEntry {
  readonly rank: number;
  readonly slot: AgentSlot;
}

const byIdle = (a: AgentSlot, b: AgentSlot): number => a.idleSinceMs - b.idleSinceMs || a.num - b.num;
const COMPARE: Record<AgentOrder, (a: AgentSlot, b: AgentSlot) => number> = {
  idle: byIdle,
  calls: (a, b) => a.callsAnswered - b.callsAnswered || byIdle(a, b),
  talk: (a, b) => a.talkMs - b.talkMs || byIdle(a, b),
};

const MAX_LEVEL = 10;

/** Merges sorted lists into one sorted stream (a handful of lists: picks the least head each step). */
function* merge(lists: readonly SortedList<AgentSlot>[], compare: (a: AgentSlot, b: AgentSlot) => number): IterableIterator<AgentSlot> {
  if (lists.length === 1) {
    yield* lists[0] as SortedList<AgentSlot>;
    return;
  }
  const pos = lists.map(() => 0);
  for (;;) {
    let pick = -1;
    let head: AgentSlot | undefined;
    for (let i = 0; i < lists.length; i += 1) {
      const item = (lists[i] as SortedList<AgentSlot>).at(pos[i] as number);
      if (item && (!head || compare(item, head) < 0)) {
        head = item;
        pick = i;
      }
    }
    if (!head) return;
    pos[pick] = (pos[pick] as number) + 1;
    yield head;
  }
}

export function orderOf(strategy: Strategy): AgentOrder | 'rank' {
  switch (strategy) {
    case 'fewest-calls':
      return 'calls';
    case 'least-talk-time':
      return 'talk';
    case 'top-down':
    case 'round-robin':
    case 'ring-progressively':
      return 'rank';
    default:
      return 'idle';
  }
}

type OrderedLists = Map<AgentOrder, SortedList<AgentSlot>>;

export class AgentIndex {
  private readonly orders: AgentOrder[];
  private readonly all: OrderedLists;
  /** skill → level 1..10 (index 0 unused) → lists. */
  private readonly bySkill = new Map<string, OrderedLists[]>();
  private readonly byQueueRank = new Map<string, SortedList<RankEntry>>();
  /** agent → queue → rank, for the queues whose strategy orders by rank. */
  private readonly ranks = new Map<string, Map<string, number>>();
  private readonly slots = new Map<string, AgentSlot>();

  constructor(agents: ReadonlyMap<string, AgentConfig>, queues: ReadonlyMap<string, ResolvedQueue>) {
    const orders = new Set<AgentOrder>(['idle']);
    for (const q of queues.values()) {
      const o = orderOf(q.strategy);
      if (o === 'rank') {
        this.byQueueRank.set(q.id, new SortedList<RankEntry>((a, b) => a.rank - b.rank));
        memberOrder(q, agents).forEach((id, rank) => {
          let m = this.ranks.get(id);
          if (!m) this.ranks.set(id, (m = new Map()));
          m.set(q.id, rank);
        });
      } else orders.add(o);
    }
    this.orders = [...orders];
    this.all = this.lists();
  }

  get size(): number {
    return this.slots.size;
  }

  has(agentId: string): boolean {
    return this.slots.has(agentId);
  }

  add(slot: AgentSlot): void {
    if (this.slots.has(slot.id)) return;
    this.slots.set(slot.id, slot);
    this.each(slot, (list) => list.insert(slot));
    for (const [queueId, rank] of this.ranks.get(slot.id) ?? []) this.byQueueRank.get(queueId)?.insert({ rank, slot });
  }

  remove(agentId: string): void {
    const slot = this.slots.get(agentId);
    if (!slot) return;
    this.slots.delete(agentId);
    this.each(slot, (list) => list.remove(slot));
    for (const [queueId, rank] of this.ranks.get(slot.id) ?? []) this.byQueueRank.get(queueId)?.remove({ rank, slot });
  }

  rankOf(agentId: string, queueId: string): number | undefined {
    return this.ranks.get(agentId)?.get(queueId);
  }

  /**
   * Available agents to consider for a requirement, in `order`: those at or above the required level of the
   * requirement's scarcest skill (the caller checks the other skills), or every available agent when no skill
   * narrows it.
   */
  candidates(order: AgentOrder, skills: Readonly<Record<string, number>>, widenToAll: boolean): Iterable<AgentSlot> {
    const names = Object.keys(skills);
    if (widenToAll || names.length === 0) return this.all.get(order) as SortedList<AgentSlot>;
    let best: SortedList<AgentSlot>[] | undefined;
    let bestSize = Infinity;
    for (const s of names) {
      const levels = this.bySkill.get(s);
      if (!levels) return [];
      const lists: SortedList<AgentSlot>[] = [];
      let size = 0;
      for (let level = Math.max(1, skills[s] as number); level <= MAX_LEVEL; level += 1) {
        const list = levels[level]?.get(order);
        if (list && list.size > 0) {
          lists.push(list);
          size += list.size;
        }
      }
      if (size === 0) return [];
      if (size < bestSize) {
        best = lists;
        bestSize = size;
      }
    }
    return best ? merge(best, COMPARE[order]) : [];
  }

  /** Available members of a rank-ordered queue, starting after rank `afterRank` and wrapping round (round-robin). */
  *byRank(queueId: string, afterRank = -1): IterableIterator<AgentSlot> {
    const list = this.byQueueRank.get(queueId);
    if (!list) return;
    const start = list.partitionPoint((e) => e.rank > afterRank);
    for (const e of list.from(start)) yield e.slot;
    for (let i = 0; i < start; i += 1) yield (list.at(i) as RankEntry).slot;
  }

  private lists(): OrderedLists {
    return new Map(this.orders.map((o) => [o, new SortedList<AgentSlot>(COMPARE[o])]));
  }

  private each(slot: AgentSlot, fn: (list: SortedList<AgentSlot>) => void): void {
    const visit = (lists: OrderedLists): void => {
      for (const list of lists.values()) fn(list);
    };
    visit(this.all);
    for (const [skill, raw] of Object.entries(slot.cfg.skills)) {
      const level = Math.min(MAX_LEVEL, Math.max(1, raw));
      let levels = this.bySkill.get(skill);
      if (!levels) this.bySkill.set(skill, (levels = []));
      visit((levels[level] ??= this.lists()));
    }
  }
}
