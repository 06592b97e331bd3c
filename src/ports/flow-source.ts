import type { Flow } from '../domain/flow/model.js';

/** Where validated flows come from (files on disk, reloaded when they change). */
export interface FlowSource {
  /** The current version of a flow; a call keeps the object it got for its whole life. */
  get(flowId: string): Flow | undefined;
}
