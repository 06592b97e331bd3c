/**
 * The model file of `hotline simulate --config`: queues written exactly as in hotline.yaml (the same schema
 * and the same checks), agents in groups with shifts, and traffic per queue. Problems are reported as
 * file:line:col, like the engine's own config.
 */
import { readFile } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { LineCounter, isNode, parseDocument, type Document } from 'yaml';
import type { AgentConfig } from '../domain/acd/model.js';
import type { SimAgent, SimModel, SimTraffic } from '../domain/sim/model.js';
import { toQueues } from '../config/acd-config.js';
import { QueueSchema } from '../config/schema.js';

const Shift = Type.Object({ from: Type.Number({ minimum: 0 }), to: Type.Number({ minimum: 0 }) }, { additionalProperties: false });

export const SimFileSchema = Type.Object(
  {
    hours: Type.Number({ exclusiveMinimum: 0, default: 8 }),
    warmupHours: Type.Number({ minimum: 0, default: 1 }),
    replications: Type.Integer({ minimum: 1, maximum: 10_000, default: 30 }),
    seed: Type.Integer({ minimum: 0, default: 1 }),
    slThresholdSec: Type.Number({ minimum: 0, default: 20 }),
    queues: Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' }), QueueSchema),
    agents: Type.Array(
      Type.Object(
        {
          name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,32}$' }),
          count: Type.Integer({ minimum: 1, default: 1 }),
          skills: Type.Record(Type.String({ minLength: 1 }), Type.Integer({ minimum: 1, maximum: 10 }), { default: {} }),
          groups: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
          /** Logged in from..to, in hours since the start of the run (warm-up included); default all day. */
          shifts: Type.Optional(Type.Array(Shift, { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    traffic: Type.Array(
      Type.Object(
        {
          queue: Type.String({ minLength: 1 }),
          arrivalsPerHour: Type.Union([Type.Number({ minimum: 0 }), Type.Array(Type.Number({ minimum: 0 }), { minItems: 1 })]),
          ahtSec: Type.Number({ exclusiveMinimum: 0 }),
          handleTime: Type.Union([Type.Literal('exponential'), Type.Literal('lognormal')], { default: 'exponential' }),
          handleSdSec: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          patienceSec: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
          callerClasses: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Number({ minimum: 0, maximum: 1 }))),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

export type SimFile = Static<typeof SimFileSchema>;

export interface LoadedSimModel {
  model: SimModel;
  replications: number;
  seed: number;
}

export class SimConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SimConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validate = ajv.compile(SimFileSchema);

export async function loadSimModel(file: string): Promise<LoadedSimModel> {
  const text = await readFile(file, 'utf8');
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new SimConfigError(doc.errors.map((e) => `${file}:${lc.linePos(e.pos[0]).line}:${lc.linePos(e.pos[0]).col}: ${e.message.split('\n')[0] ?? e.message}`));
  }
  const value: unknown = doc.toJS() ?? {};
  if (!validate(value)) {
    throw new SimConfigError(
      (validate.errors ?? []).map((e) => {
        const path = e.instancePath.split('/').slice(1);
        const pos = at(doc, lc, path);
        const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"` : '';
        return `${file}:${pos.line}:${pos.col}: ${e.instancePath || '(top level)'}: ${e.message ?? 'invalid'}${extra}`;
      }),
    );
  }
  const sim = value as SimFile;
  const agents: SimAgent[] = [];
  for (const g of sim.agents) {
    for (let i = 1; i <= g.count; i += 1) {
      agents.push({
        id: g.count === 1 ? g.name : `${g.name}-${i}`,
        skills: g.skills,
        groups: g.groups,
        ...(g.shifts ? { shifts: g.shifts.map((s) => ({ fromHour: s.from, toHour: s.to })) } : {}),
      });
    }
  }
  const agentConfigs = new Map<string, AgentConfig>(agents.map((a) => [a.id, { id: a.id, name: a.id, skills: a.skills, readyOnRegister: true, groups: a.groups ?? [] }]));
  const { queues, problems } = toQueues(sim.queues, { agents: agentConfigs, dispositionCodes: [], trunk: { host: 'simulated', port: 5060, transport: 'udp' } });
  const messages = problems.map((p) => {
    const pos = at(doc, lc, p.path);
    return `${file}:${pos.line}:${pos.col}: /${p.path.join('/')}: ${p.message}`;
  });
  sim.traffic.forEach((t, i) => {
    if (!queues.has(t.queue)) {
      const pos = at(doc, lc, ['traffic', String(i), 'queue']);
      messages.push(`${file}:${pos.line}:${pos.col}: /traffic/${i}/queue: no queue "${t.queue}"`);
    }
  });
  if (messages.length > 0) throw new SimConfigError(messages);
  const traffic: SimTraffic[] = sim.traffic.map((t) => ({
    queueId: t.queue,
    arrivalsPerHour: t.arrivalsPerHour,
    handle: { distribution: t.handleTime, meanSec: t.ahtSec, ...(t.handleSdSec !== undefined ? { sdSec: t.handleSdSec } : {}) },
    ...(t.patienceSec !== undefined ? { patienceSec: t.patienceSec } : {}),
    ...(t.callerClasses ? { callerClasses: t.callerClasses } : {}),
  }));
  return {
    model: { queues, agents, traffic, hours: sim.hours, warmupHours: sim.warmupHours, slThresholdSec: sim.slThresholdSec },
    replications: sim.replications,
    seed: sim.seed,
  };
}

function at(doc: Document, lc: LineCounter, path: readonly string[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n -= 1) {
    const node = doc.getIn(path.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p)), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}
