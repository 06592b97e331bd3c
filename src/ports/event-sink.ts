import type { HotlineEvent } from '../domain/metrics/events.js';

/** Where business events go (the JSONL event log in production). Appends are ordered. */
export interface EventSink {
  append(event: HotlineEvent): void;
  /** Resolves when everything appended so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
