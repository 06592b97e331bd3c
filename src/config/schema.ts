/** The deployment's configuration files, as TypeBox schemas (validated once at start-up with ajv). */
import { Type, type Static } from '@sinclair/typebox';

const HostPort = {
  host: Type.String({ minLength: 1, default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
};

const Level = Type.Integer({ minimum: 1, maximum: 10 });
const Skills = Type.Record(Type.String({ minLength: 1 }), Level);
const Digit = Type.String({ pattern: '^[0-9*#]$' });
const Prompts = Type.Array(Type.String({ minLength: 1 }), { default: [] });

/** A SIP trunk or gateway for outbound calls (external transfers, callbacks). */
export const TrunkSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
    transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')], { default: 'udp' }),
  },
  { additionalProperties: false },
);

/** Where a caller goes on leaving a queue without an agent: exactly one of queue, flow, callback, hangup. */
export const QueueExitSchema = Type.Object(
  {
    queue: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' })),
    flow: Type.Optional(Type.String({ minLength: 1 })),
    callback: Type.Optional(Type.Literal(true)),
    hangup: Type.Optional(Type.String({ minLength: 1 })),
    prompts: Prompts,
  },
  { additionalProperties: false },
);

export const STRATEGY_NAMES = ['longest-idle', 'ring-all', 'round-robin', 'top-down', 'fewest-calls', 'least-talk-time', 'random', 'ring-progressively'] as const;

