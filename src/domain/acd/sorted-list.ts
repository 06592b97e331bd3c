/**
 * An array kept sorted by a total order, with binary-search insert and remove. The routing indexes use it:
 * available agents per skill in strategy order, waiting callers per queue bucket in service order. Inserts and
 * removes move array elements (memmove-fast for the tens of thousands we hold); lookups never scan.
 */
export type Compare<T> = (a: T, b: T) => number;

export class SortedList<T> {
  private readonly items: T[] = [];

  constructor(private readonly compare: Compare<T>) {}

  get size(): number {
    return this.items.length;
  }

  /** First index whose item is not before `probe`. */
  lowerBound(probe: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.items[mid] as T, probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose item satisfies `after(item)`, for a predicate monotone along the order. */
  partitionPoint(after: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(this.items[mid] as T)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  insert(item: T): void {
    this.items.splice(this.lowerBound(item), 0, item);
  }

  /** Removes the item that compares equal to `item` (the order must be total: ties broken by an id). */
  remove(item: T): boolean {
    const i = this.lowerBound(item);
    if (i < this.items.length && this.compare(this.items[i] as T, item) === 0) {
      this.items.splice(i, 1);
      return true;
    }
    return false;
  }

  at(index: number): T | undefined {
    return this.items[index];
  }

  first(): T | undefined {
    return this.items[0];
  }

  *from(index: number): IterableIterator<T> {
    for (let i = index; i < this.items.length; i += 1) yield this.items[i] as T;
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.from(0);
  }

  toArray(): T[] {
    return [...this.items];
  }
}
