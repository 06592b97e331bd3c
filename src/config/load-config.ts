/**
 * The one reader of configuration files and of process.env. Validates once (ajv over the TypeBox schemas),
 * reports every problem as file:line:col, and returns a frozen object passed to everything else.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { TSchema } from '@sinclair/typebox';
import { AgentsFileSchema, HotlineFileSchema, type AgentsFile, type HotlineFile } from './schema.js';
import { toQueues } from './acd-config.js';
import type { AgentConfig, QueueConfig } from '../domain/acd/model.js';

export interface ConfigProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export const formatProblem = (p: ConfigProblem): string => `${p.file}:${p.line}:${p.col}: ${p.message}`;

export interface HotlineConfig {
  configDir: string;
  dataDir: string;
  flowsDir: string;
  promptsDir: string;
  sip: { host: string; port: number; transports: Array<'udp' | 'tcp'>; realm: string; publicHost?: string; nonceTtlSec: number };
  rtp: { host: string; portMin: number; portMax: number };
  http: { host: string; port: number };
  telephony: TelephonyKind;
  /** drachtio-server control connection (telephony: drachtio-freeswitch). */
  drachtio: DrachtioConfig;
  /** FreeSWITCH event socket (telephony: drachtio-freeswitch). */
  freeswitch: FreeswitchConfig;
  admission: AdmissionConfig;
  trunk?: { host: string; port: number; transport: 'udp' | 'tcp' };
  numbers: Readonly<Record<string, string>>;
  queues: ReadonlyMap<string, QueueConfig>;
  agents: ReadonlyMap<string, AgentConfig>;
  /** Kept apart from AgentConfig so that nothing logs it by accident. */
  agentPasswords: ReadonlyMap<string, string>;
  logLevel: string;
}

export type TelephonyKind = 'builtin' | 'drachtio-freeswitch';
/** How the drachtio-freeswitch adapter drives FreeSWITCH channels (see adapters/telephony/drachtio-freeswitch/types.ts). */
export type ChannelControl = 'shared-socket' | 'drachtio-fsmrf';

export interface DrachtioConfig {
  host: string;
  port: number;
  /** Required (and checked) when telephony is drachtio-freeswitch. */
  secret: string | undefined;
  reconnectMaxDelayMs: number;
}

export interface FreeswitchConfig {
  host: string;
  port: number;
  /** Required (and checked) when telephony is drachtio-freeswitch. */
  secret: string | undefined;
  listenAddress: string;
  channelControl: ChannelControl;
  profile: string;
  maxChannels: number;
  safetyHangupSec: number;
  instanceId: string;
}

export interface AdmissionConfig {
  maxCallsInSetup: number;
  minIdleCpuPct: number;
  sessionsPerSecondShare: number;
  maxEventLoopDelayMs: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });

interface Loaded<T> {
  value: T;
  /** Line and column of a path in the file (of its nearest existing ancestor). */
  locate(path: readonly string[]): { line: number; col: number };
}

async function loadYamlFile<T>(file: string, schema: TSchema): Promise<Loaded<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, line: 1, col: 1, message: `cannot read: ${(err as Error).message}` }]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, col: pos.col, message: e.message.split('\n')[0] ?? e.message };
      }),
    );
  }
  const value: unknown = doc.toJS() ?? {};
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    throw new ConfigError((validate.errors ?? []).map((e) => problemAt(file, doc, lineCounter, e)));
  }
  return { value: value as T, locate: (p) => locate(doc, lineCounter, p) };
}

