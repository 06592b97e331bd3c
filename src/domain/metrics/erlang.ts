/**
 * Queueing formulas for staffing: Erlang B (loss), Erlang C (M/M/N, callers wait forever) and Erlang A
 * (M/M/N+M, callers abandon after an exponential patience). Pure functions of the traffic; used by the
 * simulator and the staffing planner.
 *
 * Conventions: arrivals are Poisson at `callsPerHour`, handle times exponential with mean `ahtSec`
 * (talk + wrap-up), `agents` identical servers, FCFS. "Service level" is always the share of OFFERED calls
 * answered within `thresholdSec` (abandons count against it), matching the report's
 * "answered-within-threshold / offered".
 */

/** Traffic intensity A = λ × AHT in Erlangs. */
export function offeredLoadErlangs(callsPerHour: number, ahtSec: number): number {
  assertNonNegative('callsPerHour', callsPerHour);
  assertPositive('ahtSec', ahtSec);
  return (callsPerHour / 3600) * ahtSec;
}

/**
 * Erlang B blocking probability for `agents` servers offered `trafficErlangs`, by the recursion
 * B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), which stays in [0, 1] and never forms A^n or n!.
 */
export function erlangB(agents: number, trafficErlangs: number): number {
  assertAgents(agents);
  assertNonNegative('trafficErlangs', trafficErlangs);
  let b = 1;
  for (let n = 1; n <= agents; n++) {
    const ab = trafficErlangs * b;
    b = ab / (n + ab);
  }
  return b;
}

/**
 * Erlang C: probability that an arriving call waits, C = N·B / (N − A·(1 − B)). Returns 1 when A ≥ N
 * (the queue grows without bound, every caller waits).
 */
export function erlangC(agents: number, trafficErlangs: number): number {
  const b = erlangB(agents, trafficErlangs);
  if (trafficErlangs >= agents) return 1;
  if (trafficErlangs === 0) return 0;
  return (agents * b) / (agents - trafficErlangs * (1 - b));
}

export interface QueueModel {
  /** Mean arrival rate (Poisson), calls per hour. */
  callsPerHour: number;
  /** Mean handle time (talk + wrap-up, exponential), seconds. */
  ahtSec: number;
  /** Number of agents (servers), a non-negative integer. */
  agents: number;
}

export interface ErlangCResult {
  trafficErlangs: number;
  /** P(an arriving call waits). */
  pWait: number;
  /** P(wait ≤ thresholdSec) = 1 − C·e^(−(N−A)·t/AHT); 0 when unstable. */
  serviceLevel: number;
  /** Mean wait over all calls = C·AHT/(N−A), seconds; Infinity when unstable (A ≥ N). */
  asaSec: number;
  /** Share of agent time busy, A/N capped at 1. */
  occupancy: number;
  /** False when A ≥ N: no steady state, the queue grows without bound. */
  stable: boolean;
}

/** Erlang C figures for a model and a service-level threshold. */
export function erlangCMetrics(model: QueueModel, thresholdSec: number): ErlangCResult {
  assertNonNegative('thresholdSec', thresholdSec);
  const { agents, ahtSec } = model;
  const a = offeredLoadErlangs(model.callsPerHour, ahtSec);
  assertAgents(agents);
  const stable = a < agents;
  const pWait = erlangC(agents, a);
  if (!stable) {
    return { trafficErlangs: a, pWait: 1, serviceLevel: 0, asaSec: Infinity, occupancy: 1, stable };
  }
  const serviceLevel = 1 - pWait * Math.exp((-(agents - a) * thresholdSec) / ahtSec);
  const asaSec = (pWait * ahtSec) / (agents - a);
  const occupancy = agents === 0 ? 0 : a / agents;
  return { trafficErlangs: a, pWait, serviceLevel, asaSec, occupancy, stable };
}

export function erlangCServiceLevel(model: QueueModel, thresholdSec: number): number {
  return erlangCMetrics(model, thresholdSec).serviceLevel;
}

