/**
 * The call-control port: everything the application needs from a telephony stack, and nothing more.
 * Implemented by the built-in SIP/RTP engine (adapters/telephony/builtin) and by drachtio + FreeSWITCH
 * (adapters/telephony/drachtio-freeswitch). Both pass test/contract/call-control.contract.ts.
 */
import type { Registrar } from './registrar.js';

export type DtmfSource = 'rfc4733' | 'sip-info';

export interface DtmfEvent {
  digit: string; // one of 0-9 * # A-D
  source: DtmfSource;
}

export interface HangupEvent {
  /** Who ended the leg: the far end (BYE/CANCEL received) or us. */
  by: 'remote' | 'local';
  cause: string;
}

/** How a play request ended. */
export type PlayOutcome = 'done' | 'interrupted' | 'stopped' | 'hangup';

export interface PlayOptions {
  /** Stop playing at the first DTMF digit (the digit is still delivered through onDtmf). */
  bargeIn?: boolean;
}

/**
 * The far end of a leg asked to send the call elsewhere: an agent's phone pressed transfer (SIP REFER, blind,
 * RFC 3515). The adapter has accepted the request (202); the app decides and reports with `done`, which the
 * adapter passes back to the phone (NOTIFY with the outcome as a sipfrag).
 */
export interface TransferRequest {
  /** User part of the Refer-To URI: what the agent dialled (an agent id, a queue id ...). */
  readonly target: string;
  /** The whole Refer-To URI, for logs. */
  readonly referTo: string;
  /** Reports the outcome to the phone once: transferred, or refused with a SIP status (404, 480, 503 ...). */
  done(outcome: { ok: true } | { ok: false; sipStatus: number }): void;
}

/** One answered (or answerable) SIP leg with media. */
export interface CallLeg {
  /** Adapter-unique id of this leg (the SIP Call-ID of the dialog is a fine choice). */
  readonly legId: string;
  readonly ended: boolean;
  onDtmf(fn: (ev: DtmfEvent) => void): void;
  onHangup(fn: (ev: HangupEvent) => void): void;
  /** Plays 8 kHz mono WAV files in order. Resolves when done, interrupted by DTMF, stopped, or the leg ended. */
  play(files: readonly string[], opts?: PlayOptions): Promise<PlayOutcome>;
  /** Loops a WAV file until stopMedia(), a bridge, or hang-up. */
  startMusicOnHold(file: string): void;
  /** Stops any playback or music on this leg. */
  stopMedia(): void;
  /** Records what this leg receives into a WAV file (8 kHz mono, 16-bit) until stopRecording() or hang-up. */
  startRecording(file: string): void;
  stopRecording(): Promise<void>;
  /** Ends the leg (BYE, or the proper response when not yet answered). Idempotent. */
  hangup(cause?: string): Promise<void>;
  /**
   * Blind transfer requests from the far end (REFER). Optional: an adapter without it refuses REFER, and a leg
   * with no listener refuses it too (405/603), so a transfer is never silently lost.
   */
  onTransferRequest?(fn: (req: TransferRequest) => void): void;
}

export interface InboundCall extends CallLeg {
  /**
   * Business call id, minted by the adapter when the INVITE arrives so that every log line about the call, the
   * adapter's included, carries the same `callId`; the app uses it for events too.
   */
  readonly callId: string;
  /** User part of the From URI (the caller's number). */
  readonly from: string;
  /** User part of the Request-URI (the dialed number). */
  readonly to: string;
  /** Address the INVITE came from, for logs. */
  readonly source: string;
  answer(): Promise<void>;
  /** Rejects an unanswered call with a final SIP status (404, 486, 503 ...). */
  reject(status: number, reason?: string): Promise<void>;
}

/** Where an agent's phone can be reached, as learnt from its REGISTER. */
export interface AgentContact {
  aor: string; // sip:1001@domain
  contactUri: string; // the Contact URI it registered
  transport: 'udp' | 'tcp';
  /** Address and port the REGISTER came from (used for UDP/TCP routing behind NAT, like rport). */
  sourceHost: string;
  sourcePort: number;
  expiresAtMs: number;
}

export interface RingRequest {
  /** Business call id, for logs. */
  callId: string;
  agentId: string;
  contact: AgentContact;
  /** Shown to the agent as the From user. */
  callerNumber: string;
  callerName?: string;
}

/** An outbound call to a caller's number through a SIP trunk (callbacks), answered like a ring. */
export interface DialRequest {
  /** Business call id, for logs. */
  callId: string;
  target: {
    /** Request-URI and To, e.g. sip:13800138000@gateway.example:5060. */
    uri: string;
    /** Where to send the INVITE. */
    host: string;
    port: number;
    transport: 'udp' | 'tcp';
  };
  /** Shown to the callee as the From user (the hotline's number). */
  fromNumber: string;
  fromName?: string;
}

export type RingOutcome =
  | { kind: 'answered'; leg: CallLeg }
  | { kind: 'declined'; sipStatus: number } // 486, 603, 480 ...
  | { kind: 'failed'; sipStatus?: number; reason: string } // timeout, transport error, 4xx/5xx other
  | { kind: 'cancelled' }; // we cancelled it (RONA or caller abandon)

export interface RingAttempt {
  /** Settles once: answered, declined, failed, or cancelled. */
  readonly outcome: Promise<RingOutcome>;
  /** Called when the phone reports ringing (180/183). */
  onRinging(fn: () => void): void;
  /** Cancels a ring in progress (CANCEL). No effect once settled. */
  cancel(): void;
}

export interface CallControlHandlers {
  /** A new INVITE has arrived (100 Trying already sent). The app answers, rejects, or lets it ring. */
  onInboundCall(call: InboundCall): void;
  /** REGISTER requests are handed here. */
  registrar: Registrar;
}

export interface CallControlHealth {
  ok: boolean;
  details: Record<string, unknown>;
}

export interface CallControl {
  readonly name: string;
  start(handlers: CallControlHandlers): Promise<void>;
  /** Offers a call to an agent's phone (outbound INVITE). The app owns the no-answer timer and calls cancel(). */
  ring(req: RingRequest): RingAttempt;
  /**
   * Places an outbound call (a callback to a caller's own number). Optional: an adapter without a trunk leaves
   * it out and the ACD then never offers callbacks. The outcome's leg plays, records and bridges like any leg.
   */
  dial?(req: DialRequest): RingAttempt;
  /** Connects the media of two answered legs both ways; stops any playback on them. */
  bridge(a: CallLeg, b: CallLeg): Promise<void>;
  health(): CallControlHealth;
  /** Ends every leg and releases every socket, worker and timer. */
  close(): Promise<void>;
}
