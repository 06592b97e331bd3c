/** The deployment's configuration files, as TypeBox schemas (validated once at start-up with ajv). */
import { Type, type Static } from '@sinclair/typebox';

const HostPort = {
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
};

export const QueueSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    requiredSkills: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    strategy: Type.Literal('longest-idle', { default: 'longest-idle' }),
    ringTimeoutSec: Type.Number({ minimum: 1, maximum: 300, default: 15 }),
    wrapupSec: Type.Number({ minimum: 0, maximum: 3600, default: 10 }),
    musicOnHold: Type.String({ minLength: 1, default: 'moh/default.wav' }),
  },
  { additionalProperties: false },
);

export const HotlineFileSchema = Type.Object(
  {
    sip: Type.Object(
      {
        ...HostPort,
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 5060 }),
        transports: Type.Array(Type.Union([Type.Literal('udp'), Type.Literal('tcp')]), { minItems: 1, default: ['udp', 'tcp'] }),
        realm: Type.String({ minLength: 1, default: 'hotline.local' }),
        /** Address written into Contact/SDP when the bind address is a wildcard. */
        publicHost: Type.Optional(Type.String({ minLength: 1 })),
        nonceTtlSec: Type.Integer({ minimum: 10, maximum: 3600, default: 300 }),
      },
      { additionalProperties: false, default: {} },
    ),
    rtp: Type.Object(
      {
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        portMin: Type.Integer({ minimum: 1024, maximum: 65534, default: 20000 }),
        portMax: Type.Integer({ minimum: 1025, maximum: 65535, default: 29999 }),
      },
      { additionalProperties: false, default: {} },
    ),
    http: Type.Object(
      { ...HostPort, port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }) },
      { additionalProperties: false, default: {} },
    ),
    /** Dialed number → flow id. */
    numbers: Type.Record(Type.String({ pattern: '^[0-9+*#]{1,32}$' }), Type.String({ minLength: 1 })),
    queues: Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' }), QueueSchema),
    flowsDir: Type.String({ default: '../ivr-flows' }),
    promptsDir: Type.String({ default: '../prompts' }),
    telephony: Type.Literal('builtin', { default: 'builtin' }),
    /** Outbound SIP gateway (PBX, carrier) for flow transfers to allow-listed external numbers. */
    trunk: Type.Optional(
      Type.Object(
        {
          host: Type.String({ minLength: 1 }),
          port: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
          transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')], { default: 'udp' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const AgentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    password: Type.String({ minLength: 6 }),
    skills: Type.Record(Type.String({ minLength: 1 }), Type.Integer({ minimum: 1, maximum: 10 })),
    readyOnRegister: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

export const AgentsFileSchema = Type.Object(
  { agents: Type.Record(Type.String({ pattern: '^[0-9A-Za-z._-]{1,32}$' }), AgentSchema) },
  { additionalProperties: false },
);

export type HotlineFile = Static<typeof HotlineFileSchema>;
export type AgentsFile = Static<typeof AgentsFileSchema>;