export function erlangCAsaSec(model: QueueModel): number {
  return erlangCMetrics(model, 0).asaSec;
}

/** Agent occupancy under Erlang C (no abandonment): A/N, capped at 1. */
export function erlangCOccupancy(model: QueueModel): number {
  return erlangCMetrics(model, 0).occupancy;
}

function assertAgents(agents: number): void {
  if (!Number.isInteger(agents) || agents < 0) {
    throw new RangeError(`agents must be a non-negative integer, got ${agents}`);
  }
}

export function assertNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
}

export function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a finite number > 0, got ${value}`);
}

// ---------------------------------------------------------------------------------------------------------
// Erlang A (M/M/N+M): Poisson arrivals λ, exponential service μ = 1/AHT, N agents, exponential patience
// θ = 1/patience. Solved numerically as a birth-death chain on n = calls in the system:
//
//     0 ──λ──▶ 1 ──λ──▶ … ──λ──▶ N ──λ──▶ N+1 ──λ──▶ …
//       ◀─μ──    ◀─2μ─     ◀─Nμ──   ◀─Nμ+θ──   ◀─Nμ+2θ─
//
// Stationary weights come from detailed balance, p(n) ∝ Π λ/death(k), built in log space so that N in the
// hundreds or thousands neither overflows nor underflows. The queue is always stable when θ > 0 (the death
// rate grows without bound), so the tail is truncated once its weights fall below TAIL_EPSILON of the mode.
// ---------------------------------------------------------------------------------------------------------

const TAIL_LOG_EPSILON = Math.log(1e-20);
const MAX_STATES = 2_000_000;

export interface ErlangAModel extends QueueModel {
  /** Mean caller patience (exponential), seconds. */
  patienceSec: number;
}

export interface ErlangAResult {
  trafficErlangs: number;
  /** P(an arriving call finds every agent busy and has to queue). */
  pWait: number;
  /** P(an arriving call abandons before being answered). */
  pAbandon: number;
  /** Share of offered calls answered within thresholdSec (abandons and late answers count against it). */
  serviceLevel: number;
  /** Mean wait of answered calls (including those answered at once), seconds. */
  asaSec: number;
  /** Mean time in queue over all calls, answered or abandoned (E[Lq]/λ by Little's law), seconds. */
  meanQueueTimeSec: number;
  /** Share of agent time busy: carried load λ·P(answered)·AHT / N. */
  occupancy: number;
}

/** Erlang A figures for a model and a service-level threshold. Needs at least one agent. */
export function erlangAMetrics(model: ErlangAModel, thresholdSec: number): ErlangAResult {
  const { agents, ahtSec, patienceSec } = model;
  const a = offeredLoadErlangs(model.callsPerHour, ahtSec);
  assertAgents(agents);
  if (agents < 1) throw new RangeError('Erlang A needs at least one agent');
  assertPositive('patienceSec', patienceSec);
  assertNonNegative('thresholdSec', thresholdSec);
  if (a === 0) {
    return { trafficErlangs: 0, pWait: 0, pAbandon: 0, serviceLevel: 1, asaSec: 0, meanQueueTimeSec: 0, occupancy: 0 };
  }
  const lambdaPerSec = model.callsPerHour / 3600;
  const muPerSec = 1 / ahtSec;
  const thetaPerSec = 1 / patienceSec;
  const p = stationaryDistribution(agents, lambdaPerSec, muPerSec, thetaPerSec);

  let pNoWait = 0;
  for (let n = 0; n < agents; n++) pNoWait += p[n] ?? 0;
  // queued[j]: probability that an arrival finds j calls queued ahead of it (PASTA).
  const queued = p.subarray(agents);
  const serviceRatePerSec = agents * muPerSec;

  // A tagged caller with i calls ahead moves up at rate Nμ + iθ (an agent frees or someone ahead gives up)
  // and gives up itself at rate θ; both clocks are memoryless, so the time spent at each position is
  // independent of which exit is taken.
  let pServedQueued = 0;
  let waitServedSum = 0;
  let queueLengthMean = 0;
  let pAbandonQueued = 0;
  let pReach = 1;
  let pGiveUp = 0; // 1 − pReach, kept as a sum of positive terms so a tiny abandon rate keeps its digits
  let meanTimeToFront = 0;
  for (let j = 0; j < queued.length; j++) {
    const exitRate = serviceRatePerSec + j * thetaPerSec + thetaPerSec;
    // Positions are walked j, j−1, …, 0; the product over them does not depend on the order.
    pGiveUp += pReach * (thetaPerSec / exitRate);
    pReach *= (exitRate - thetaPerSec) / exitRate;
    meanTimeToFront += 1 / exitRate;
    const pj = queued[j] ?? 0;
    pServedQueued += pj * pReach;
    pAbandonQueued += pj * pGiveUp;
    waitServedSum += pj * pReach * meanTimeToFront;
    queueLengthMean += pj * j;
  }
  const pWait = 1 - pNoWait;
  const pServed = pNoWait + pServedQueued;
  const servedWithin = pNoWait + servedWithinSec(queued, serviceRatePerSec, thetaPerSec, thresholdSec);
  return {
    trafficErlangs: a,
    pWait,
    pAbandon: pAbandonQueued,
    serviceLevel: servedWithin,
    asaSec: pServed > 0 ? waitServedSum / pServed : 0,
    meanQueueTimeSec: queueLengthMean / lambdaPerSec,
    occupancy: Math.min(1, (a * pServed) / agents),
  };
}

/** Normalised stationary distribution of the birth-death chain, truncated where the tail is negligible. */
function stationaryDistribution(agents: number, lambda: number, mu: number, theta: number): Float64Array {
  const logWeights: number[] = [0];
  const logLambda = Math.log(lambda);
  let logW = 0;
  let logMax = 0;
  for (let n = 1; ; n++) {
    if (n > MAX_STATES) throw new RangeError('Erlang A: state space too large (patience too long for this load)');
    const deathRate = Math.min(n, agents) * mu + Math.max(0, n - agents) * theta;
    logW += logLambda - Math.log(deathRate);
    logWeights.push(logW);
    if (logW > logMax) logMax = logW;
    // Past N the weights are unimodal; stop once they decrease and are negligible against the mode.
    if (n > agents && lambda < deathRate && logW - logMax < TAIL_LOG_EPSILON) break;
  }
  const p = new Float64Array(logWeights.length);
  let total = 0;
  for (let n = 0; n < logWeights.length; n++) {
    const w = Math.exp((logWeights[n] ?? -Infinity) - logMax);
    p[n] = w;
    total += w;
  }
  for (let n = 0; n < p.length; n++) p[n] = (p[n] ?? 0) / total;
  return p;
}

/**
 * P(a queued arrival is answered within t), weighting by `queued[j]` (j calls ahead). Uniformisation of the
 * tagged caller's pure-death chain with two absorbing states (answered, abandoned): every term is a
 * non-negative product, so it stays accurate where the alternating closed form of a hypoexponential sum
 * cancels catastrophically.
 */
function servedWithinSec(queued: Float64Array, serviceRate: number, theta: number, thresholdSec: number): number {
  const positions = queued.length;
  if (thresholdSec === 0 || positions === 0) return 0;
  const uniformRate = serviceRate + positions * theta; // the largest exit rate, at position positions−1
  const meanJumps = uniformRate * thresholdSec;
  const maxJumps = Math.ceil(meanJumps + 12 * Math.sqrt(meanJumps) + 30);
  const logMeanJumps = Math.log(meanJumps);

  let mass = Float64Array.from(queued);
  let next = new Float64Array(positions);
  let served = 0; // absorbed in "answered" after k jumps
  let logPoisson = -meanJumps;
  let poissonSeen = 0;
  let result = 0;
  for (let k = 0; k <= maxJumps; k++) {
    if (k > 0) logPoisson += logMeanJumps - Math.log(k);
    const poisson = Math.exp(logPoisson);
    result += poisson * served;
    poissonSeen += poisson;

    let transient = 0;
    next.fill(0);
    for (let i = 0; i < positions; i++) {
      const m = mass[i] ?? 0;
      if (m === 0) continue;
      const moveRate = serviceRate + i * theta;
      const stay = m * (1 - (moveRate + theta) / uniformRate);
      const moved = (m * moveRate) / uniformRate;
      next[i] = (next[i] ?? 0) + stay;
      if (i === 0) served += moved;
      else next[i - 1] = (next[i - 1] ?? 0) + moved;
      transient += stay + (i === 0 ? 0 : moved);
    }
    [mass, next] = [next, mass];
    // Nothing left to absorb: every later term carries the same `served`.
    if (transient < 1e-16) {
      result += Math.max(0, 1 - poissonSeen) * served;
      return result;
    }
  }
  return result + Math.max(0, 1 - poissonSeen) * served;
}

export interface StaffingRequest {
  callsPerHour: number;
  ahtSec: number;
  thresholdSec: number;
  /** Target service level as a share in (0, 1), e.g. 0.8 for "80 % within thresholdSec". */
  targetServiceLevel: number;
  /** Mean patience in seconds: given → Erlang A (callers abandon); omitted → Erlang C (callers wait forever). */
  patienceSec?: number;
  /** Also require occupancy ≤ this share (e.g. 0.85), to keep agents from running flat out. */
  maxOccupancy?: number;
  /**
   * Erlang A only: also require P(abandon) ≤ this share. Without it an overloaded queue can "meet" a
   * service level by letting impatient callers abandon (answered share ≤ N/A).
   */
  maxAbandonRate?: number;
  /** Upper bound of the search (default 10 000 agents). */
  maxAgents?: number;
}

export type StaffingResult =
  | { model: 'erlang-c'; agents: number; metrics: ErlangCResult }
  | { model: 'erlang-a'; agents: number; metrics: ErlangAResult };

/**
 * The fewest agents whose service level reaches the target (and that respect the optional occupancy and
 * abandon caps), with the figures at that staffing; null when even `maxAgents` falls short. The search starts at a bound no smaller staffing can beat (Erlang C: the
 * first stable N > A; Erlang A: answered calls ≤ N/A of offered, so SL ≥ target needs N ≥ A·target).
 */
export function agentsForServiceLevel(req: StaffingRequest): StaffingResult | null {
  const { callsPerHour, ahtSec, thresholdSec, targetServiceLevel, patienceSec } = req;
  if (!(targetServiceLevel > 0 && targetServiceLevel < 1)) {
    throw new RangeError(`targetServiceLevel must be in (0, 1), got ${targetServiceLevel}`);
  }
  const maxAgents = req.maxAgents ?? 10_000;
  assertAgents(maxAgents);
  const maxOccupancy = req.maxOccupancy ?? 1;
  const maxAbandonRate = req.maxAbandonRate ?? 1;
  const a = offeredLoadErlangs(callsPerHour, ahtSec);
  if (patienceSec === undefined) {
    for (let n = Math.max(1, Math.floor(a) + 1); n <= maxAgents; n++) {
      const metrics = erlangCMetrics({ callsPerHour, ahtSec, agents: n }, thresholdSec);
      if (metrics.serviceLevel >= targetServiceLevel && metrics.occupancy <= maxOccupancy) {
        return { model: 'erlang-c', agents: n, metrics };
      }
    }
    return null;
  }
  for (let n = Math.max(1, Math.floor(a * targetServiceLevel)); n <= maxAgents; n++) {
    const metrics = erlangAMetrics({ callsPerHour, ahtSec, agents: n, patienceSec }, thresholdSec);
    const ok = metrics.serviceLevel >= targetServiceLevel && metrics.occupancy <= maxOccupancy;
    if (ok && metrics.pAbandon <= maxAbandonRate) return { model: 'erlang-a', agents: n, metrics };
  }
  return null;
}
