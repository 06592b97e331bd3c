/**
 * Guards against promise rejections that drachtio-fsmrf 4.1.2 leaves unhandled. Under overload it was seen
 * leaking "unable to find dialog": when an endpoint's event-socket connection does not arrive within 4 s,
 * MediaServer#createEndpoint calls `dialog.destroy()` on the dialog to FreeSWITCH and drops the promise;
 * drachtio-server no longer knows that dialog, the BYE request fails, the promise rejects, nobody listens.
 * A process-level 'unhandledRejection' handler would only log it after the fact.
 *
 * drachtio-fsmrf places media legs through the Srf object it is given, so we give it a wrapper: every dialog
 * it receives is a proxy whose promise-returning methods (destroy, modify, request) mark their promise as
 * handled (a logging catch is attached) while returning the very same promise to the caller.
 */
import type { Logger } from 'pino';
import { describeError } from './errors.js';
import type { SrfApi, SrfDialog } from './types.js';

const GUARDED_METHODS = new Set<PropertyKey>(['destroy', 'modify', 'request']);
const IS_GUARDED = Symbol.for('hotline.guardedDialog');

/** Attaches a logging handler to `p` (so it can never be unhandled) and returns `p` itself. */
export function markHandled<T>(p: Promise<T>, log: Logger, what: string): Promise<T> {
  p.catch((err: unknown) => log.debug({ err: describeError(err), op: what }, 'library operation failed (handled)'));
  return p;
}

export function guardDialog(dialog: SrfDialog, log: Logger): SrfDialog {
  if ((dialog as unknown as Record<symbol, unknown>)[IS_GUARDED] === true) return dialog;
  return new Proxy(dialog, {
    get(target, prop, receiver) {
      if (prop === IS_GUARDED) return true;
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (!GUARDED_METHODS.has(prop)) return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (out instanceof Promise) void markHandled(out, log, `dialog.${String(prop)}`);
        return out;
      };
    },
  });
}

/** The Srf handed to drachtio-fsmrf: createUAC/createUAS with guarded dialogs. */
export function guardedSrfForMrf(srf: SrfApi, log: Logger): Pick<SrfApi, 'createUAC' | 'createUAS'> {
  return {
    createUAC: (uri, opts, progress) => srf.createUAC(uri, opts, progress).then((d) => guardDialog(d, log)),
    createUAS: (req, res, opts) => srf.createUAS(req, res, opts).then((d) => guardDialog(d, log)),
  };
}
