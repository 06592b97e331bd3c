/**
 * Callers holding a place, per queue, in buckets of one priority and one requirement, each in arrival order.
 * Within a bucket of callers who entered the queue directly, the caller in front has waited longest, so it is
 * the most widened: when it does not fit an agent on skills, nobody behind it does. That lets an agent coming
 * free find its caller by looking at the head of each bucket, not at every caller.
 */
import type { CoreCaller } from './core/types.js';
import { SortedList } from './sorted-list.js';

/** Service order: higher priority first, then earlier arrival, then join order. */
export function serviceOrder(a: Pick<CoreCaller, 'priority' | 'joinedAtMs' | 'seq'>, b: Pick<CoreCaller, 'priority' | 'joinedAtMs' | 'seq'>): number {
  return b.priority - a.priority || a.joinedAtMs - b.joinedAtMs || a.seq - b.seq;
}

const arrival = (a: CoreCaller, b: CoreCaller): number => a.joinedAtMs - b.joinedAtMs || a.seq - b.seq;

export interface Bucket {
  readonly key: string;
  readonly priority: number;
  readonly moved: boolean;
  readonly list: SortedList<CoreCaller>;
}

export function bucketKey(priority: number, skills: Readonly<Record<string, number>>, moved: boolean): string {
  const sig = Object.keys(skills)
    .sort()
    .map((s) => `${s}:${skills[s]}`)
    .join(',');
  return `${priority}|${sig}|${moved ? 'm' : ''}`;
}

export class CallerIndex {
  private readonly queues = new Map<string, Map<string, Bucket>>();
  private readonly counts = new Map<string, number>();

  add(c: CoreCaller): void {
    let buckets = this.queues.get(c.queue.id);
    if (!buckets) this.queues.set(c.queue.id, (buckets = new Map()));
    let b = buckets.get(c.bucket);
    if (!b) buckets.set(c.bucket, (b = { key: c.bucket, priority: c.priority, moved: c.moved, list: new SortedList(arrival) }));
    const at = b.list.lowerBound(c);
    if (b.list.at(at) === c) return;
    b.list.insert(c);
    this.counts.set(c.queue.id, (this.counts.get(c.queue.id) ?? 0) + 1);
  }

  remove(c: CoreCaller): void {
    const buckets = this.queues.get(c.queue.id);
    const b = buckets?.get(c.bucket);
    if (!buckets || !b || !b.list.remove(c)) return;
    if (b.list.size === 0) buckets.delete(c.bucket);
    this.counts.set(c.queue.id, (this.counts.get(c.queue.id) ?? 1) - 1);
  }

  has(c: CoreCaller): boolean {
    const list = this.queues.get(c.queue.id)?.get(c.bucket)?.list;
    return list !== undefined && list.at(list.lowerBound(c)) === c;
  }

  count(queueId: string): number {
    return this.counts.get(queueId) ?? 0;
  }

  buckets(queueId: string): Iterable<Bucket> {
    return this.queues.get(queueId)?.values() ?? [];
  }

  /** 1-based place in service order among the callers holding a place in the queue. */
  position(c: CoreCaller): number {
    let ahead = 0;
    for (const b of this.buckets(c.queue.id)) {
      if (b.priority > c.priority) ahead += b.list.size;
      else if (b.priority === c.priority) ahead += b.list.lowerBound(c);
    }
    return ahead + 1;
  }

  /** Every caller of a queue (or all queues) in service order. */
  list(queueId?: string): CoreCaller[] {
    const ids = queueId === undefined ? [...this.queues.keys()] : [queueId];
    const out: CoreCaller[] = [];
    for (const id of ids) for (const b of this.buckets(id)) out.push(...b.list);
    return out.sort(serviceOrder);
  }
}
