/** ACD data shapes shared by the router, the store port and the application. */
import type { AgentState } from './agent-state.js';

export interface QueueConfig {
  id: string;
  name: string;
  /** Skills an agent needs to take this queue's calls (all of them). */
  requiredSkills: string[];
  strategy: 'longest-idle';
  ringTimeoutSec: number;
  wrapupSec: number;
  /** Music on hold file, relative to the prompts dir. */
  musicOnHold: string;
}

export interface AgentConfig {
  id: string;
  name: string;
  /** skill → proficiency 1..10 */
  skills: Record<string, number>;
  /** Become available as soon as the phone registers (no API call needed). */
  readyOnRegister: boolean;
}

export interface AgentRecord {
  id: string;
  state: AgentState;
  registered: boolean;
  /** When the agent last became available: longest-idle routes to the smallest. */
  idleSinceMs: number;
  callsAnswered: number;
  /** Optimistic-concurrency version, bumped by every store write. */
  version: number;
}

export interface QueueEntry {
  callId: string;
  queueId: string;
  callerNumber: string;
  priority: number;
  joinedAtMs: number;
  /** Agent currently offered this caller, if any. */
  offeredTo?: string;
  /** Agents who declined or failed this caller (not offered again). */
  excludedAgents: string[];
  offerAttempts: number;
}
