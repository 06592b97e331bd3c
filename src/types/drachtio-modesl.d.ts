/**
 * Narrow declarations of drachtio-modesl 1.x (the event-socket client drachtio-fsmrf 4.1.2 depends on),
 * checked against lib/esl/Connection.js, Event.js and Parser.js. Only what our connector and the `%`
 * decoding guard use.
 */
declare module 'drachtio-modesl' {
  /** One event-socket message: a command reply, an API response, or an event. */
  interface EslEvent {
    getHeader(name: string): string | undefined;
    getBody(): string | undefined;
  }

  /**
   * An inbound connection (we connect to FreeSWITCH) or an outbound one (FreeSWITCH connects to us per call).
   * Its own reconnect logic is not bounded (Connection.js `_onConnectionGone`), so our connector switches it
   * off through `reconnectOpts` and reconnects itself.
   */
  interface EslConnection {
    reconnectOpts: { maxAttempts?: number; retryMaxDelay?: number | null };
    reconnectVars: Record<string, unknown>;
    closing?: boolean;
    connected(): boolean;
    api(command: string, cb: (res: EslEvent) => void): void;
    disconnect(): void;
    on(event: string, fn: (...args: never[]) => void): unknown;
    removeListener(event: string, fn: (...args: never[]) => void): unknown;
    removeAllListeners(event?: string): unknown;
  }

  interface EslConnectionConstructor {
    /** Inbound: connects to host:port and authenticates with the password; `onReady` after auth. */
    new (host: string, port: number, password: string, onReady: () => void): EslConnection;
  }

  /** The frame parser; `_parseHeaderText` is the method the `%` guard replaces. */
  interface EslParserConstructor {
    prototype: { _parseHeaderText?: (text: string) => Record<string, string | number> };
  }

  const esl: {
    Connection: EslConnectionConstructor;
    Parser: EslParserConstructor;
  };
  export type { EslEvent, EslConnection, EslConnectionConstructor, EslParserConstructor };
  export default esl;
}