export const QueueSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    requiredSkills: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    skills: Type.Optional(Skills),
    group: Type.Optional(Type.String({ minLength: 1 })),
    members: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    strategy: Type.Union(STRATEGY_NAMES.map((s) => Type.Literal(s)), { default: 'longest-idle' }),
    ringProgressively: Type.Object(
      {
        initialAgents: Type.Integer({ minimum: 1, default: 1 }),
        addAgents: Type.Integer({ minimum: 1, default: 1 }),
        everySec: Type.Number({ minimum: 1, maximum: 300, default: 10 }),
      },
      { additionalProperties: false, default: {} },
    ),
    ringTimeoutSec: Type.Number({ minimum: 1, maximum: 300, default: 15 }),
    wrapupSec: Type.Number({ minimum: 0, maximum: 3600, default: 10 }),
    musicOnHold: Type.String({ minLength: 1, default: 'moh/default.wav' }),
    language: Type.String({ minLength: 2, default: 'zh' }),
    maxWaitSec: Type.Optional(Type.Number({ minimum: 1, maximum: 86400 })),
    onMaxWait: Type.Optional(QueueExitSchema),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    onFull: Type.Optional(QueueExitSchema),
    joinWhenEmpty: Type.Boolean({ default: true }),
    leaveWhenEmpty: Type.Boolean({ default: false }),
    onEmpty: Type.Optional(QueueExitSchema),
    widening: Type.Array(
      Type.Object(
        {
          afterSec: Type.Number({ minimum: 0 }),
          minLevel: Type.Optional(Level),
          anyAgentInGroup: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
    announce: Type.Object(
      {
        onJoin: Type.Boolean({ default: false }),
        positionEverySec: Type.Number({ minimum: 0, default: 0 }),
        ewt: Type.Boolean({ default: false }),
        comfortEverySec: Type.Number({ minimum: 0, default: 0 }),
        comfortPrompt: Type.String({ minLength: 1, default: 'acd/{lang}/comfort.wav' }),
      },
      { additionalProperties: false, default: {} },
    ),
    exitKey: Type.Optional(Type.Object({ digit: Digit, to: QueueExitSchema }, { additionalProperties: false })),
    callback: Type.Optional(
      Type.Object(
        {
          key: Type.String({ pattern: '^[0-9*#]$', default: '1' }),
          offerAfterSec: Type.Number({ minimum: 0, default: 60 }),
          offerEverySec: Type.Number({ minimum: 0, default: 60 }),
          maxAttempts: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
          retryAfterSec: Type.Number({ minimum: 1, default: 120 }),
          dialTimeoutSec: Type.Number({ minimum: 5, maximum: 120, default: 30 }),
          expireAfterSec: Type.Number({ minimum: 60, default: 14400 }),
          trunk: Type.Optional(TrunkSchema),
          fromNumber: Type.Optional(Type.String({ pattern: '^[0-9+]{1,32}$' })),
        },
        { additionalProperties: false },
      ),
    ),
    sticky: Type.Optional(
      Type.Object(
        { withinDays: Type.Number({ minimum: 0, default: 7 }), waitSec: Type.Number({ minimum: 0, maximum: 600, default: 20 }) },
        { additionalProperties: false },
      ),
    ),
    callerClasses: Type.Record(
      Type.String({ minLength: 1 }),
      Type.Object({ priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })), skills: Type.Optional(Skills) }, { additionalProperties: false }),
      { default: {} },
    ),
    declineBackoffSec: Type.Number({ minimum: 0, default: 60 }),
    dispositionCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }))),
    expectedHandleSec: Type.Number({ minimum: 1, default: 180 }),
    /** Post-call satisfaction survey (CSAT), played to the caller when the agent hangs up first. */
    survey: Type.Optional(
      Type.Object(
        {
          askPrompt: Type.String({ minLength: 1, default: 'acd/{lang}/survey-ask.wav' }),
          thanksPrompt: Type.String({ minLength: 1, default: 'acd/{lang}/survey-thanks.wav' }),
          timeoutSec: Type.Number({ minimum: 1, maximum: 60, default: 8 }),
          maxAttempts: Type.Integer({ minimum: 1, maximum: 5, default: 2 }),
        },
        { additionalProperties: false, default: {} },
      ),
    ),
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
    /** Which CallControl adapter serves SIP and media: our engine, or drachtio-server + FreeSWITCH. */
    telephony: Type.Union([Type.Literal('builtin'), Type.Literal('drachtio-freeswitch')], { default: 'builtin' }),
    /** drachtio-server's control socket (used when telephony is drachtio-freeswitch). */
    drachtio: Type.Object(
      {
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 1, maximum: 65535, default: 9022 }),
        /** Better given as DRACHTIO_SECRET than written here. */
        secret: Type.Optional(Type.String({ minLength: 1 })),
        /** Longest wait between reconnection attempts. */
        reconnectMaxDelayMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** FreeSWITCH's event socket (used when telephony is drachtio-freeswitch). */
    freeswitch: Type.Object(
      {
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 1, maximum: 65535, default: 8021 }),
        /** Better given as FREESWITCH_SECRET than written here. */
        secret: Type.Optional(Type.String({ minLength: 1 })),
        /**
         * How channels are driven: `shared-socket` (one event-socket connection for all channels, the
         * default) or `drachtio-fsmrf` (the library's per-channel outbound connections; about twice the CPU).
         */
        channelControl: Type.Union([Type.Literal('shared-socket'), Type.Literal('drachtio-fsmrf')], { default: 'shared-socket' }),
        /** drachtio-fsmrf only: address its outbound event-socket listener binds to (FreeSWITCH connects back per call). */
        listenAddress: Type.String({ minLength: 1, default: '127.0.0.1' }),
        /** The SIP profile drachtio-server sends the media legs to (asterisk-or-freeswitch/). */
        profile: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$', default: 'hotline_mrf' }),
        /** Channels this app may hold on the media server (each call needs up to 2). */
        maxChannels: Type.Integer({ minimum: 2, maximum: 100_000, default: 1000 }),
        /** Safety-net hang-up scheduled on every channel, renewed while the call is alive. */
        safetyHangupSec: Type.Integer({ minimum: 30, maximum: 86_400, default: 300 }),
        /** Tags this app's channels so reconciliation never touches another instance's; default: host name. */
        instanceId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' })),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Overload protection of the drachtio-freeswitch adapter: excess INVITEs get 503 + Retry-After. */
    admission: Type.Object(
      {
        /** INVITEs accepted but not yet answered (or ended) at once. */
        maxCallsInSetup: Type.Integer({ minimum: 1, maximum: 10_000, default: 40 }),
        /** Refuse new calls while FreeSWITCH reports less idle CPU than this. */
        minIdleCpuPct: Type.Number({ minimum: 0, maximum: 100, default: 15 }),
        /** Share of FreeSWITCH's sessions-per-second limit we may use (its default limit is 30). */
        sessionsPerSecondShare: Type.Number({ minimum: 0.1, maximum: 1, default: 0.8 }),
        /** Refuse new calls while this process's event loop has lately been late by more than this. */
        maxEventLoopDelayMs: Type.Integer({ minimum: 10, maximum: 10_000, default: 250 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * The SIP trunk or gateway (PBX, carrier) that reaches outside numbers: flow transfers to allow-listed external
     * numbers, and queues' callbacks (virtual hold) unless a queue names its own `callback.trunk`.
     */
    trunk: Type.Optional(TrunkSchema),
    /** Default disposition codes of every queue. */
    dispositionCodes: Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), { default: [] }),
  },
  { additionalProperties: false },
);

export const AgentSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    password: Type.String({ minLength: 6 }),
    skills: Type.Record(Type.String({ minLength: 1 }), Type.Integer({ minimum: 1, maximum: 10 })),
    readyOnRegister: Type.Boolean({ default: true }),
    groups: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  },
  { additionalProperties: false },
);

export const AgentsFileSchema = Type.Object(
  {
    agents: Type.Record(Type.String({ pattern: '^[0-9A-Za-z._-]{1,32}$' }), AgentSchema),
    /** Reasons an agent may give for not-ready (示忙); `rona` is set by the engine. */
    notReadyReasons: Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), { default: ['break', 'lunch', 'meeting', 'training', 'coaching', 'admin'] }),
  },
  { additionalProperties: false },
);

export type HotlineFile = Static<typeof HotlineFileSchema>;
export type QueueFile = Static<typeof QueueSchema>;
export type QueueExitFile = Static<typeof QueueExitSchema>;
export type AgentsFile = Static<typeof AgentsFileSchema>;
