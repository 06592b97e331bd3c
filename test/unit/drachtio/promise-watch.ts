/** Whether a promise settled yet, and how. */
export function watch<T>(p: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: Error } {
  const w: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: Error } = { state: 'pending' };
  p.then(
    (v) => Object.assign(w, { state: 'resolved', value: v }),
    (e: Error) => Object.assign(w, { state: 'rejected', error: e }),
  );
  return w;
}
