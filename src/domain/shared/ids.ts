/** Business call ids: short, sortable by creation time, unique without coordination (time + 40 random bits). */
export function newCallId(nowMs: number, random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < 8; i += 1) suffix += Math.floor(random() * 32).toString(32);
  return `c${nowMs.toString(36)}${suffix}`;
}