function locate(doc: Document, lc: LineCounter, segments: readonly string[]): { line: number; col: number } {
  for (let n = segments.length; n >= 0; n -= 1) {
    const node = doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

function problemAt(file: string, doc: Document, lc: LineCounter, e: ErrorObject): ConfigProblem {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const pos = locate(doc, lc, segments);
  const where = e.instancePath || '(top level)';
  const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"` : '';
  return { file, line: pos.line, col: pos.col, message: `${where}: ${e.message ?? 'invalid'}${extra}` };
}

function envPort(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError([{ file: `env ${name}`, line: 1, col: 1, message: `must be a port number 0-65535, got "${raw}"` }]);
  }
  return n;
}

/** A TCP port 1-65535 from the environment (for servers we connect to, where 0 means nothing). */
function envServerPort(env: Env, name: string): number | undefined {
  const n = envPort(env, name);
  if (n === 0) throw new ConfigError([{ file: `env ${name}`, line: 1, col: 1, message: 'must be a port number 1-65535, got "0"' }]);
  return n;
}

function envNonEmpty(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/** Host names are a fine default instance id once reduced to the characters the schema allows. */
function defaultInstanceId(): string {
  const id = hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64);
  return id.length > 0 ? id : 'hotline';
}

/**
 * The checks that need several settings at once, for the drachtio-freeswitch adapter: secrets present, the
 * event-socket listener an IP address FreeSWITCH can reach.
 */
function telephonyProblems(file: string, c: Pick<HotlineConfig, 'telephony' | 'drachtio' | 'freeswitch'>): ConfigProblem[] {
  if (c.telephony !== 'drachtio-freeswitch') return [];
  const problems: ConfigProblem[] = [];
  const at = (message: string): void => void problems.push({ file, line: 1, col: 1, message });
  if (c.drachtio.secret === undefined) {
    at('telephony is drachtio-freeswitch but drachtio.secret is not set: set DRACHTIO_SECRET (or drachtio.secret) to the secret in drachtio-server\'s configuration');
  }
  if (c.freeswitch.secret === undefined) {
    at('telephony is drachtio-freeswitch but freeswitch.secret is not set: set FREESWITCH_SECRET (or freeswitch.secret) to the event-socket password of FreeSWITCH');
  }
  // listenAddress is drachtio-fsmrf's outbound listener; the shared socket has none to check.
  if (c.freeswitch.channelControl === 'drachtio-fsmrf') {
    if (isIP(c.freeswitch.listenAddress) === 0) {
      at(`freeswitch.listenAddress must be an IP address FreeSWITCH can connect to, got "${c.freeswitch.listenAddress}"`);
    } else if (isLoopback(c.freeswitch.listenAddress) && !isLoopback(c.freeswitch.host)) {
      at(`freeswitch.listenAddress ${c.freeswitch.listenAddress} is a loopback address but FreeSWITCH runs at ${c.freeswitch.host}: it could not connect back; use an address of this machine it can reach`);
    }
  }
  return problems;
}

/** The data dir (event log and other state): HOTLINE_DATA_DIR, default ./var. */
export function dataDirFrom(env: Env, cwd: string): string {
  return path.resolve(cwd, env.HOTLINE_DATA_DIR ?? 'var');
}

/** Loads config/hotline.yaml and config/agents.yaml, applying the HOTLINE_* environment overrides. */
export async function loadConfig(env: Env, cwd: string): Promise<HotlineConfig> {
  const configDir = path.resolve(cwd, env.HOTLINE_CONFIG_DIR ?? 'config');
  const dataDir = dataDirFrom(env, cwd);
  const hotlineFile = path.join(configDir, 'hotline.yaml');
  const agentsFile = path.join(configDir, 'agents.yaml');
  const mainFile = await loadYamlFile<HotlineFile>(hotlineFile, HotlineFileSchema);
  const agentsFileDoc = await loadYamlFile<AgentsFile>(agentsFile, AgentsFileSchema);
  const main = mainFile.value;
  const agentsDoc = agentsFileDoc.value;

  const problems: ConfigProblem[] = [];
  if (main.rtp.portMin >= main.rtp.portMax) {
    problems.push({ file: hotlineFile, line: 1, col: 1, message: 'rtp.portMin must be below rtp.portMax' });
  }
  const agents = new Map<string, AgentConfig>();
  const agentPasswords = new Map<string, string>();
  for (const [id, a] of Object.entries(agentsDoc.agents)) {
    agents.set(id, { id, name: a.name, skills: a.skills, readyOnRegister: a.readyOnRegister, groups: a.groups, notReadyReasons: agentsDoc.notReadyReasons });
    agentPasswords.set(id, a.password);
  }
  const telephonyEnv = envNonEmpty(env, 'HOTLINE_TELEPHONY');
  if (telephonyEnv !== undefined && telephonyEnv !== 'builtin' && telephonyEnv !== 'drachtio-freeswitch') {
    problems.push({ file: 'env HOTLINE_TELEPHONY', line: 1, col: 1, message: `must be builtin or drachtio-freeswitch, got "${telephonyEnv}"` });
  }
  const telephony: TelephonyKind = telephonyEnv === 'builtin' || telephonyEnv === 'drachtio-freeswitch' ? telephonyEnv : main.telephony;
  const controlEnv = envNonEmpty(env, 'FREESWITCH_CHANNEL_CONTROL');
  if (controlEnv !== undefined && controlEnv !== 'shared-socket' && controlEnv !== 'drachtio-fsmrf') {
    problems.push({ file: 'env FREESWITCH_CHANNEL_CONTROL', line: 1, col: 1, message: `must be shared-socket or drachtio-fsmrf, got "${controlEnv}"` });
  }
  const drachtio: DrachtioConfig = {
    host: envNonEmpty(env, 'DRACHTIO_HOST') ?? main.drachtio.host,
    port: envServerPort(env, 'DRACHTIO_PORT') ?? main.drachtio.port,
    secret: envNonEmpty(env, 'DRACHTIO_SECRET') ?? main.drachtio.secret,
    reconnectMaxDelayMs: main.drachtio.reconnectMaxDelayMs,
  };
  const freeswitch: FreeswitchConfig = {
    host: envNonEmpty(env, 'FREESWITCH_HOST') ?? main.freeswitch.host,
    port: envServerPort(env, 'FREESWITCH_PORT') ?? main.freeswitch.port,
    secret: envNonEmpty(env, 'FREESWITCH_SECRET') ?? main.freeswitch.secret,
    listenAddress: envNonEmpty(env, 'FREESWITCH_LISTEN_ADDRESS') ?? main.freeswitch.listenAddress,
    channelControl: controlEnv === 'shared-socket' || controlEnv === 'drachtio-fsmrf' ? controlEnv : main.freeswitch.channelControl,
    profile: main.freeswitch.profile,
    maxChannels: main.freeswitch.maxChannels,
    safetyHangupSec: main.freeswitch.safetyHangupSec,
    instanceId: main.freeswitch.instanceId ?? defaultInstanceId(),
  };
  problems.push(...telephonyProblems(hotlineFile, { telephony, drachtio, freeswitch }));
  const acd = toQueues(main.queues, { agents, dispositionCodes: main.dispositionCodes, ...(main.trunk ? { trunk: main.trunk } : {}) });
  for (const p of acd.problems) problems.push({ file: hotlineFile, ...mainFile.locate(p.path), message: `/${p.path.join('/')}: ${p.message}` });
  const queues: ReadonlyMap<string, QueueConfig> = acd.queues;
  if (problems.length > 0) throw new ConfigError(problems);

  const config: HotlineConfig = {
    configDir,
    dataDir,
    flowsDir: path.resolve(configDir, env.HOTLINE_FLOWS_DIR ?? main.flowsDir),
    promptsDir: path.resolve(configDir, env.HOTLINE_PROMPTS_DIR ?? main.promptsDir),
    sip: { ...main.sip, host: env.HOTLINE_SIP_HOST ?? main.sip.host, port: envPort(env, 'HOTLINE_SIP_PORT') ?? main.sip.port },
    rtp: {
      host: env.HOTLINE_RTP_HOST ?? main.rtp.host,
      portMin: envPort(env, 'HOTLINE_RTP_PORT_MIN') ?? main.rtp.portMin,
      portMax: envPort(env, 'HOTLINE_RTP_PORT_MAX') ?? main.rtp.portMax,
    },
    http: { host: env.HOTLINE_HTTP_HOST ?? main.http.host, port: envPort(env, 'HOTLINE_HTTP_PORT') ?? main.http.port },
    telephony,
    drachtio: Object.freeze(drachtio),
    freeswitch: Object.freeze(freeswitch),
    admission: Object.freeze({ ...main.admission }),
    ...(main.trunk ? { trunk: main.trunk } : {}),
    numbers: Object.freeze({ ...main.numbers }),
    queues,
    agents,
    agentPasswords,
    logLevel: env.HOTLINE_LOG_LEVEL ?? 'info',
  };
  return Object.freeze(config);
}

/** Sample credentials shipped in config/agents.yaml: they must be changed before real use. */
export function usesSamplePasswords(config: HotlineConfig): string[] {
  return [...config.agentPasswords].filter(([id, pw]) => pw === `secret-${id}`).map(([id]) => id);
}

/** Secrets still at the well-known defaults of drachtio-server ("cymru") and FreeSWITCH ("ClueCon"). */
export function usesDefaultSecrets(config: HotlineConfig): string[] {
  if (config.telephony !== 'drachtio-freeswitch') return [];
  const found: string[] = [];
  if (config.drachtio.secret === 'cymru') found.push('drachtio.secret');
  if (config.freeswitch.secret === 'ClueCon') found.push('freeswitch.secret');
  return found;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
