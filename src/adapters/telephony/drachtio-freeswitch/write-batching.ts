/**
 * Writes issued during one turn of the event loop leave in one system call. On the virtual machines we
 * measured on, a loopback write costs tens of microseconds (the kernel delivers to the reader inside the
 * writer's call), and a call's hang-up alone writes twice to drachtio-server (BYE to the caller and to
 * FreeSWITCH) from the same turn. The socket is corked at its first write of a turn and uncorked in the
 * check phase (setImmediate), after every callback and promise of the turn has run: a delay well under a
 * millisecond, never a timer.
 */
import type { Socket } from 'node:net';

const BATCHED = Symbol.for('hotline.writeBatching');

export function batchWrites(socket: Socket): void {
  const marked = socket as Socket & { [BATCHED]?: true };
  if (marked[BATCHED]) return;
  marked[BATCHED] = true;
  const write = socket.write;
  let corked = false;
  const uncork = (): void => {
    corked = false;
    socket.uncork();
  };
  socket.write = function batchedWrite(this: Socket, ...args: Parameters<Socket['write']>): boolean {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
